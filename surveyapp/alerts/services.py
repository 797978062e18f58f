"""Opening an alert with a positive submission, telling the right people, escalating, and the follow-up steps.

Every function takes ``now`` so that the clock is the caller's (a request, the worker, a test).
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from surveyapp.alerts import roster
from surveyapp.alerts.models import (
    MAX_ESCALATION_LEVEL,
    ActionKind,
    Alert,
    AlertLevel,
    AlertState,
    EventKind,
    Outcome,
)
from surveyapp.alerts.triggers import describe_triggers
from surveyapp.auth.models import User
from surveyapp.definitions.documents import InstrumentDefinition
from surveyapp.extensions import db
from surveyapp.notifications import services as outbox
from surveyapp.notifications.models import OutboxMessage
from surveyapp.responses.labels import LEVEL_LABELS
from surveyapp.responses.models import Submission
from surveyapp.responses.signals import submission_flagged
from surveyapp.scoring.engine import ScoreResult


def open_alert_for(
    submission: Submission, definition: InstrumentDefinition, result: ScoreResult, now: datetime
) -> Alert:
    """In the submission's own transaction: the alert, its first trail entry and its e-mails, all flushed."""
    level = AlertLevel(result.flag_level)
    alert = Alert(
        submission=submission,
        level=level,
        territory_id=submission.session.territory_id,
        created_at=now,
        ack_deadline_at=now + timedelta(minutes=current_app.config["ALERT_ACK_MINUTES"][level.value]),
        triggers=describe_triggers(definition, result.flags, submission.answers, result.scale_values),
        events=[],  # a new alert has no trail yet: logging its first entry need not load it
    )
    db.session.add(alert)
    db.session.flush()
    contacts = roster.first_contacts(alert.territory_id)
    alert.log(EventKind.CREATED, now, details={"rules": list(result.flags), **_notify(alert, contacts, now)})
    if not contacts:
        _escalate(alert, now, reason="nobody_on_duty")
    db.session.flush()
    return alert


@submission_flagged.connect
def _open_alert_for_flagged(
    submission: Submission, *, definition: InstrumentDefinition, result: ScoreResult, now: datetime
) -> Alert:
    """A positive screen at the intake (responses/signals.py) opens its alert in the submission's transaction."""
    return open_alert_for(submission, definition, result, now)


def overdue_alert_ids(now: datetime) -> list[int]:
    return list(db.session.scalars(select(Alert.id).where(*_is_overdue(now)).order_by(Alert.ack_deadline_at)))


def escalate_if_overdue(alert_id: int, now: datetime) -> Alert | None:
    """Escalate the alert if it is still overdue and no other worker is escalating it."""
    alert = db.session.scalar(
        select(Alert)
        .where(Alert.id == alert_id, *_is_overdue(now))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if alert is not None:
        _escalate(alert, now, reason="not_acknowledged")
        db.session.flush()
    return alert


def note_delivery(message: OutboxMessage, delivered: bool, now: datetime) -> None:
    """Put an alert's e-mail on its trail: when it was sent, or when it first failed."""
    if message.alert_id is None:
        return
    alert = db.session.get_one(Alert, message.alert_id)
    if delivered:
        alert.log(EventKind.NOTIFIED, now, details={"to": message.to, "attempts": message.attempts})
    elif message.attempts == 1:
        alert.log(EventKind.MAIL_FAILED, now, details={"to": message.to, "error": message.last_error})
    db.session.flush()


def acknowledge(alert: Alert, user: User, now: datetime) -> None:
    alert.acknowledge(user, now)
    db.session.flush()


def record_action(alert: Alert, user: User, action: ActionKind, note: str, now: datetime) -> None:
    alert.record_action(action, note.strip(), user, now)
    db.session.flush()


def close(alert: Alert, user: User, outcome: Outcome, note: str, now: datetime) -> None:
    alert.close(outcome, note.strip(), user, now)
    db.session.flush()


def _is_overdue(now: datetime) -> tuple:
    return (Alert.state == AlertState.NEW, Alert.escalation_level < MAX_ESCALATION_LEVEL, Alert.ack_deadline_at <= now)


def _escalate(alert: Alert, now: datetime, reason: str) -> None:
    event = alert.escalate(now, {"reason": reason})
    contacts = roster.escalation_contacts(alert.territory_id)
    event.details = {**event.details, **_notify(alert, contacts, now, reason)}


def _notify(alert: Alert, users: list[User], now: datetime, escalation: str | None = None) -> dict:
    """Queue one e-mail per user with an address, in the user's language; say who was and was not e-mailed."""
    mailed = [user for user in users if user.email]
    for user in mailed:
        with force_locale(user.language):
            subject, body = _compose(alert, escalation)
        outbox.queue_mail(user.email, subject, body, now, alert_id=alert.id)
    return {
        "mailed": [user.username for user in mailed],
        "without_email": [user.username for user in users if not user.email],
    }


def _compose(alert: Alert, escalation: str | None) -> tuple[str, str]:
    """Subject and body without the child's identity or answers: e-mail is not a safe channel for them."""
    level = LEVEL_LABELS[alert.level]
    subjects = {
        None: _("[surveyapp] %(level)s alert: a child needs follow-up", level=level),
        "not_acknowledged": _("[surveyapp] Not acknowledged in time: %(level)s alert", level=level),
        "nobody_on_duty": _("[surveyapp] Nobody is on duty: %(level)s alert", level=level),
    }
    body = render_template(
        "alerts/mail/alert.txt",
        alert=alert,
        session=alert.submission.session,
        level=level,
        escalation=escalation,
        link=_link(alert),
    )
    return subjects[escalation], body


def _link(alert: Alert) -> str:
    """The alert's page at PUBLIC_URL; works in the worker too, where there is no request to take a host from."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    return adapter.build("alerts.show_alert", {"alert_id": alert.id}, force_external=True)
