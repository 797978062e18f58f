"""Input that cannot be stored is refused with a clear 4xx, never a 500, and a refused risk screen loses nothing
(issue 15, item 3): PostgreSQL cannot store NUL, a lone surrogate is not UTF-8, Python's JSON parser gives up
around 1,000 levels of nesting."""

import json
import uuid

import pytest
from sqlalchemy import func, select

from surveyapp.alerts.models import Alert
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument
from tests.responses.test_kiosk import CALM_ANSWERS, client_uuid_on, give_assent, join

ACUTE = {"m1": 2, "worry": 1, "worry_now": 1}


@pytest.fixture
def mood_session(publish, make_session):
    return make_session([publish(mood_instrument())])


def body(session, child, answers: dict, **changes) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": child.code,
        "instrument": "mood",
        "version": "1.0",
        "language": "en",
        "assent": True,
        "answers": answers,
        **changes,
    }


def stored() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Submission.id))), db.session.scalar(select(func.count(Alert.id)))


@pytest.mark.parametrize("comment", ["help\x00", "\x07bell", "lone \ud800 surrogate"])
def test_an_acute_screen_with_an_unstorable_comment_is_refused_item_by_item_then_stored_when_fixed(
    client, mood_session, make_respondent, comment
):
    child = make_respondent()
    refused = body(mood_session, child, {**ACUTE, "comment": comment})
    raw = json.dumps(refused)  # a lone surrogate travels as the escape \\ud800, as a browser would send it
    response = client.post("/api/submissions", data=raw, content_type="application/json")
    assert response.status_code == 422
    assert response.json["error"] == "invalid_answers"
    assert [(p["item"], p["code"]) for p in response.json["problems"]] == [("comment", "invalid_text")]
    assert stored() == (0, 0)

    fixed = {**refused, "answers": {**ACUTE, "comment": "help"}}
    assert client.post("/api/submissions", json=fixed).status_code == 201
    assert stored() == (1, 1)  # stored once, with its acute alert


def test_a_text_answer_is_2000_characters_at_most(client, mood_session, make_respondent):
    child = make_respondent()
    too_long = client.post("/api/submissions", json=body(mood_session, child, {**ACUTE, "comment": "a" * 2001}))
    assert too_long.status_code == 422 and too_long.json["problems"][0]["code"] == "too_long"
    longest = client.post("/api/submissions", json=body(mood_session, child, {**ACUTE, "comment": "a" * 2000}))
    assert longest.status_code == 201


def test_a_nul_in_a_code_is_a_malformed_submission(client, mood_session, make_respondent):
    child = make_respondent()
    response = client.post("/api/submissions", json=body(mood_session, child, ACUTE, join_code="12\x0034"))
    assert response.status_code == 422 and response.json["error"] == "malformed_submission"
    assert "'join_code'" in str(response.json["problems"])
    assert stored() == (0, 0)


def test_json_nested_too_deeply_is_a_malformed_body(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/submissions", data=deep, content_type="application/json")
    assert response.status_code == 422 and response.json["error"] == "malformed_submission"


def test_the_kiosk_shows_an_unstorable_answer_again_and_keeps_the_others(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    client_uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    response = client.post(
        "/kiosk/questionnaire", data={**CALM_ANSWERS, "comment": "ok\x00", "client_uuid": client_uuid}
    )
    assert response.status_code == 422
    assert "This answer holds an invisible control character: please type it again." in response.text
    assert 'name="m1" value="3" checked' in response.text
    assert stored() == (0, 0)


def test_a_control_character_in_a_staff_form_or_query_is_a_400(client, login):
    login(Role.COORDINATOR)
    assert client.get("/respondents/?code=AB%00C").status_code == 400
    response = client.post("/respondents/territories/1", data={"name": "Osh\x00"})
    assert response.status_code == 400


def test_an_empty_questionnaire_is_refused_and_leaves_the_childs_slot_free(client, mood_session, make_respondent):
    child = make_respondent()
    empty = client.post("/api/submissions", json=body(mood_session, child, {}))
    assert empty.status_code == 422
    assert [(p["item"], p["code"]) for p in empty.json["problems"]] == [("m1", "no_answer")]
    assert stored() == (0, 0)
    assert client.post("/api/submissions", json=body(mood_session, child, ACUTE)).status_code == 201


def test_the_kiosk_asks_for_at_least_one_answer(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    client_uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    response = client.post("/kiosk/questionnaire", data={"client_uuid": client_uuid})
    assert response.status_code == 422
    assert "Nothing is answered yet: please answer at least this question." in response.text
    assert stored() == (0, 0)
