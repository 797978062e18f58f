"""A submission is stored exactly once: when its transaction is tried again after a transient error, and when a
tablet sends it twice at once (a retry while the first request is still running: one 201 and 'already_stored',
never 409 'already_submitted')."""

import threading

import psycopg.errors
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from surveyapp.alerts.models import Alert
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage
from surveyapp.responses.models import Score, Submission
from tests.concurrency.conftest import WORRIED_NOW


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_copy_stored_between_the_look_up_by_uuid_and_the_once_per_session_check_is_a_re_send(app, client, body):
    """PostgreSQL (READ COMMITTED) shows each statement what was committed before it: here the copy commits
    right after this request looked the UUID up and found nothing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): the two requests cannot interleave")
    copy_replies = []
    this_thread = threading.get_ident()

    def send_copy() -> None:
        copy_replies.append(app.test_client().post("/api/submissions", json=body))

    def copy_commits_after_the_uuid_look_up(_conn, _cursor, statement, *_args) -> None:
        is_uuid_look_up = statement.startswith("SELECT") and "submission.client_uuid =" in statement
        if threading.get_ident() == this_thread and is_uuid_look_up and not copy_replies:
            copy = threading.Thread(target=send_copy)
            copy.start()
            copy.join()

    event.listen(db.engine, "after_cursor_execute", copy_commits_after_the_uuid_look_up)
    try:
        reply = client.post("/api/submissions", json=body)
    finally:
        event.remove(db.engine, "after_cursor_execute", copy_commits_after_the_uuid_look_up)
    assert [r.status_code for r in copy_replies] == [201]
    assert (reply.status_code, reply.json.get("status")) == (200, "already_stored"), reply.json
    db.session.rollback()
    assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_a_submission_whose_commit_was_refused_for_a_moment_is_stored_once_with_its_alert(client, body, on_duty):
    refusals = []

    def refuse_the_first_commit(_session) -> None:
        if not refusals:
            refusals.append(1)  # by then the submission, its scores, alert and e-mail are flushed
            raise OperationalError("COMMIT", None, psycopg.errors.SerializationFailure())

    event.listen(Session, "before_commit", refuse_the_first_commit)
    try:
        reply = client.post("/api/submissions", json={**body, "answers": WORRIED_NOW})
    finally:
        event.remove(Session, "before_commit", refuse_the_first_commit)
    assert refusals == [1]
    assert (reply.status_code, reply.json["status"], reply.json["show_helplines"]) == (201, "stored", True)
    assert (count(Submission), count(Score), count(Alert), count(OutboxMessage)) == (1, 1, 1, 1)
    assert db.session.scalar(select(Alert.level)) == "acute"
