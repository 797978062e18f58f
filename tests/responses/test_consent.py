"""Adults read a consent text written for them, children the assent text written for them, and every submission
records which text, in which version, was agreed to: on the kiosk's pages and through the JSON intake."""

import re
import uuid

import pytest
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.kiosk_pages import KIOSK_STATIC
from surveyapp.responses.models import Submission
from tests.responses.test_kiosk import CALM_ANSWERS, client_uuid_on, give_assent, join
from tests.responses.test_kiosk_devices import kiosk_data

CHILDREN_TEXT = "We are asking children how they feel"
TABLET_BACK_TO_THE_ADULT = "Please give the tablet back to the adult running the session."
QUIZ_ANSWERS = {"q1": "1", "q2": "0"}


def consent_page(client, session, respondent) -> str:
    assert join(client, session, respondent, language="en").headers["Location"].endswith("/kiosk/assent")
    return client.get("/kiosk/assent").text


def answer_without_scripts(client, answers: dict) -> None:
    page = client.get("/kiosk/questionnaire").text
    response = client.post("/kiosk/questionnaire", data={**answers, "client_uuid": client_uuid_on(page)})
    assert response.headers["Location"].endswith("/kiosk/thanks")


@pytest.mark.parametrize("kind", [RespondentKind.STAFF, RespondentKind.PARENT])
def test_an_adult_reads_the_adults_consent_text_not_the_childrens(client, session_for, make_respondent, kind):
    page = consent_page(client, session_for(kind), make_respondent(kind))
    assert "<h1>Consent to take part</h1>" in page and "Before we start" not in page
    assert CHILDREN_TEXT not in page
    # Who holds the data, for whom, why, what is reported and what the trainer sees, voluntary, under a code.
    for words in (
        'public foundation "Center for the protection and development of vulnerable groups"',
        "Osh city mayor's office",
        "The foundation holds your answers",
        "measures what the training has taught",
        "only as figures for the whole group",
        "The trainer sees each participant's score by the name on the training's list",
        "Taking part is voluntary",
        "stop at any time",
        "stored under a code",
    ):
        assert words in page, words
    assert 'data-consent-text="adult_consent-1"' in page


def test_a_child_reads_the_childrens_assent_text(client, session_for, make_respondent):
    page = consent_page(client, session_for(RespondentKind.CHILD), make_respondent(RespondentKind.CHILD))
    assert "<h1>Before we start</h1>" in page and CHILDREN_TEXT in page
    assert "Consent to take part" not in page and "foundation" not in page
    assert 'data-consent-text="child_assent-1"' in page


@pytest.mark.parametrize(
    ("kind", "answers", "text_id"),
    [
        (RespondentKind.CHILD, CALM_ANSWERS, "child_assent-1"),
        (RespondentKind.STAFF, QUIZ_ANSWERS, "adult_consent-1"),
        (RespondentKind.PARENT, QUIZ_ANSWERS, "adult_consent-1"),
    ],
)
def test_a_submission_made_without_scripts_records_the_text_agreed_to(
    client, session_for, make_respondent, kind, answers, text_id
):
    join(client, session_for(kind), make_respondent(kind), language="en")
    give_assent(client)
    answer_without_scripts(client, answers)
    assert db.session.scalar(select(Submission.consent_text)) == text_id


def test_the_scripts_are_given_the_id_of_the_text_shown_to_send_it_with_the_answers(
    client, session_for, make_respondent
):
    run = kiosk_data(consent_page(client, session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF)))
    assert (run["run"]["consent_text"], run["run"]["for_adults"]) == ("adult_consent-1", True)
    run = kiosk_data(consent_page(client, session_for(RespondentKind.CHILD), make_respondent()))
    assert (run["run"]["consent_text"], run["run"]["for_adults"]) == ("child_assent-1", False)


def test_the_tablets_script_sends_the_id_of_the_text_shown():
    """The body run.js gives the outbox (queue.js sends it as it is) names the run's consent text."""
    script = (KIOSK_STATIC / "run.js").read_text()
    body = re.search(r"kiosk\.queue\.submit\(\{(.*?)\}\)", script, re.DOTALL).group(1)
    assert "consent_text: run.consent_text" in body


def test_the_thank_you_page_does_not_send_an_adult_back_to_an_adult(client, session_for, make_respondent):
    join(client, session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF), language="en")
    give_assent(client)
    answer_without_scripts(client, QUIZ_ANSWERS)
    page = client.get("/kiosk/thanks").text
    assert re.search(r'<p data-for="children" hidden>', page)
    assert re.search(r'<p data-for="adults">If you used a tablet of the programme', page)


