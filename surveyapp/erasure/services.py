"""A withdrawn respondent's erasure: their identity and answers are erased after a period (WITHDRAWAL_ERASE_DAYS,
30 by default) that leaves time to undo a withdrawal recorded by mistake; what remains is the pseudonymous code,
the dates, and the alerts' follow-up records (safeguarding) without the answers. The withdrawal itself is
respondents/consent.py.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from surveyapp.alerts.models import Alert
from surveyapp.audit import services as audit
from surveyapp.extensions import db
from surveyapp.respondents.models import GuardianConsent, Respondent, RespondentIdentity
from surveyapp.responses.models import Score, Submission


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
