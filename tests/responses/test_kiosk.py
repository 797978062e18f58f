"""The child's path on a shared tablet: join, assent, answer, thank-you, and the next child sees nothing."""

import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument
from tests.responses.test_api import NOT_ACCEPTED, UNKNOWN_CHILD_CODE, UNKNOWN_JOIN_CODE

# Answers to the mood instrument: m1..m4 on 0-3, m2 reverse-keyed; worry = no.
CALM_ANSWERS = {"m1": "3", "m2": "0", "m3": "2", "m4": "3", "worry": "0"}


@pytest.fixture
def mood_session(publish, make_session):
    return make_session([publish(mood_instrument())])


def join(client, session, respondent, language="ru"):
    client.post("/kiosk/language", data={"language": language})
    return client.post("/kiosk/", data={"join_code": session.join_code, "respondent_code": respondent.code})


def give_assent(client):
    return client.post("/kiosk/assent", data={"answer": "yes"})


def client_uuid_on(page: str) -> str:
    return re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)


def page_response_headers_forbid_caching(client) -> bool:
    return all(client.get(path).headers.get("Cache-Control") == "no-store" for path in ("/kiosk/", "/kiosk/thanks"))


def submissions_count() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


def test_a_child_answers_and_the_tablet_is_ready_for_the_next_child(client, mood_session, make_respondent):
    child = make_respondent()
    assert join(client, mood_session, child).headers["Location"].endswith("/kiosk/assent")
    assert give_assent(client).headers["Location"].endswith("/kiosk/questionnaire")
    page = client.get("/kiosk/questionnaire").text
    assert "Mood check (ru)" in page and "I feel calm. (ru)" in page

    response = client.post("/kiosk/questionnaire", data={**CALM_ANSWERS, "client_uuid": client_uuid_on(page)})
    assert response.headers["Location"].endswith("/kiosk/thanks")
    thanks = client.get("/kiosk/thanks")
    assert "Спасибо! Твои ответы сохранены." in thanks.text  # the Russian tablet's thank-you, not English

    submission = db.session.scalar(select(Submission))
    # Sum with m2 reversed: 3 + (3 - 0) + 2 + 3 = 11 of 0-12 (worked by hand from the test instrument).
    assert submission.answers == {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0}
    assert [(s.scale, s.value, s.band) for s in submission.scores] == [("total", 11, "ok")]
    assert submission.language == "ru" and submission.flag_level == "none"

    assert page_response_headers_forbid_caching(client)
    next_child_page = client.get("/kiosk/questionnaire", follow_redirects=True)
    assert child.code not in next_child_page.text and "I feel calm" not in next_child_page.text
    assert client.get("/kiosk/").status_code == 200


def test_the_language_chosen_at_the_join_page_stays_with_the_device(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="ky")
    give_assent(client)
    assert "Mood check (ky)" in client.get("/kiosk/questionnaire").text
    client.post("/kiosk/start-over")
    page = client.get("/kiosk/").text
    assert '<html lang="ky">' in page and 'value="ky" class="" aria-pressed="true"' in page


def test_a_new_tablet_starts_in_kyrgyz(client):
    assert '<html lang="ky">' in client.get("/kiosk/").text


def test_declining_assent_stores_nothing_and_resets_the_tablet(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent())
    response = client.post("/kiosk/assent", data={"answer": "no"})
    assert response.status_code == 200
    assert client.get("/kiosk/questionnaire").headers["Location"].endswith("/kiosk/")
    assert submissions_count() == 0


def test_questionnaire_needs_assent_first(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent())
    assert client.get("/kiosk/questionnaire").headers["Location"].endswith("/kiosk/assent")


@pytest.mark.parametrize(
    ("field", "value", "status", "message"),
    [
        ("join_code", "000000", 422, "The session code has a typing mistake. Please check each character."),
        ("join_code", UNKNOWN_JOIN_CODE, 403, NOT_ACCEPTED["en"]),
        ("respondent_code", UNKNOWN_CHILD_CODE, 403, NOT_ACCEPTED["en"]),
        ("respondent_code", "K4M7-P9Y", 422, "This code has a typing mistake. Please check each character."),
    ],
)
def test_unknown_session_or_code_is_refused_with_a_clear_message(
    client, mood_session, make_respondent, field, value, status, message
):
    data = {"join_code": mood_session.join_code, "respondent_code": make_respondent().code}
    data[field] = value
    client.post("/kiosk/language", data={"language": "en"})
    response = client.post("/kiosk/", data=data)
    assert response.status_code == status
    assert f'<div class="error-box" role="alert">{message}</div>' in response.text


def test_a_closed_session_refuses_to_start(client, publish, make_session, make_respondent):
    closed = make_session([publish(mood_instrument())], is_open=False)
    response = join(client, closed, make_respondent(), language="en")
    assert response.status_code == 409
    assert "This session is closed and no longer accepts answers." in response.text


def test_a_missing_required_answer_shows_the_form_again_with_the_answers_kept(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    incomplete = {k: v for k, v in CALM_ANSWERS.items() if k != "worry"}
    response = client.post("/kiosk/questionnaire", data={**incomplete, "client_uuid": uuid})
    assert response.status_code == 422
    assert "Please answer this question." in response.text
    assert 'name="m1" value="3" checked' in response.text
    assert client_uuid_on(response.text) == uuid
    assert submissions_count() == 0


def test_an_answer_to_a_question_that_does_not_apply_is_refused_and_shown_again(client, mood_session, make_respondent):
    """Without scripts the follow-up is on screen; its answer is never dropped silently (FORMAT.md,
    if_not_relevant): the page comes back with the answer and the problem."""
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    response = client.post("/kiosk/questionnaire", data={**CALM_ANSWERS, "worry_now": "1", "client_uuid": uuid})
    assert response.status_code == 422
    assert 'name="worry_now" value="1" checked' in response.text
    assert submissions_count() == 0


def test_a_form_sent_twice_on_flaky_wifi_is_stored_once(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    form = {**CALM_ANSWERS, "client_uuid": uuid}
    with client.session_transaction() as before:
        saved_cookie_state = dict(before)
    assert client.post("/kiosk/questionnaire", data=form).status_code == 302
    # The reply was lost: the tablet still has its old cookie and sends the same form again.
    with client.session_transaction() as state:
        state.update(saved_cookie_state)
    assert client.post("/kiosk/questionnaire", data=form).headers["Location"].endswith("/kiosk/thanks")
    assert submissions_count() == 1


def test_a_child_who_has_answered_everything_is_refused_as_any_other_code(client, mood_session, make_respondent):
    """Nothing tells a guesser that this child took part (issue 15)."""
    child = make_respondent()
    join(client, mood_session, child, language="en")
    give_assent(client)
    uuid = client_uuid_on(client.get("/kiosk/questionnaire").text)
    client.post("/kiosk/questionnaire", data={**CALM_ANSWERS, "client_uuid": uuid})
    response = join(client, mood_session, child, language="en")
    assert response.status_code == 403
    assert NOT_ACCEPTED["en"] in response.text
