"""The JSON intake's cost per submission, pinned: the SQL statements of a fresh submission and of a re-send, and
the definition of a published version parsed once per process. A statement more is a failing test, not a
slower tablet found in production (issue 14, item 1)."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.instruments import models as instrument_models
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument
from tests.statements import counted_statements

CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}

FRESH = {
    "sqlite": ["SELECT", "INSERT INTO submission", "INSERT INTO score"],
    "postgresql": ["SELECT", "WITH new_submission AS"],
}
"""One look-up (session, respondent, version and instrument, and a submission stored under the same UUID), the
submission (INSERT ... ON CONFLICT DO NOTHING) and its scores (one statement for all scales); on PostgreSQL the
scores are inserted by the same statement as the submission (WITH new_submission AS (INSERT ...) INSERT ...)."""
RESEND = ["SELECT"]
"""The look-up finds the stored submission: nothing is validated, scored or inserted."""


@pytest.fixture
def session_and_children(publish, make_session, make_respondent):
    return make_session([publish(mood_instrument())]), [make_respondent() for _ in range(3)]


def body(session, child) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": child.code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ru",
        "assent": True,
        "answers": CALM,
    }


def kinds(statements: list[str]) -> list[str]:
    """Each statement as its verb, and the table for an insert; SQLite's BEGIN IMMEDIATE (database.py) left out,
    since PostgreSQL's driver begins without a statement of its own."""
    return [
        " ".join(statement.split()[:3]) if statement.startswith(("INSERT", "WITH")) else statement.split()[0]
        for statement in statements
        if not statement.startswith("BEGIN")
    ]


def post_counted(app, client, submission: dict) -> tuple[int, list[str]]:
    """One request in an application context of its own, as in production: an empty identity map."""
    with app.app_context(), counted_statements() as statements:
        response = client.post("/api/submissions", json=submission)
    return response.status_code, kinds(statements)


def fresh_statements() -> list[str]:
    return FRESH[db.engine.dialect.name]


def test_a_fresh_submission_costs_three_statements_two_on_postgresql_a_re_send_one(app, client, session_and_children):
    session, (first_child, child, _other) = session_and_children
    assert client.post("/api/submissions", json=body(session, first_child)).status_code == 201  # parses once
    fresh = body(session, child)
    assert post_counted(app, client, fresh) == (201, fresh_statements())
    assert post_counted(app, client, fresh) == (200, RESEND)


def test_a_published_version_is_parsed_once_per_process(app, client, session_and_children, monkeypatch):
    session, children = session_and_children
    parsed = []
    parse = instrument_models.parse_definition
    monkeypatch.setattr(instrument_models, "parse_definition", lambda content: parsed.append(1) or parse(content))
    monkeypatch.setattr(instrument_models, "_parsed_definitions", {})
    for child in children:
        with app.app_context():
            assert client.post("/api/submissions", json=body(session, child)).status_code == 201
    assert len(parsed) == 1


def test_copies_of_a_fresh_submission_sent_at_once_are_stored_once_and_answered_as_re_sends(app, session_and_children):
    """The same body sent five times at the same moment (a tablet retrying while its first request still runs):
    one 201, then 'already_stored', never 409 'already_submitted' (issue 14 saw such 409s under load). A copy
    either finds the stored submission in its look-up or inserts nothing (ON CONFLICT DO NOTHING) and reads it."""
    session, (child, _second, _third) = session_and_children
    submission = body(session, child)
    start = threading.Barrier(5)
    replies = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/submissions", json=submission)
        replies.append((response.status_code, response.json.get("status", response.json.get("error"))))

    senders = [threading.Thread(target=send) for _ in range(5)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert sorted(replies) == [(200, "already_stored")] * 4 + [(201, "stored")]
    db.session.rollback()  # a snapshot taken before the copies were sent
    assert db.session.scalar(select(func.count(Submission.id))) == 1
