"""What the child and the trainer see of a positive screen: the child a calm message with helplines, the trainer
that a child needs attention - neither sees any answers, and the next child sees nothing."""

import pytest

from surveyapp.alerts import services
from surveyapp.alerts.models import Outcome
from surveyapp.auth.models import Role
from surveyapp.config import parse_helplines
from surveyapp.db import utc_now
from surveyapp.extensions import db
from tests.alerts.conftest import WORRIED, WORRIED_NOW
from tests.responses.test_kiosk import client_uuid_on, give_assent, join

SUPPORT = "An adult from the programme will talk with you soon"


def answer_on_the_tablet(client, session, child, answers: dict):
    join(client, session, child, language="en")
    give_assent(client)
    page = client.get("/kiosk/questionnaire").text
    response = client.post(
        "/kiosk/questionnaire",
        data={**{item: str(value) for item, value in answers.items()}, "client_uuid": client_uuid_on(page)},
    )
    assert response.headers["Location"].endswith("/kiosk/thanks")
    return client.get("/kiosk/thanks").text


def test_after_a_positive_screen_the_child_is_told_an_adult_will_talk_to_them_and_given_helplines(
    client, mood_session, make_respondent, on_duty
):
    thanks = answer_on_the_tablet(client, mood_session, make_respondent(), WORRIED)
    assert SUPPORT in thanks
    assert "<strong>111</strong> · Children's helpline" in thanks and "<strong>112</strong>" in thanks
    assert "worry" not in thanks.lower()

    assert SUPPORT not in client.get("/kiosk/thanks").text, "the tablet is reset for the next child"
    assert SUPPORT not in client.get("/kiosk/").text


def test_after_a_negative_screen_the_thanks_page_is_the_usual_one(client, mood_session, make_respondent):
    thanks = answer_on_the_tablet(
        client, mood_session, make_respondent(), {"m1": 2, "m2": 1, "m3": 2, "m4": 2, "worry": 0}
    )
    assert "Thank you" in thanks and SUPPORT not in thanks and "111" not in thanks


def test_the_programme_adds_its_own_helplines(app, monkeypatch, client, mood_session, make_respondent, on_duty):
    monkeypatch.setitem(app.config, "HELPLINES", parse_helplines("111; +996 555 000 111 = Programme psychologist"))
    thanks = answer_on_the_tablet(client, mood_session, make_respondent(), WORRIED_NOW)
    assert "<strong>+996 555 000 111</strong> · Programme psychologist" in thanks
    assert "<strong>112</strong>" not in thanks


def test_helplines_are_read_as_number_and_optional_name():
    assert parse_helplines("111;112; 0312 000 = Centre ;") == (("111", ""), ("112", ""), ("0312 000", "Centre"))


@pytest.fixture
def trainer_session(login, mood_session):
    trainer = login(Role.TRAINER)
    mood_session.trainer_id = trainer.id
    db.session.commit()
    return mood_session


def test_the_trainer_sees_that_a_child_needs_immediate_attention_without_answers_or_codes(
    client, trainer_session, make_respondent, submit, on_duty
):
    child = make_respondent()
    assert "needs immediate attention" not in client.get(f"/sessions/{trainer_session.id}").text
    submit(trainer_session, child, WORRIED_NOW)
    page = client.get(f"/sessions/{trainer_session.id}").text
    assert "A child at this session needs immediate attention." in page
    assert child.code not in page and "worry" not in page.lower()


def test_the_trainer_is_not_alarmed_for_a_non_acute_alert(client, trainer_session, make_respondent, submit, on_duty):
    submit(trainer_session, make_respondent(), WORRIED)
    assert "needs immediate attention" not in client.get(f"/sessions/{trainer_session.id}").text


def test_the_notice_goes_once_the_alert_is_closed(client, trainer_session, make_respondent, raise_alert, on_duty):
    alert = raise_alert(WORRIED_NOW)
    services.acknowledge(alert, on_duty, utc_now())
    db.session.commit()
    assert "needs immediate attention" in client.get(f"/sessions/{trainer_session.id}").text
    services.close(alert, on_duty, Outcome.SUPPORTED, "", utc_now())
    db.session.commit()
    assert "needs immediate attention" not in client.get(f"/sessions/{trainer_session.id}").text
