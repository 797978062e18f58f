"""Reading the audit trail: filtered, newest first, keyset-paged on the event id."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Row, Select, and_, false, or_, select

from surveyapp.alerts.models import Alert
from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import User
from surveyapp.extensions import db
from surveyapp.respondents.models import Respondent, RespondentIdentity
from surveyapp.responses.models import Submission

PAGE_SIZE = 100


@dataclass(frozen=True)
class EventFilter:
    user_id: int | None = None
    action: str | None = None
    respondent_code: str | None = None
    """Every event about this child: the respondent, their identity, their submissions and those submissions'
    alerts."""
    since: date | None = None
    until: date | None = None


def events_page(event_filter: EventFilter, before_id: int | None = None) -> tuple[Sequence[Row], int | None]:
    """A page of (event, username) rows, and the id to pass as `before_id` for the next page (None: the last)."""
    query = filtered(event_filter)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], rows[PAGE_SIZE - 1][0].id if len(rows) > PAGE_SIZE else None


def filtered(event_filter: EventFilter) -> Select:
    query = (
        select(AuditEvent, User.username).outerjoin(User, AuditEvent.user_id == User.id).order_by(AuditEvent.id.desc())
    )
    if event_filter.user_id is not None:
        query = query.where(AuditEvent.user_id == event_filter.user_id)
    if event_filter.action:
        query = query.where(AuditEvent.action == event_filter.action)
    if event_filter.since:
        query = query.where(AuditEvent.at >= _start_of(event_filter.since))
    if event_filter.until:
        query = query.where(AuditEvent.at < _start_of(event_filter.until + timedelta(days=1)))
    if event_filter.respondent_code:
        query = query.where(_about_respondent(event_filter.respondent_code))
    return query


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _about_respondent(code: str):
    """A child has a handful of submissions: their ids are read first, then matched as the trail stores them."""
    respondent_id = db.session.scalar(select(Respondent.id).where(Respondent.code == code.strip().upper()))
    submission_ids = list(db.session.scalars(select(Submission.id).where(Submission.respondent_id == respondent_id)))
    ids = {
        "Respondent": [respondent_id] if respondent_id is not None else [],
        "RespondentIdentity": list(
            db.session.scalars(select(RespondentIdentity.id).where(RespondentIdentity.respondent_id == respondent_id))
        ),
        "Submission": submission_ids,
        "Alert": list(db.session.scalars(select(Alert.id).where(Alert.submission_id.in_(submission_ids)))),
    }
    return or_(
        false(),
        *(
            and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_([str(i) for i in object_ids]))
            for object_type, object_ids in ids.items()
            if object_ids
        ),
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)
