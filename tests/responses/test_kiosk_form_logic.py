"""The kiosk with the form logic of imported XLSForms (where_i_live.py), as a child without scripts meets it:
hints, dates, text choice names, ${item} in texts, cascading selects and constraints with the instrument's own
messages; and what the page hands the tablet's scripts to do the same live."""

import json
import re
from html import unescape

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from surveyapp.definitions.documents import parse_definition
from surveyapp.extensions import db
from surveyapp.responses.form_answers import answers_from_form
from surveyapp.responses.models import Submission
from tests.responses.test_kiosk import client_uuid_on, give_assent, join
from tests.responses.where_i_live import where_i_live

AIDA = {"name": "Aida", "age": "11", "region": "naryn", "district": "at_bashy", "birthday": "2014-05-01"}


@pytest.fixture
def live_session(publish, make_session):
    return make_session([publish(where_i_live())])


@pytest.fixture
def questionnaire(client, live_session, make_respondent):
    """The no-script questionnaire page of a child who has joined in English and assented."""
    join(client, live_session, make_respondent(), language="en")
    give_assent(client)
    return client.get("/kiosk/questionnaire").text


def send(client, page: str, answers: dict):
    return client.post("/kiosk/questionnaire", data={**answers, "client_uuid": client_uuid_on(page)})


def question(page: str, item: str) -> str:
    """The HTML of one question of the page."""
    following = '<div class="question|<div class="send"'
    return re.search(rf'<div class="question[^"]*" id="q-{item}".*?(?={following})', page, re.S)[0]


def shown_options(page: str, item: str) -> list[str]:
    """The option values of a question a child sees (labels not hidden)."""
    return re.findall(r'<label (?![^>]*\bhidden\b)[^>]*><input [^>]*value="([^"]+)"', question(page, item))


def data(html: str, name: str):
    return json.loads(unescape(re.search(rf"data-{name}='([^']*)'", html)[1]))


def test_the_page_shows_hints_a_date_field_and_text_choice_names_but_no_calculation(questionnaire):
    assert '<p class="hint">In whole years.</p>' in question(questionnaire, "age")
    assert re.search(r'<input type="date" name="birthday"', questionnaire)
    assert shown_options(questionnaire, "region") == ["osh", "naryn"]
    assert 'id="q-age_next"' not in questionnaire


def test_a_group_title_is_shown_with_the_first_question_of_the_group_only(questionnaire):
    assert '<h2 class="section-title">School</h2>' in question(questionnaire, "likes")
    assert questionnaire.count('class="section-title"') == 1


def test_every_district_is_offered_until_the_region_is_known(questionnaire):
    assert shown_options(questionnaire, "district") == ["kara_suu", "uzgen", "at_bashy"]


def test_a_child_without_scripts_sends_text_choice_names_and_a_date_stored_as_given(client, questionnaire):
    response = send(client, questionnaire, {**AIDA, "likes": "1"})
    assert response.status_code == 302, response.text
    submission = db.session.scalar(select(Submission))
    # Stored as the instrument defines its values: names as text, the yes/no option as the number 1, the date as
    # the ISO string, the age as an int; the calculate (age_next) is never stored.
    assert submission.answers == {
        "name": "Aida",
        "age": 11,
        "region": "naryn",
        "district": "at_bashy",
        "birthday": "2014-05-01",
        "likes": 1,
    }


def test_a_refused_page_fills_item_names_in_texts_with_the_answers_given(client, questionnaire):
    page = send(client, questionnaire, {**AIDA, "age": "30"}).text
    # ${name} -> Aida; ${age_next} = 30 + 1 = 31, a whole number shown without ".0".
    assert "How old are you, Aida?" in question(page, "age")
    assert "Next year you will be 31." in question(page, "next_year")


def test_a_broken_constraint_shows_the_instruments_own_message(client, questionnaire):
    response = send(client, questionnaire, {**AIDA, "age": "30"})
    age = question(response.text, "age")
    assert response.status_code == 422
    assert '<p class="problem" role="alert">Aida, the age must be between 6 and 18.</p>' in age
    assert 'value="30"' in age  # the answer is shown again, not lost


def test_a_missing_required_answer_shows_the_instruments_own_message(client, questionnaire):
    response = send(client, questionnaire, {key: value for key, value in AIDA.items() if key != "name"})
    assert response.status_code == 422
    assert '<p class="problem" role="alert">Please write your first name.</p>' in question(response.text, "name")


def test_a_district_outside_the_region_is_refused_and_the_districts_are_filtered(client, questionnaire):
    response = send(client, questionnaire, {**AIDA, "district": "uzgen"})  # Uzgen is in Osh, not in Naryn
    assert response.status_code == 422
    district = question(response.text, "district")
    assert "This choice does not fit your other answers; please choose again." in district
    assert shown_options(response.text, "district") == ["at_bashy"]
    assert "checked" not in district  # the refused choice is not sent again from a hidden option


def test_the_page_gives_the_scripts_the_form_logic(questionnaire):
    form = re.search(r'<form method="post" id="questionnaire".*?>', questionnaire, re.S)[0]
    definition = parse_definition(where_i_live())
    age_next = definition.item("age_next").calculation
    assert data(form, "calculates") == [{"id": "age_next", "calculation": age_next.json()}]
    assert data(question(questionnaire, "age"), "constraint") == definition.item("age").constraint.json()
    assert 'data-constraint-message="${name}, the age must be between 6 and 18."' in question(questionnaire, "age")
    district = question(questionnaire, "district")
    assert data(district, "choice-filter") == definition.item("district").choice_filter.json()
    assert data(district, "columns") == {"region": "osh", "name": "kara_suu"}
    assert 'data-fill="How old are you, ${name}?"' in question(questionnaire, "age")
    # The section's condition is the one a school question inherits: ${age} >= 7.
    assert data(question(questionnaire, "likes"), "relevant") == {
        "tree": {"op": ">=", "args": [{"ref": "age"}, {"num": 7}]}
    }


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({"region": ["osh"]}, {"region": "osh"}),  # a choice name stays text
        ({"likes": ["0"]}, {"likes": 0}),  # a number option becomes the int
        ({"likes": ["7"]}, {"likes": 7}),  # no such option: the number, which validation refuses
        ({"region": ["tokyo"]}, {"region": "tokyo"}),  # no such option: the text, which validation refuses
        ({"birthday": [" 2014-05-01 "]}, {"birthday": "2014-05-01"}),
        ({"birthday": ["1 May"]}, {"birthday": "1 May"}),  # not a date: kept for validation to refuse
        ({"region": [""], "birthday": [""]}, {}),
    ],
)
def test_the_form_reader_gives_each_answer_its_stored_value(posted, expected):
    assert answers_from_form(parse_definition(where_i_live()), MultiDict(posted)) == expected
