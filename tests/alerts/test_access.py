"""Only psychologists and admins see who the child is and what they answered; coordinators see escalated alerts
without either; trainers and viewers see neither."""

from datetime import timedelta

import pytest

from surveyapp.alerts.worker import run_pass
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.services import save_identity
from tests.alerts.conftest import WORRIED_NOW

EXPECTED_LEVEL_WORDS = {"acute": "Acute", "non_acute": "Non-acute", "referral": "Referral"}


@pytest.fixture
def alert(on_duty, raise_alert, mail_port):
    alert = raise_alert(WORRIED_NOW)
    save_identity(
        alert.submission.respondent,
        full_name="Aibek Toktogulov",
        guardian_name="",
        guardian_phone="",
        address="",
        by=on_duty,
    )
    db.session.commit()
    return alert


def pages(alert) -> list[str]:
    return [
        f"/alerts/{alert.id}",
        f"/respondents/{alert.submission.respondent_id}/identity",
        f"/submissions/{alert.submission_id}",
    ]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.TRAINER])
def test_trainers_and_viewers_open_neither_alerts_nor_identities_nor_answers(client, login, alert, role):
    login(role)
    assert client.get("/alerts/").status_code == 403
    for path in pages(alert):
        assert client.get(path).status_code == 403, path
    for step in ("acknowledge", "actions", "close"):
        assert client.post(f"/alerts/{alert.id}/{step}").status_code == 403


def test_a_coordinator_opens_neither_the_identity_nor_the_answers(client, login, alert):
    login(Role.COORDINATOR)
    alert_page, identity_page, answers_page = pages(alert)
    assert client.get(identity_page).status_code == 403
    assert client.get(answers_page).status_code == 403
    assert client.get(alert_page).status_code == 403, "not escalated: not the coordinator's alert yet"

    run_pass(alert.created_at + timedelta(minutes=15))
    page = client.get(alert_page)
    assert page.status_code == 200
    for hidden in ("Aibek", alert.submission.respondent.code, "Is it worrying you right now?", "Worried right now"):
        assert hidden not in page.text


def test_a_coordinator_can_acknowledge_an_escalated_alert(client, login, alert):
    run_pass(alert.created_at + timedelta(minutes=15))
    login(Role.COORDINATOR)
    assert client.post(f"/alerts/{alert.id}/acknowledge").status_code == 302


@pytest.mark.parametrize("role", [Role.PSYCHOLOGIST, Role.ADMIN])
def test_psychologists_and_admins_open_all_three(client, login, alert, role):
    login(role)
    for path in pages(alert):
        assert client.get(path).status_code == 200, path
    assert "Aibek Toktogulov" in client.get(pages(alert)[0]).text


def test_the_alert_pages_need_a_log_in(client, alert):
    for path in ["/alerts/", "/alerts/duty", *pages(alert)]:
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_only_psychologists_admins_and_coordinators_have_the_alerts_link(client, login):
    login(Role.PSYCHOLOGIST)
    assert 'href="/alerts/"' in client.get("/sessions/").text
    client.post("/auth/logout")
    login(Role.TRAINER)
    assert 'href="/alerts/"' not in client.get("/sessions/").text


def test_the_coordinators_session_page_does_not_link_to_a_positive_screens_answers(client, login, alert):
    login(Role.COORDINATOR)
    page = client.get(f"/sessions/{alert.submission.session_id}").text
    assert "Submissions and scores" in page
    assert f"/submissions/{alert.submission_id}" not in page


def test_the_answers_page_names_the_level_and_the_language_in_words(client, login, alert):
    login(Role.PSYCHOLOGIST)
    page = client.get(pages(alert)[2]).text
    assert f'<span class="badge {alert.level.value}">{EXPECTED_LEVEL_WORDS[alert.level.value]}</span>' in page
    assert "answered in Русский" in page  # the tablet's language (conftest: "ru"), not its code
