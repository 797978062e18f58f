"""The alerts worker holds no lock while the SMTP server answers, and an e-mail claimed by a worker that died
before recording the result is sent again when the claim runs out (at least once, never lost)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from surveyapp.alerts.worker import PassResult, run_pass
from surveyapp.extensions import db
from surveyapp.notifications import services as outbox
from surveyapp.notifications.models import OutboxMessage, OutboxState
from surveyapp.transactions import commit_with_retry
from tests.concurrency.conftest import WORRIED_NOW
from tests.concurrency.event import slow_mail_server


@pytest.fixture
def mail_server(app, database_url, monkeypatch):
    with slow_mail_server(database_url, delay=0.5) as (sink, port):
        for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_TIMEOUT": 5.0}.items():
            monkeypatch.setitem(app.config, key, value)
        yield sink


@pytest.fixture
def queued_mail(client, body, on_duty) -> OutboxMessage:
    """The e-mail about a positive screen, sent as a tablet does."""
    assert client.post("/api/submissions", json={**body, "answers": WORRIED_NOW}).status_code == 201
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage))


def test_while_the_smtp_server_answers_the_worker_command_holds_no_lock(runner, mail_server, queued_mail):
    """`flask alerts tick` runs as the worker does: a CLI command, whose SQLite transactions begin as writers."""
    result = runner.invoke(args=["alerts", "tick"])
    assert result.exit_code == 0 and "sent 1" in result.output, result.output
    assert mail_server.outbox_free_while_answering == [True]
    db.session.rollback()
    assert db.session.get(OutboxMessage, queued_mail.id).state == OutboxState.SENT


def test_a_mail_claimed_by_a_worker_that_died_is_sent_when_the_claim_runs_out(app_context, mail_server, queued_mail):
    claimed_at = queued_mail.next_attempt_at
    assert commit_with_retry(lambda: outbox.claim(queued_mail.id, claimed_at)) is not None  # ... and then it died
    assert run_pass(claimed_at + timedelta(seconds=1)) == PassResult(), "still claimed"
    assert run_pass(claimed_at + outbox.CLAIM_LEASE) == PassResult(sent=1)
    assert [m["To"] for m in mail_server.messages] == ["dilnoza@example.org"]


def test_two_workers_never_claim_the_same_mail(app_context, queued_mail):
    now = queued_mail.next_attempt_at
    first = commit_with_retry(lambda: outbox.claim(queued_mail.id, now))
    second = commit_with_retry(lambda: outbox.claim(queued_mail.id, now))
    assert (first.message_id, second) == (queued_mail.id, None)
