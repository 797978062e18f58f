"""Planning a session: who answers is chosen first, then any of their questionnaires in any order."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.sessions.services import QuestionnaireForOtherRespondents, plan_session
from tests.factories import mood_instrument
from tests.trainings.planning_steps import add_activity, parent_test, session_form, staff_test


def session_count() -> int:
    return db.session.scalar(select(func.count(SurveySession.id)))


def test_the_form_first_asks_who_answers(client, login, publish):
    login(Role.COORDINATOR)
    publish(mood_instrument())
    page = client.get("/sessions/new")
    assert page.status_code == 200
    for kind, label in (("child", "Children"), ("staff", "Staff"), ("parent", "Parents and guardians")):
        assert f'<button name="kind" value="{kind}">{label}</button>' in page.text
    assert "Mood check" not in page.text


def test_only_the_newest_version_of_each_questionnaire_for_the_chosen_respondents_is_offered(client, login, publish):
    login(Role.COORDINATOR)
    publish(mood_instrument())
    publish(staff_test("staff_quiz", "Staff quiz"))
    publish(staff_test("staff_quiz_after", "Staff quiz after"))
    publish(parent_test())
    publish({**staff_test("staff_quiz", "Staff quiz"), "version": "1.1"})

    page = client.get("/sessions/new?kind=staff").text
    offered = re.findall(r'<label for="questionnaires-\d+">([^<]*)</label>', page)
    assert offered == ["Staff quiz (1.1)", "Staff quiz after (1.0)"]
    assert "Respondents: Staff" in page


def test_no_questionnaire_is_required_by_the_browser(client, login, publish):
    """The reported bug: every checkbox carried ``required``, so the browser blocked any subset."""
    login(Role.COORDINATOR)
    publish(staff_test("staff_quiz", "Staff quiz"))
    publish(staff_test("staff_quiz_after", "Staff quiz after"))
    page = client.get("/sessions/new?kind=staff").text
    questionnaires = page[page.index('<fieldset class="field questionnaires"') : page.index("</fieldset>")]
    assert questionnaires.count("<select") == 2 and "required" not in questionnaires


def test_any_subset_is_given_in_the_chosen_order(client, login, publish):
    coordinator = login(Role.COORDINATOR)
    first_listed = publish(staff_test("staff_a", "Staff quiz A"))
    second_listed = publish(staff_test("staff_b", "Staff quiz B"))
    left_out = publish(staff_test("staff_c", "Staff quiz C"))
    activity = add_activity("staff_training", 3, "Staff training")

    # Posted in the order listed; the numbers put the second one first.
    response = client.post(
        "/sessions/new?kind=staff",
        data=session_form({first_listed.id: 2, second_listed.id: 1}, activity_id=str(activity.id)),
    )

    assert response.status_code == 302
    session = db.session.scalar(select(SurveySession))
    assert [v.id for v in session.instrument_versions] == [second_listed.id, first_listed.id]
    assert left_out.id not in [v.id for v in session.instrument_versions]
    assert (session.respondent_kind, session.activity_id, session.created_by_id) == (
        RespondentKind.STAFF,
        activity.id,
        coordinator.id,
    )
    event = db.session.scalar(select(AuditEvent).filter_by(action="plan_session"))
    assert event.details["instrument_versions"] == [second_listed.id, first_listed.id]


def test_the_work_plan_activities_are_offered_in_the_plans_order_by_their_title(client, login, publish):
    login(Role.COORDINATOR)
    publish(mood_instrument())
    add_activity("parents_training", 4, "Training of parents")
    add_activity("launch", 1, "Launch meeting")
    client.post("/auth/language", data={"language": "ru", "next": "/sessions/"})
    page = client.get("/sessions/new?kind=child").text
    select_html = page[page.index('name="activity_id"') :]
    select_html = select_html[: select_html.index("</select>")]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select_html)[1:] == [
        "Launch meeting (ru)",
        "Training of parents (ru)",
    ]


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (lambda quiz, other, mood: {}, "Choose at least one questionnaire: give it an order number."),
        (
            lambda quiz, other, mood: {quiz: 1, other: 1},
            "Two questionnaires have the order number 1: give each its own number.",
        ),
        (lambda quiz, other, mood: {quiz: 3}, "Give each questionnaire an order number from its list."),
        (
            lambda quiz, other, mood: {quiz: 1, mood: 2},
            "Choose only questionnaires listed here: they are the ones for these respondents.",
        ),
    ],
    ids=["none", "same number twice", "number not offered", "a child's questionnaire"],
)
def test_a_wrong_choice_of_questionnaires_is_refused_with_a_message(client, login, publish, choice, message):
    login(Role.COORDINATOR)
    quiz = publish(staff_test("staff_a", "Staff quiz A"))
    other = publish(staff_test("staff_b", "Staff quiz B"))
    mood = publish(mood_instrument())
    numbers = choice(quiz.id, other.id, mood.id)

    response = client.post("/sessions/new?kind=staff", data=session_form(numbers))

    assert response.status_code == 422
    assert message in response.text
    assert session_count() == 0


@pytest.mark.parametrize("query", ["?kind=teachers", ""])
def test_a_session_for_unknown_respondents_is_not_planned(client, login, publish, query):
    login(Role.COORDINATOR)
    version = publish(mood_instrument())
    response = client.post(f"/sessions/new{query}", data=session_form({version.id: 1}))
    assert response.status_code == 400
    assert "Who answers?" in response.text
    assert session_count() == 0


def test_a_session_never_mixes_the_questionnaires_of_different_respondents(app_context, publish):
    mood, quiz = publish(mood_instrument()), publish(staff_test())
    common = {
        "title": "T",
        "held_on": date(2026, 12, 1),
        "place": "P",
        "wave": Wave.BASELINE,
        "territory_id": None,
        "trainer_id": None,
    }
    with pytest.raises(QuestionnaireForOtherRespondents):
        plan_session(**common, instrument_version_ids=[mood.id], respondent_kind=RespondentKind.STAFF)
    with pytest.raises(QuestionnaireForOtherRespondents):
        plan_session(**common, instrument_version_ids=[quiz.id, mood.id])
    session = plan_session(**common, instrument_version_ids=[quiz.id])
    assert session.respondent_kind == RespondentKind.STAFF


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_trainer_cannot_plan_a_session_outside_a_training(client, login, publish, method):
    login(Role.TRAINER)
    version = publish(mood_instrument())
    response = client.open("/sessions/new?kind=child", method=method, data=session_form({version.id: 1}))
    assert response.status_code == 403
    assert session_count() == 0
