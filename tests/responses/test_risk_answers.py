"""An answer the child gave is never dropped: a tablet that shows every ASQ question (no scripts) and a child who
answers Q1-Q4 "no" but Q5 "yes" must still reach a psychologist.

Rule from surveyapp/instruments/library/asq-1.0.yaml (its source: NIMH ASQ Toolkit): Q5 "yes" is an acute
positive screen (imminent risk); Q5 and the follow-ups keep an answer given when they do not apply
(`if_not_relevant: keep`).
"""

import uuid

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from surveyapp.alerts import roster
from surveyapp.alerts.models import Alert, AlertLevel
from surveyapp.auth.models import Role
from surveyapp.definitions.documents import load_definition_file
from surveyapp.extensions import db
from surveyapp.instruments.services import LIBRARY_DIR
from surveyapp.notifications.models import OutboxMessage
from surveyapp.responses.form_answers import answers_from_form
from surveyapp.responses.models import Submission

ASQ_DATA, ASQ = load_definition_file(LIBRARY_DIR / "asq-1.0.yaml")
NO_THEN_YES_NOW = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}


def test_q5_yes_after_four_noes_is_stored_and_opens_an_acute_alert(
    client, publish, make_session, make_respondent, make_user
):
    psychologist, _password = make_user(Role.PSYCHOLOGIST, "aigul")
    psychologist.email = "aigul@example.org"
    roster.put_on_duty(psychologist, None, is_backup=False)
    db.session.commit()
    session = make_session([publish(ASQ_DATA)])
    response = client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": make_respondent().code,
            "instrument": "asq",
            "version": "1.0",
            "language": "ky",
            "assent": True,
            "answers": NO_THEN_YES_NOW,
        },
    )
    assert response.status_code == 201 and response.json["show_helplines"] is True
    submission = db.session.scalar(select(Submission))
    assert (submission.answers, submission.flag_level) == (NO_THEN_YES_NOW, "acute")
    alert = db.session.scalar(select(Alert).filter_by(submission_id=submission.id))
    assert alert.level == AlertLevel.ACUTE
    assert [(trigger["rule"], trigger["items"]) for trigger in alert.triggers] == [("asq_acute", ["asq_5"])]
    assert db.session.scalars(select(OutboxMessage.to)).all() == ["aigul@example.org"]


def test_a_posted_form_keeps_every_answer_given():
    # what a page without scripts sends: Q5 and a Q4 follow-up answered although they do not apply
    form = MultiDict(
        {
            **{item_id: str(value) for item_id, value in NO_THEN_YES_NOW.items()},
            "asq_4_how": " pills ",
            "asq_4_when": "",
            "asq_5_describe": "right now",
        }
    )
    assert answers_from_form(ASQ, form) == {**NO_THEN_YES_NOW, "asq_4_how": "pills", "asq_5_describe": "right now"}
