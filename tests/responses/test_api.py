"""The JSON intake used by tablets that queue answers offline: every bad input is a clear 4xx, nothing half-stored."""

import uuid

import pytest
from sqlalchemy import event, func, select

from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession
from tests.factories import knowledge_instrument, mood_instrument


@pytest.fixture
def mood_version(publish):
    return publish(mood_instrument())


@pytest.fixture
def session_and_child(mood_version, make_session, make_respondent):
    return make_session([mood_version]), make_respondent()


UNKNOWN_JOIN_CODE = "23456789ABC" + "8"
"""Well formed - its check character worked by hand: the sum of position x alphabet index is 1x0 + 2x1 + ... +
11x10 = 440 = 14 x 31 + 6, and the alphabet's character 6 is '8' - and no session's (their codes are random)."""

UNKNOWN_CHILD_CODE = "K4M7-P9P"
"""Well formed - K4M7P9 are the alphabet's characters 17, 2, 18, 5, 20, 7: 1x17 + 2x2 + 3x18 + 4x5 + 5x20 + 6x7 =
237 = 7 x 31 + 20, and character 20 is 'P' - and nobody's (codes are random)."""


def payload(session, respondent, **changes) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": respondent.code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ky",
        "assent": True,
        "answers": {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0},
    }
    body.update(changes)
    return body


def stored_rows() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Submission.id))), db.session.scalar(select(func.count(Score.id))))


def test_a_submission_is_stored_with_its_scores(client, session_and_child):
    session, child = session_and_child
    response = client.post("/api/submissions", json=payload(session, child))
    assert response.status_code == 201
    assert response.json["status"] == "stored" and response.json["show_helplines"] is False
    submission = db.session.scalar(select(Submission))
    # 2 + (3 - 1) + 2 + 1 = 7 (m2 reverse-keyed on 0-3), band "ok" (> 5).
    assert (submission.scores[0].value, submission.scores[0].band) == (7, "ok")
    assert submission.respondent_id == child.id and submission.language == "ky"


def test_after_a_positive_screen_the_tablet_is_asked_to_show_the_helplines(client, session_and_child):
    body = payload(*session_and_child, answers={"m1": 2, "worry": 1, "worry_now": 0})
    response = client.post("/api/submissions", json=body)
    assert response.status_code == 201 and response.json["show_helplines"] is True
    assert "flag" not in str(response.json) and "non_acute" not in str(response.json)


