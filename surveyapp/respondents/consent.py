"""Guardians' consent records, and a respondent's withdrawal.

Withdrawal takes effect at once: the respondent's submissions leave every analysis and export (the report and
the data exports read only respondents not withdrawn). The erasure that follows it reads submissions and alerts,
which sit above respondents: surveyapp/erasure/.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.errors import Conflict
from surveyapp.extensions import db
from surveyapp.respondents.models import GuardianConsent, Respondent


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
