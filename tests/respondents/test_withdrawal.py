"""Guardians' consent records and withdrawal (issue 15, item 6): a coordinator records who consented, when and
how; a withdrawal is recorded, can be undone until the erasure, and after WITHDRAWAL_ERASE_DAYS the identity and
answers are erased while the alert's follow-up record stays."""

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from surveyapp.alerts.models import Alert
from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.respondents.models import GuardianConsent, RespondentIdentity
from surveyapp.respondents.services import save_identity
from surveyapp.responses.models import Score, Submission
from tests.alerts.conftest import WORRIED_NOW
from tests.factories import mood_instrument


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_coordinator_records_a_guardians_consent(client, login, make_respondent):
    login(Role.COORDINATOR)
    child = make_respondent()
    response = client.post(
        f"/respondents/{child.id}/consent",
        data={"given_by": "grandmother", "given_on": "2026-11-02", "method": "paper_form"},
    )
    assert response.status_code == 302
    page = client.get(f"/respondents/{child.id}/consent").text
    assert "2026-11-02" in page and "grandmother" in page and "Signed paper form" in page
    assert actions()[-1] == "record_guardian_consent"
    refused = client.post(f"/respondents/{child.id}/consent", data={"given_by": "", "method": "fax"})
    assert refused.status_code == 422 and db.session.scalar(select(func.count(GuardianConsent.id))) == 1


def test_a_withdrawal_is_recorded_once_and_can_be_undone_before_the_erasure(client, login, make_respondent):
    login(Role.COORDINATOR)
    child = make_respondent()
    assert client.post(f"/respondents/{child.id}/withdraw", data={"reason": "moved away"}).status_code == 302
    db.session.refresh(child)
    assert child.withdrawn_at is not None and child.withdrawal_reason == "moved away"
    assert client.post(f"/respondents/{child.id}/withdraw", data={}).status_code == 409
    assert "Withdrawn" in client.get("/respondents/").text
    assert client.post(f"/respondents/{child.id}/undo-withdrawal").status_code == 302
    db.session.refresh(child)
    assert child.withdrawn_at is None
    assert actions()[-2:] == ["withdraw_respondent", "undo_withdrawal"]


def test_identity_and_answers_are_erased_after_the_period_and_the_alert_record_stays(
    client, runner, make_user, make_respondent, publish, make_session
):
    admin, _password = make_user(Role.ADMIN)
    session, child, recent = make_session([publish(mood_instrument())]), make_respondent(), make_respondent()
    response = client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": child.code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": WORRIED_NOW,
        },
    )
    assert response.status_code == 201
    alert = db.session.scalar(select(Alert))
    for respondent, days_ago in ((child, 31), (recent, 29)):
        save_identity(respondent, full_name="Name", guardian_name="", guardian_phone="", address="", by=admin)
        respondent.withdrawn_at = utc_now() - timedelta(days=days_ago)
    db.session.commit()

    result = runner.invoke(args=["respondents", "erase-withdrawn"])
    assert (
        result.exit_code == 0
        and f"erased 1 respondent(s) withdrawn more than 30 days ago: {child.code}" in result.output
    )
    db.session.expire_all()
    assert child.erased_at is not None and recent.erased_at is None
    assert db.session.scalar(select(RespondentIdentity.respondent_id)) == recent.id
    assert db.session.get(Submission, alert.submission_id).answers == {}
    assert db.session.scalar(select(func.count(Score.id))) == 0
    assert db.session.get(Alert, alert.id) is not None
    assert actions()[-1] == "erase_respondent"
    assert runner.invoke(args=["respondents", "erase-withdrawn"]).output.startswith("erased 0")
