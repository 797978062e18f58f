"""The psychologist's follow-up: inbox, acknowledge, record actions, close with an outcome - every step kept."""

import pytest
from sqlalchemy import select

from surveyapp import create_app
from surveyapp.alerts.models import ActionKind, AlertState, EventKind, Outcome
from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.services import save_identity
from tests.alerts.conftest import WORRIED, WORRIED_NOW
from tests.processes import TEST_SECRET_KEY


@pytest.fixture
def psychologist(login):
    return login(Role.PSYCHOLOGIST, "nurlan")


def test_the_inbox_lists_open_alerts_most_urgent_first(client, psychologist, on_duty, raise_alert):
    non_acute = raise_alert(WORRIED)
    acute = raise_alert(WORRIED_NOW)
    page = client.get("/alerts/").text
    assert page.index(f"/alerts/{acute.id}") < page.index(f"/alerts/{non_acute.id}")
    assert "Acute" in page and "Non-acute" in page and "Test session" in page and "School 5" in page
    assert f"/alerts/{acute.id}" not in client.get("/alerts/?state=closed").text
    assert client.get("/alerts/?state=nonsense").status_code == 404


def test_the_alert_page_shows_the_child_the_triggering_answers_and_audits_the_identity_read(
    client, psychologist, on_duty, raise_alert
):
    alert = raise_alert(WORRIED_NOW)
    save_identity(
        alert.submission.respondent,
        full_name="Aibek Toktogulov",
        guardian_name="Gulnara",
        guardian_phone="+996 555 123 456",
        address="Osh",
        by=on_duty,
    )
    db.session.commit()

    page = client.get(f"/alerts/{alert.id}").text
    for expected in (
        "Aibek Toktogulov",
        "+996 555 123 456",
        alert.submission.respondent.code,
        "Is it worrying you right now?",
        "Worried right now",
        "Test session",
        "School 5",
    ):
        assert expected in page
    reads = db.session.scalars(select(AuditEvent).filter_by(action="view_identity")).all()
    assert [(r.user_id, r.details["alert"]) for r in reads] == [(psychologist.id, alert.id)]


def test_the_whole_follow_up_is_time_stamped_and_shown(client, psychologist, on_duty, raise_alert):
    alert = raise_alert(WORRIED_NOW)
    assert client.post(f"/alerts/{alert.id}/acknowledge").status_code == 302
    client.post(f"/alerts/{alert.id}/actions", data={"action": "contacted_child", "note": "Talked at school."})
    client.post(f"/alerts/{alert.id}/actions", data={"action": "contacted_guardian", "note": ""})
    client.post(f"/alerts/{alert.id}/actions", data={"action": "referred_center", "note": "Case 17/2026"})
    assert (
        client.post(f"/alerts/{alert.id}/close", data={"outcome": "referred", "note": "Center took over."}).status_code
        == 302
    )

    db.session.refresh(alert)
    assert (alert.state, alert.outcome, alert.acknowledged_by_id, alert.closed_by_id) == (
        AlertState.CLOSED,
        Outcome.REFERRED,
        psychologist.id,
        psychologist.id,
    )
    assert [(e.kind, e.action, e.note) for e in alert.events] == [
        (EventKind.CREATED, None, ""),
        (EventKind.ACKNOWLEDGED, None, ""),
        (EventKind.ACTION, ActionKind.CONTACTED_CHILD, "Talked at school."),
        (EventKind.ACTION, ActionKind.CONTACTED_GUARDIAN, ""),
        (EventKind.ACTION, ActionKind.REFERRED_CENTER, "Case 17/2026"),
        (EventKind.CLOSED, None, "Center took over."),
    ]
    times = [e.at for e in alert.events]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    assert all(e.user_id == psychologist.id for e in alert.events[1:])

    page = client.get(f"/alerts/{alert.id}").text
    for step in (
        "Alert created",
        "Acknowledged",
        "Talked with the child",
        "Contacted the parent or guardian",
        "Referred to the Family Support and Child Protection Center",
        "Case 17/2026",
        "Taken over by a specialised service",
        "Center took over.",
        "nurlan",
    ):
        assert step in page
    assert f"/alerts/{alert.id}" in client.get("/alerts/?state=closed").text


@pytest.mark.parametrize(
    ("steps", "refused", "message"),
    [
        (["acknowledge"], "acknowledge", "already been acknowledged"),
        ([], "actions", "Acknowledge the alert first"),
        ([], "close", "Acknowledge the alert first"),
        (["acknowledge", "close"], "acknowledge", "This alert is closed"),
        (["acknowledge", "close"], "actions", "This alert is closed"),
        (["acknowledge", "close"], "close", "This alert is closed"),
    ],
)
def test_a_step_out_of_order_is_refused_with_409(client, psychologist, on_duty, raise_alert, steps, refused, message):
    alert = raise_alert()
    form = {"action": "note", "note": "n", "outcome": "supported"}
    for step in steps:
        assert client.post(f"/alerts/{alert.id}/{step}", data=form).status_code == 302
    events_before = len(alert.events)
    response = client.post(f"/alerts/{alert.id}/{refused}", data=form)
    assert response.status_code == 409 and message in response.text
    db.session.expire_all()
    assert len(alert.events) == events_before


def test_a_note_needs_its_text(client, psychologist, on_duty, raise_alert):
    alert = raise_alert()
    client.post(f"/alerts/{alert.id}/acknowledge")
    response = client.post(f"/alerts/{alert.id}/actions", data={"action": "note", "note": "  "})
    assert response.status_code == 422 and "Write the note." in response.text


def test_an_unknown_action_or_outcome_is_refused(client, psychologist, on_duty, raise_alert):
    alert = raise_alert()
    client.post(f"/alerts/{alert.id}/acknowledge")
    assert client.post(f"/alerts/{alert.id}/actions", data={"action": "prayed"}).status_code == 422
    assert client.post(f"/alerts/{alert.id}/close", data={"outcome": "fine"}).status_code == 422


def test_the_follow_up_forms_need_their_csrf_token(app, on_duty, raise_alert):
    alert = raise_alert()
    protected = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": TEST_SECRET_KEY,
        }
    )
    client = protected.test_client()
    try:
        for step in ("acknowledge", "actions", "close"):
            assert client.post(f"/alerts/{alert.id}/{step}", data={"outcome": "supported"}).status_code == 400
    finally:
        with protected.app_context():
            db.engine.dispose()
