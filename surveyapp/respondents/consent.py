"""Guardians' consent records, and a respondent's withdrawal with the erasure that follows it.

Withdrawal takes effect at once: the respondent's submissions leave every analysis and export (the report and
the data exports read only respondents not withdrawn). Their identity and answers are erased after a period
(WITHDRAWAL_ERASE_DAYS, 30 by default) that leaves time to undo a withdrawal recorded by mistake; what remains is
the pseudonymous code, the dates, and the alerts' follow-up records (safeguarding) without the answers.
"""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from surveyapp.alerts.models import Alert
from surveyapp.audit import services as audit
from surveyapp.errors import Conflict
from surveyapp.extensions import db
from surveyapp.respondents.models import GuardianConsent, Respondent, RespondentIdentity
from surveyapp.responses.models import Score, Submission


def record_guardian_consent(
    respondent: Respondent, *, given_by: str, given_on: date, method: str, by
) -> GuardianConsent:
    consent = GuardianConsent(
        respondent_id=respondent.id, given_by=given_by.strip(), given_on=given_on, method=method, recorded_by_id=by.id
    )
    db.session.add(consent)
    audit.record("record_guardian_consent", respondent, {"given_on": given_on.isoformat(), "method": method})
    return consent


def guardian_consents(respondent: Respondent) -> list[GuardianConsent]:
    return list(
        db.session.scalars(
            select(GuardianConsent)
            .filter_by(respondent_id=respondent.id)
            .order_by(GuardianConsent.given_on.desc(), GuardianConsent.id.desc())
        )
    )


def withdraw(respondent: Respondent, reason: str, now: datetime) -> None:
    if respondent.withdrawn_at is not None:
        raise Conflict(_l("%(code)s has withdrawn already.", code=respondent.code))
    respondent.withdrawn_at, respondent.withdrawal_reason = now, reason.strip()
    audit.record("withdraw_respondent", respondent, {"reason": respondent.withdrawal_reason})


def undo_withdrawal(respondent: Respondent) -> None:
    if respondent.withdrawn_at is None or respondent.erased_at is not None:
        raise Conflict(_l("Only a withdrawal whose data is not erased yet can be undone."))
    respondent.withdrawn_at, respondent.withdrawal_reason = None, ""
    audit.record("undo_withdrawal", respondent)


def erase_withdrawn(now: datetime, after_days: int) -> list[Respondent]:
    """Erase the identity and answers of every respondent withdrawn more than `after_days` ago."""
    due = list(
        db.session.scalars(
            select(Respondent).where(
                Respondent.withdrawn_at <= now - timedelta(days=after_days), Respondent.erased_at.is_(None)
            )
        )
    )
    for respondent in due:
        _erase(respondent, now)
    return due


def _erase(respondent: Respondent, now: datetime) -> None:
    submission_ids = select(Submission.id).where(Submission.respondent_id == respondent.id)
    db.session.execute(delete(Score).where(Score.submission_id.in_(submission_ids)))
    db.session.execute(update(Submission).where(Submission.respondent_id == respondent.id).values(answers={}))
    db.session.execute(delete(RespondentIdentity).where(RespondentIdentity.respondent_id == respondent.id))
    db.session.execute(delete(GuardianConsent).where(GuardianConsent.respondent_id == respondent.id))
    respondent.erased_at = now
    alerts = db.session.scalar(select(db.func.count(Alert.id)).where(Alert.submission_id.in_(submission_ids)))
    audit.record("erase_respondent", respondent, {"alerts_kept": alerts})
