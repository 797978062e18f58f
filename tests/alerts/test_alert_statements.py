"""A positive screen's cost at the JSON intake, pinned: the statements of a submission that opens an alert and
queues the e-mail to the psychologist on duty (issue 14, item 1). A statement more (a lazy load, a look-up per
request of what does not change) is a failing test."""

import uuid

from surveyapp.extensions import db
from tests.alerts.conftest import WORRIED_NOW
from tests.responses.test_ingest_statements import FRESH, kinds
from tests.statements import counted_statements

ALERT = ["INSERT INTO alert", "SELECT", "INSERT INTO outbox_message", "INSERT INTO alert_event"]
"""The alert (flushed for its id, which the e-mail's link and the outbox row name), who is on duty (the roster
changes, so it is read every time), the e-mail and the first trail entry; the new alert's empty trail is not
loaded."""


def test_a_positive_screen_costs_the_submission_and_four_statements_for_its_alert(
    app, client, mood_session, make_respondent, on_duty
):
    bodies = [
        {
            "uuid": str(uuid.uuid4()),
            "join_code": mood_session.join_code,
            "respondent_code": child.code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": WORRIED_NOW,
        }
        for child in (make_respondent(), make_respondent())
    ]
    assert client.post("/api/submissions", json=bodies[0]).status_code == 201  # the first in this process
    with app.app_context(), counted_statements() as statements:
        assert client.post("/api/submissions", json=bodies[1]).status_code == 201
        expected = FRESH[db.engine.dialect.name] + ALERT
    assert kinds(statements) == expected
