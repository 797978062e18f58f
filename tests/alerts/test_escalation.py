"""An alert nobody acknowledges in time goes to the next contact, by e-mail and in the inbox; the clock is the
test's, passed to each worker pass."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from surveyapp.alerts import services
from surveyapp.alerts.models import AlertState, AlertTransitionRefused, EventKind
from surveyapp.alerts.worker import PassResult, run_pass
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage
from tests.alerts.conftest import WORRIED, WORRIED_NOW


@pytest.fixture
def backup(staff):
    return staff(Role.PSYCHOLOGIST, "bakyt", duty="backup")


def mailed_to() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.to).order_by(OutboxMessage.id)))


def test_an_acute_alert_not_acknowledged_in_15_minutes_goes_to_the_backup(smtp_server, on_duty, backup, raise_alert):
    alert = raise_alert(WORRIED_NOW)
    assert run_pass(alert.created_at + timedelta(minutes=14, seconds=59)) == PassResult(sent=1)

    assert run_pass(alert.created_at + timedelta(minutes=15)) == PassResult(escalated=1, sent=1)
    db.session.refresh(alert)
    assert (alert.state, alert.escalation_level) == (AlertState.NEW, 1)
    escalated = alert.events[-2]
    assert escalated.kind == EventKind.ESCALATED and escalated.at == alert.created_at + timedelta(minutes=15)
    assert escalated.details == {
        "reason": "not_acknowledged",
        "escalation_level": 1,
        "mailed": ["bakyt"],
        "without_email": [],
    }
    [mail] = smtp_server.to("bakyt@example.org")
    assert mail["Subject"] == "[surveyapp] Not acknowledged in time: Acute alert"
    assert "You are the next contact" in mail.get_content()


def test_a_non_acute_alert_waits_24_hours(on_duty, backup, raise_alert, mail_port):
    alert = raise_alert(WORRIED)
    assert run_pass(alert.created_at + timedelta(hours=23, minutes=59)).escalated == 0
    assert run_pass(alert.created_at + timedelta(hours=24)).escalated == 1


def test_the_deadlines_are_configurable(app, monkeypatch, on_duty, backup, raise_alert, mail_port):
    monkeypatch.setitem(app.config, "ALERT_ACK_MINUTES", {"acute": 5, "non_acute": 60, "referral": 60})
    alert = raise_alert(WORRIED_NOW)
    assert alert.ack_deadline_at == alert.created_at + timedelta(minutes=5)
    assert run_pass(alert.created_at + timedelta(minutes=5)).escalated == 1


def test_an_acknowledged_alert_is_not_escalated(on_duty, backup, raise_alert, mail_port):
    alert = raise_alert(WORRIED_NOW)
    services.acknowledge(alert, on_duty, alert.created_at + timedelta(minutes=3))
    db.session.commit()
    assert run_pass(alert.created_at + timedelta(hours=2)).escalated == 0
    assert mailed_to() == ["dilnoza@example.org"]


def test_an_alert_is_escalated_once(on_duty, backup, raise_alert, mail_port):
    alert = raise_alert(WORRIED_NOW)
    run_pass(alert.created_at + timedelta(minutes=15))
    assert run_pass(alert.created_at + timedelta(days=3)).escalated == 0
    assert mailed_to() == ["dilnoza@example.org", "bakyt@example.org"]
    with pytest.raises(AlertTransitionRefused):
        alert.escalate(alert.created_at + timedelta(days=3), {})


def test_an_acknowledged_alert_cannot_be_escalated(on_duty, raise_alert):
    alert = raise_alert(WORRIED_NOW)
    alert.acknowledge(on_duty, alert.created_at)
    with pytest.raises(AlertTransitionRefused):
        alert.escalate(alert.created_at + timedelta(hours=1), {})


def test_without_backups_the_coordinators_are_the_next_contact(on_duty, staff, raise_alert, mail_port):
    staff(Role.COORDINATOR, "aigul")
    alert = raise_alert(WORRIED_NOW)
    run_pass(alert.created_at + timedelta(minutes=15))
    assert mailed_to() == ["dilnoza@example.org", "aigul@example.org"]


def test_an_escalated_alert_appears_in_the_coordinators_inbox(client, login, on_duty, raise_alert, mail_port):
    quiet = raise_alert(WORRIED)
    ignored = raise_alert(WORRIED_NOW)
    run_pass(ignored.created_at + timedelta(minutes=15))
    login(Role.COORDINATOR)
    inbox = client.get("/alerts/").text
    assert f"/alerts/{ignored.id}" in inbox and "escalated" in inbox
    assert f"/alerts/{quiet.id}" not in inbox
    assert client.get(f"/alerts/{quiet.id}").status_code == 403
    page = client.get(f"/alerts/{ignored.id}")
    assert page.status_code == 200 and "not acknowledged in time" in page.text