def test_the_thank_you_page_tells_a_child_to_give_the_tablet_back(client, session_for, make_respondent):
    join(client, session_for(RespondentKind.CHILD), make_respondent(), language="en")
    give_assent(client)
    answer_without_scripts(client, CALM_ANSWERS)
    page = client.get("/kiosk/thanks").text
    assert f'<p data-for="children">{TABLET_BACK_TO_THE_ADULT}' in page
    assert '<p data-for="adults" hidden>' in page


def test_an_adult_who_declines_is_not_sent_back_to_an_adult(client, session_for, make_respondent):
    join(client, session_for(RespondentKind.PARENT), make_respondent(RespondentKind.PARENT), language="en")
    page = client.post("/kiosk/assent", data={"answer": "no"}).text
    assert "Nothing was saved." in page and '<p data-for="adults">' in page
    assert "Nothing was saved. Please give the tablet back" not in page
    assert db.session.scalar(select(Submission)) is None


def test_the_done_page_kept_offline_holds_the_childrens_line_and_the_adults_line_hidden(client):
    page = client.get("/kiosk/done?lang=en").text
    assert f'<p data-for="children">{TABLET_BACK_TO_THE_ADULT}' in page
    assert '<p data-for="adults" hidden>If you used a tablet of the programme' in page


# ---- The JSON intake ----------------------------------------------------------------------------------------


def staff_body(session, respondent, **changes) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": respondent.code,
        "instrument": "staff_quiz",
        "version": "1.0",
        "language": "en",
        "assent": True,
        "answers": {"q1": 1, "q2": 0},
    }
    return {**body, **changes}


@pytest.fixture
def staff_session_and_member(session_for, make_respondent):
    return session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF)


def test_the_intake_records_the_text_the_tablet_showed(client, staff_session_and_member):
    response = client.post(
        "/api/submissions", json=staff_body(*staff_session_and_member, consent_text="adult_consent-1")
    )
    assert response.status_code == 201
    assert db.session.scalar(select(Submission.consent_text)) == "adult_consent-1"


def test_without_a_text_named_the_intake_records_todays_text_for_the_respondent(client, staff_session_and_member):
    assert client.post("/api/submissions", json=staff_body(*staff_session_and_member)).status_code == 201
    assert db.session.scalar(select(Submission.consent_text)) == "adult_consent-1"


@pytest.mark.parametrize(
    ("consent_text", "error", "words"),
    [
        ("adult_consent-7", "unknown_consent_text", 'No consent text is called "adult_consent-7".'),
        (
            "child_assent-1",
            "consent_text_not_for_respondent",
            'The consent text "child_assent-1" is not the one for this respondent.',
        ),
    ],
)
def test_a_text_unknown_or_not_for_the_respondent_is_refused(
    client, staff_session_and_member, consent_text, error, words
):
    response = client.post("/api/submissions", json=staff_body(*staff_session_and_member, consent_text=consent_text))
    assert (response.status_code, response.json["error"], response.json["message"]) == (422, error, words)
    assert db.session.scalar(select(Submission)) is None


def test_a_text_id_that_is_not_a_text_is_refused(client, staff_session_and_member):
    response = client.post("/api/submissions", json=staff_body(*staff_session_and_member, consent_text=1))
    assert (response.status_code, response.json["error"]) == (422, "malformed_submission")
    assert response.json["message"] == "'consent_text' must be a text."


def test_a_child_cannot_be_recorded_as_agreeing_to_the_adults_text(client, session_for, make_respondent):
    body = {
        "uuid": str(uuid.uuid4()),
        "join_code": session_for(RespondentKind.CHILD).join_code,
        "respondent_code": make_respondent().code,
        "instrument": "mood",
        "version": "1.0",
        "language": "en",
        "assent": True,
        "answers": {"m1": 2, "worry": 0},
        "consent_text": "adult_consent-1",
    }
    response = client.post("/api/submissions", json=body)
    assert (response.status_code, response.json["error"]) == (422, "consent_text_not_for_respondent")


def test_a_run_begun_before_the_texts_were_named_goes_on_under_the_childrens_text(client, session_for, make_respondent):
    """A tablet whose kiosk state was written before consent texts had names (only the children's existed)."""
    consent_page(client, session_for(RespondentKind.CHILD), make_respondent(RespondentKind.CHILD))
    with client.session_transaction() as cookie:
        cookie["kiosk"] = {key: value for key, value in cookie["kiosk"].items() if key != "consent_text"}
    page = client.get("/kiosk/assent")
    assert page.status_code == 200 and CHILDREN_TEXT in page.text
    give_assent(client)
    answer_without_scripts(client, CALM_ANSWERS)
    assert db.session.scalar(select(Submission.consent_text)) == "child_assent-1"
