"""Once per session, when two tablets send the same child's questionnaire at the same moment under different
identifiers (issue 17: the unique-constraint path of responses/services.py never ran): the other tablet's copy
commits between this request's look-up and its insert, the insert is kept out by the constraint, and this one is
refused like any second questionnaire - never a 500, never a second row."""

import threading
import uuid

import pytest
from sqlalchemy import event, func, select

from surveyapp.extensions import db
from surveyapp.responses.models import Score, Submission
from tests.factories import mood_instrument

CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}


def test_a_second_tablets_copy_stored_after_the_look_up_keeps_this_one_out(
    app, client, publish, make_session, make_respondent
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): the two requests cannot interleave")
    session, child = make_session([publish(mood_instrument())]), make_respondent()

    def body() -> dict:
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

    other_replies, this_thread = [], threading.get_ident()

    def other_tablet_commits_after_the_look_up(_conn, _cursor, statement, *_args) -> None:
        is_look_up = statement.startswith("SELECT") and "submission.client_uuid =" in statement
        if threading.get_ident() == this_thread and is_look_up and not other_replies:
            other = threading.Thread(
                target=lambda: other_replies.append(app.test_client().post("/api/submissions", json=body()))
            )
            other.start()
            other.join()

    event.listen(db.engine, "after_cursor_execute", other_tablet_commits_after_the_look_up)
    try:
        reply = client.post("/api/submissions", json=body())
    finally:
        event.remove(db.engine, "after_cursor_execute", other_tablet_commits_after_the_look_up)
    assert [r.status_code for r in other_replies] == [201]
    assert (reply.status_code, reply.json["error"]) == (403, "not_accepted")
    db.session.rollback()
    assert (db.session.scalar(select(func.count(Submission.id))), db.session.scalar(select(func.count(Score.id)))) == (
        1,
        1,
    )
