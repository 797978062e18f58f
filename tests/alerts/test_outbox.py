"""The e-mail outbox: mail reaches a real SMTP server on localhost, survives an outage and a restart, and says
nothing about who the child is or what they answered."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from surveyapp import create_app
from surveyapp.alerts.models import EventKind
from surveyapp.alerts.worker import PassResult, run_pass
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage, OutboxState, retry_delay
from surveyapp.respondents.services import save_identity
from tests.alerts.conftest import WORRIED_NOW
from tests.processes import TEST_SECRET_KEY

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def outbox() -> list[OutboxMessage]:
    db.session.rollback()  # a new transaction sees what the worker committed (SQLite reads from a snapshot)
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_alert_e_mail_reaches_the_smtp_server_with_what_to_do_and_no_child_data(
    app, smtp_server, on_duty, raise_alert, staff
):
    alert = raise_alert(WORRIED_NOW)
    respondent = alert.submission.respondent
    save_identity(
        respondent,
        full_name="Aibek Toktogulov",
        guardian_name="Gulnara Toktogulova",
        guardian_phone="+996 555 123 456",
        address="Osh, Lenin 1",
        by=on_duty,
    )
    db.session.commit()

    assert run_pass(alert.created_at + timedelta(seconds=5)) == PassResult(sent=1)

    [mail] = smtp_server.messages
    assert mail["To"] == "dilnoza@example.org" and mail["From"] == app.config["MAIL_SENDER"]
    assert mail["Subject"] == "[surveyapp] Acute alert: a child needs follow-up"
    body = mail.get_content()
    for expected in (
        "Level: Acute",
        "Session: Test session",
        "Place: School 5",
        f"{app.config['PUBLIC_URL']}/alerts/{alert.id}",
    ):
        assert expected in body
    for secret in (respondent.code, "Aibek", "Toktogulov", "123 456", "Lenin", "worr", "Worr"):
        assert secret not in body and secret not in mail["Subject"]
    [message] = outbox()
    assert (message.state, message.attempts, message.sent_at) == (
        OutboxState.SENT,
        1,
        alert.created_at + timedelta(seconds=5),
    )
    db.session.refresh(alert)
    assert [e.kind for e in alert.events] == [EventKind.CREATED, EventKind.NOTIFIED]


def test_a_sent_message_is_not_sent_again(smtp_server, on_duty, raise_alert):
    alert = raise_alert()
    run_pass(alert.created_at)
    assert run_pass(alert.created_at + timedelta(minutes=10)) == PassResult()
    assert len(smtp_server.messages) == 1


def test_while_smtp_is_down_the_mail_stays_queued_shows_its_failure_and_goes_out_when_it_is_back(
    client, login, start_smtp, on_duty, raise_alert
):
    alert = raise_alert()
    now = alert.created_at

    assert run_pass(now) == PassResult(failed=1)
    [message] = outbox()
    assert (message.state, message.attempts, message.next_attempt_at) == (
        OutboxState.RETRYING,
        1,
        now + timedelta(seconds=30),
    )
    assert "ConnectionRefusedError" in message.last_error

    login(Role.PSYCHOLOGIST)
    assert "e-mail not delivered" in client.get("/alerts/").text
    page = client.get(f"/alerts/{alert.id}").text
    assert "not delivered" in page and "ConnectionRefusedError" in page
    assert "E-mail could not be sent; retrying" in page

    assert run_pass(now + timedelta(seconds=10)) == PassResult(), "not due yet: back-off"
    sink = start_smtp()
    assert run_pass(now + timedelta(seconds=30)) == PassResult(sent=1)
    assert [m["To"] for m in sink.messages] == ["dilnoza@example.org"]
    [message] = outbox()
    assert (message.state, message.attempts) == (OutboxState.SENT, 2)
    assert "e-mail not delivered" not in client.get("/alerts/").text
    db.session.refresh(alert)
    assert [e.kind for e in alert.events] == [EventKind.CREATED, EventKind.MAIL_FAILED, EventKind.NOTIFIED]


def test_a_refused_address_is_retried_and_the_refusal_kept(smtp_server, on_duty, raise_alert):
    smtp_server.refused.add("dilnoza@example.org")
    alert = raise_alert()
    assert run_pass(alert.created_at) == PassResult(failed=1)
    [message] = outbox()
    assert message.state == OutboxState.RETRYING and "SMTPRecipientsRefused" in message.last_error
    assert "No such mailbox" in message.last_error


def test_retries_back_off_from_30_seconds_doubling_up_to_10_minutes():
    assert [retry_delay(n).total_seconds() for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]


def test_after_repeated_failures_the_next_attempt_waits_longer(mail_port, on_duty, raise_alert):
    alert = raise_alert()
    now = alert.created_at
    for _ in range(3):
        run_pass(now)
        now = outbox()[0].next_attempt_at
    [message] = outbox()
    assert message.attempts == 3 and message.next_attempt_at - message.last_attempt_at == timedelta(minutes=2)


def test_a_restarted_service_sends_what_was_queued_before(app, mail_port, on_duty, raise_alert, start_smtp):
    alert = raise_alert()
    when = alert.created_at + timedelta(seconds=5)
    db.session.remove()
    db.engine.dispose()

    restarted = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": TEST_SECRET_KEY,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": mail_port,
        }
    )
    sink = start_smtp()
    try:
        with restarted.app_context():
            assert run_pass(when) == PassResult(sent=1)
    finally:
        with restarted.app_context():
            db.engine.dispose()
    assert [m["To"] for m in sink.messages] == ["dilnoza@example.org"]


def test_the_worker_process_mails_a_positive_screen_within_a_minute_and_stops_on_sigterm(
    app, database_url, mail_port, smtp_server, on_duty, raise_alert
):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "alerts", "work", "--interval", "0.2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = time.monotonic()
        raise_alert()
        while not smtp_server.messages and time.monotonic() - started < 60:
            time.sleep(0.1)
        assert smtp_server.messages, "no e-mail within 60 seconds"
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "alerts worker: stopped" in output
    assert outbox()[0].state == OutboxState.SENT, output