def test_resending_a_submission_returns_the_stored_one(client, session_and_child):
    body = payload(*session_and_child)
    first = client.post("/api/submissions", json=body)
    again = client.post("/api/submissions", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == {**first.json, "status": "already_stored"}
    assert stored_rows() == (1, 1)


def test_a_reused_identifier_with_other_answers_is_refused(client, session_and_child):
    body = payload(*session_and_child)
    client.post("/api/submissions", json=body)
    changed = {**body, "answers": {**body["answers"], "m1": 0}}
    response = client.post("/api/submissions", json=changed)
    assert response.status_code == 409 and response.json["error"] == "uuid_reused"
    assert db.session.scalar(select(Submission)).answers["m1"] == 2


def test_a_second_submission_of_the_same_questionnaire_is_refused(client, session_and_child):
    session, child = session_and_child
    client.post("/api/submissions", json=payload(session, child))
    response = client.post("/api/submissions", json=payload(session, child))
    assert response.status_code == 403 and response.json["error"] == "not_accepted"
    assert stored_rows() == (1, 1)


@pytest.mark.parametrize(
    ("answers", "item", "code"),
    [
        ({"m1": 2, "worry": 0, "mood_extra": 1}, "mood_extra", "unknown_item"),
        ({"m2": 1}, "m1", "missing_required"),
        ({"m1": 7, "worry": 0}, "m1", "invalid_value"),
        ({"m1": True, "worry": 0}, "m1", "invalid_value"),
        ({"m1": "2", "worry": 0}, "m1", "invalid_value"),
        ({"m1": 2, "worry": 0, "worry_now": 1}, "worry_now", "not_relevant"),
    ],
)
def test_invalid_answers_are_refused_naming_the_item(client, session_and_child, answers, item, code):
    response = client.post("/api/submissions", json=payload(*session_and_child, answers=answers))
    assert response.status_code == 422
    assert response.json["error"] == "invalid_answers"
    assert {"item": item, "code": code} in [{"item": p["item"], "code": p["code"]} for p in response.json["problems"]]
    assert stored_rows() == (0, 0)


@pytest.mark.parametrize(
    ("changes", "status", "error"),
    [
        ({"join_code": "999999"}, 422, "typing_mistake"),
        ({"join_code": UNKNOWN_JOIN_CODE}, 403, "not_accepted"),
        ({"respondent_code": UNKNOWN_CHILD_CODE}, 403, "not_accepted"),
        ({"respondent_code": "K4M7-P9Y"}, 422, "typing_mistake"),
        ({"version": "2.0"}, 422, "wrong_instrument_version"),
        ({"instrument": "rses"}, 422, "wrong_instrument_version"),
        ({"assent": False}, 422, "no_assent"),
        ({"uuid": "not-a-uuid"}, 422, "malformed_submission"),
        ({"language": "de"}, 422, "malformed_submission"),
        ({"language": ["ru"]}, 422, "malformed_submission"),
        ({"answers": [1, 2]}, 422, "malformed_submission"),
        ({"assent": "yes"}, 422, "malformed_submission"),
    ],
)
def test_bad_submissions_are_refused_with_a_clear_error(client, session_and_child, changes, status, error):
    response = client.post("/api/submissions", json=payload(*session_and_child, **changes))
    assert response.status_code == status
    assert response.json["error"] == error and response.json["message"]
    assert stored_rows() == (0, 0)


def test_a_half_sent_body_is_refused(client, session_and_child):
    body = payload(*session_and_child)
    del body["answers"], body["uuid"]
    response = client.post("/api/submissions", json=body)
    assert response.status_code == 422
    assert any("'answers'" in p["message"] for p in response.json["problems"])
    not_json = client.post("/api/submissions", data='{"uuid": "abc', content_type="application/json")
    assert not_json.status_code == 422 and not_json.json["error"] == "malformed_submission"


def test_a_closed_session_accepts_nothing(client, session_and_child):
    session, child = session_and_child
    db.session.get(SurveySession, session.id).close()
    db.session.commit()
    response = client.post("/api/submissions", json=payload(session, child))
    assert response.status_code == 409 and response.json["error"] == "session_closed"


def test_a_child_cannot_answer_a_staff_questionnaire(client, publish, make_session, make_respondent):
    session = make_session([publish(knowledge_instrument())])
    body = payload(session, make_respondent(RespondentKind.CHILD), instrument="staff_quiz", answers={"q1": 1})
    response = client.post("/api/submissions", json=body)
    assert response.status_code == 403 and response.json["error"] == "not_accepted"


def test_a_crash_while_storing_leaves_no_partial_submission(client, session_and_child):
    """The submission row is inserted before its scores (on PostgreSQL by the same statement); a crash when the
    scores are sent must leave neither."""

    def crash(_connection, _cursor, statement, *_args):
        if "INSERT INTO score" in statement:
            raise RuntimeError("simulated crash between receiving and storing")

    with client.application.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", crash)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.post("/api/submissions", json=payload(*session_and_child))
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
        event.remove(engine, "before_cursor_execute", crash)
    assert response.status_code == 500
    assert stored_rows() == (0, 0)


# ---- The language of the answers: the one the body names, whatever the browser's -------------------------------

SOME_ANSWERS_NEED_ATTENTION = {  # errors.InvalidAnswers, as in translations/*/messages.po
    "en": "Some answers need attention.",
    "ru": "Некоторые ответы требуют внимания.",
    "ky": "Айрым жооптор көңүл бурууну талап кылат.",
}
SESSION_CLOSED = {  # errors.SessionClosed, as in translations/*/messages.po
    "en": "This session is closed and no longer accepts answers.",
    "ru": "Эта сессия закрыта, ответы больше не принимаются.",
    "ky": "Бул сессия жабылган, жооптор мындан ары кабыл алынбайт.",
}
NOT_ACCEPTED = {  # errors.NotAccepted, as in translations/*/messages.po
    "en": "Answers for this code are not taken at this session. Check the codes, or ask the adult running the session.",
    "ru": "На этой сессии ответы с этим кодом не принимаются. Проверьте коды или обратитесь к взрослому, который "
    "проводит сессию.",
    "ky": "Бул сессияда бул код менен жооптор кабыл алынбайт. Коддорду текшериңиз же сессияны өткөрүп жаткан "
    "чоң кишиге кайрылыңыз.",
}
OTHER_BROWSER_LANGUAGE = {"en": "ru", "ru": "en", "ky": "ru"}


@pytest.mark.parametrize("language", ["en", "ru", "ky"])
def test_invalid_answers_are_refused_in_the_language_the_body_names(client, session_and_child, language):
    body = payload(*session_and_child, language=language, answers={"m2": 1})
    response = client.post("/api/submissions", json=body, headers={"Accept-Language": OTHER_BROWSER_LANGUAGE[language]})
    assert (response.status_code, response.json["message"]) == (422, SOME_ANSWERS_NEED_ATTENTION[language])
    problem = next(p for p in response.json["problems"] if p["code"] == "missing_required")
    assert problem["item"] == "m1" and problem["details"] == "Item 'm1' is required but was not answered."


@pytest.mark.parametrize("language", ["en", "ru", "ky"])
def test_a_closed_session_is_refused_in_the_language_the_body_names(client, session_and_child, language):
    session, child = session_and_child
    db.session.get(SurveySession, session.id).close()
    db.session.commit()
    response = client.post(
        "/api/submissions",
        json=payload(session, child, language=language),
        headers={"Accept-Language": OTHER_BROWSER_LANGUAGE[language]},
    )
    assert (response.status_code, response.json["message"]) == (409, SESSION_CLOSED[language])


def test_an_unknown_session_and_a_malformed_body_are_refused_in_english_when_the_body_asks(client, session_and_child):
    russian_browser = {"Accept-Language": "ru"}
    unknown = client.post(
        "/api/submissions",
        headers=russian_browser,
        json=payload(*session_and_child, language="en", join_code=UNKNOWN_JOIN_CODE),
    )
    assert unknown.json["message"] == NOT_ACCEPTED["en"]
    malformed = client.post(
        "/api/submissions", json=payload(*session_and_child, language="en", uuid="x", assent=1), headers=russian_browser
    )
    assert malformed.json["message"] == "The submission is incomplete."
    assert malformed.json["problems"] == [{"message": "'assent' is missing or is not true or false."}]


@pytest.mark.parametrize(
    ("answers", "code", "words"),
    [
        (
            {"m1": 2, "worry": 0, "mood_extra": 1},
            "unknown_item",
            '"mood_extra" is not a question of this questionnaire.',
        ),
        ({"m2": 1, "worry": 0}, "missing_required", 'Question "m1" must be answered.'),
        ({"m1": 7, "worry": 0}, "invalid_value", 'The answer to question "m1" is not one it can take.'),
        (
            {"m1": 2, "worry": 0, "worry_now": 1},
            "not_relevant",
            'Question "worry_now" was answered but does not apply, given the other answers.',
        ),
    ],
)
def test_each_problem_with_an_answer_is_worded_for_the_respondent(client, session_and_child, answers, code, words):
    response = client.post("/api/submissions", json=payload(*session_and_child, language="en", answers=answers))
    assert [(p["code"], p["message"]) for p in response.json["problems"]] == [(code, words)]
