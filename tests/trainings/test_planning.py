"""A trainer (or a coordinator for a trainer) plans a training of staff or parents: a pre-test session, open at
once, and a post-test session, closed until the trainer starts it, each with its questionnaires in order."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind, Territory
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.trainings.models import Training
from tests.factories import mood_instrument
from tests.trainings.planning_steps import add_activity, parent_test, staff_test, training_form


@pytest.fixture
def staff_tests(publish):
    """Three staff tests: two for the pre-test, one for the post-test."""
    return [
        publish(staff_test(code, title))
        for code, title in (("staff_pre_a", "Pre-test A"), ("staff_pre_b", "Pre-test B"), ("staff_post", "Post-test"))
    ]


def only_training() -> Training:
    return db.session.scalar(select(Training))


def test_a_trainer_plans_a_staff_training_with_a_pre_test_and_a_post_test(client, login, staff_tests):
    trainer = login(Role.TRAINER)
    pre_a, pre_b, post = staff_tests
    activity = add_activity("staff_training", 3, "Staff training")

    response = client.post(
        "/trainings/new?kind=staff",
        data=training_form({pre_b.id: 1, pre_a.id: 2}, {post.id: 1}, activity_id=str(activity.id)),
    )

    training = only_training()
    assert response.status_code == 302 and response.headers["Location"] == f"/trainings/{training.id}"
    assert (training.respondent_kind, training.trainer_id, training.activity_id, training.held_on) == (
        RespondentKind.STAFF,
        trainer.id,
        activity.id,
        date(2026, 12, 10),
    )
    pre_test, post_test = training.pre_session, training.post_session
    assert [v.id for v in pre_test.instrument_versions] == [pre_b.id, pre_a.id]
    assert [v.id for v in post_test.instrument_versions] == [post.id]
    assert (pre_test.wave, pre_test.is_open, post_test.wave, post_test.is_open) == (
        Wave.BASELINE,
        True,
        Wave.POST,
        False,
    )
    for session in (pre_test, post_test):
        assert (session.respondent_kind, session.trainer_id, session.activity_id, session.training_id) == (
            RespondentKind.STAFF,
            trainer.id,
            activity.id,
            training.id,
        )
    assert pre_test.join_code != post_test.join_code
    assert db.session.scalar(select(AuditEvent).filter_by(action="plan_training")).user_id == trainer.id


def test_a_trainer_is_the_trainer_of_what_they_plan_whatever_is_posted(client, login, make_user, staff_tests):
    other, _password = make_user(Role.TRAINER, "other-trainer")
    trainer = login(Role.TRAINER)
    assert 'name="trainer_id"' not in client.get("/trainings/new?kind=staff").text
    client.post(
        "/trainings/new?kind=staff",
        data=training_form({staff_tests[0].id: 1}, {staff_tests[2].id: 1}, trainer_id=str(other.id)),
    )
    assert only_training().trainer_id == trainer.id


def test_a_coordinator_chooses_the_trainer(client, login, make_user, staff_tests):
    trainer, _password = make_user(Role.TRAINER, "trainer-aida")
    login(Role.COORDINATOR)
    response = client.post(
        "/trainings/new?kind=staff",
        data=training_form({staff_tests[0].id: 1}, {staff_tests[2].id: 1}, trainer_id=str(trainer.id)),
    )
    assert response.status_code == 302
    training = only_training()
    assert training.trainer_id == trainer.id == training.post_session.trainer_id


def test_a_trainer_plans_in_their_territory_unless_they_choose_another(client, login, staff_tests):
    trainer = login(Role.TRAINER)
    ensure_territories()
    territory = db.session.scalar(select(Territory).order_by(Territory.code.desc()))
    trainer.territory_id = territory.id
    db.session.commit()
    page = client.get("/trainings/new?kind=staff").text
    assert f'<option selected value="{territory.id}">' in page


def test_only_the_tests_of_the_trainings_participants_are_offered(client, login, staff_tests, publish):
    login(Role.TRAINER)
    publish(mood_instrument())
    parents = publish(parent_test())
    page = client.get("/trainings/new?kind=parent").text
    for field in ("pre_test", "post_test"):
        assert re.findall(rf'<label for="{field}-\d+">([^<]*)</label>', page) == ["Parent quiz (1.0)"]
    assert f'name="pre_test-{parents.id}"' in page


def test_the_form_first_asks_whether_staff_or_parents_are_trained(client, login, staff_tests):
    login(Role.TRAINER)
    page = client.get("/trainings/new").text
    assert '<button name="kind" value="staff">Staff</button>' in page
    assert '<button name="kind" value="parent">Parents and guardians</button>' in page
    assert 'value="child"' not in page


def test_children_are_never_trained(client, login, publish):
    login(Role.TRAINER)
    mood = publish(mood_instrument())
    response = client.post("/trainings/new?kind=child", data=training_form({mood.id: 1}, {mood.id: 1}))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Training.id))) == 0


@pytest.mark.parametrize(
    ("pre_test", "post_test", "field", "message"),
    [
        ({}, {2: 1}, "pre_test", "Choose at least one questionnaire"),
        ({1: 1}, {}, "post_test", "Choose at least one questionnaire"),
        ({1: 1, 2: 1}, {3: 1}, "pre_test", "Two questionnaires have the order number 1"),
    ],
)
def test_each_test_needs_its_own_valid_choice(client, login, staff_tests, pre_test, post_test, field, message):
    """Ids 1-3 are the three staff tests, published first in a fresh database."""
    login(Role.TRAINER)
    assert [v.id for v in staff_tests] == [1, 2, 3]
    response = client.post("/trainings/new?kind=staff", data=training_form(pre_test, post_test, title=""))
    assert response.status_code == 422
    fieldset = response.text[response.text.index(f'id="{field}"') :]
    assert message in fieldset[: fieldset.index("</fieldset>")]
    assert "This field is required." in response.text
    assert db.session.scalar(select(func.count(Training.id))) == 0
    assert db.session.scalar(select(func.count(SurveySession.id))) == 0


def test_a_trainer_lists_only_their_own_trainings(client, login, make_user, staff_tests):
    other, _password = make_user(Role.TRAINER, "other-trainer")
    login(Role.COORDINATOR)
    client.post(
        "/trainings/new?kind=staff",
        data=training_form(
            {staff_tests[0].id: 1}, {staff_tests[2].id: 1}, trainer_id=str(other.id), title="Someone else's training"
        ),
    )
    client.post("/auth/logout")
    login(Role.TRAINER)
    client.post(
        "/trainings/new?kind=staff",
        data=training_form({staff_tests[0].id: 1}, {staff_tests[2].id: 1}, title="My training"),
    )

    page = client.get("/trainings/").text
    assert "My training" in page and "Someone else&#39;s training" not in page
    others = db.session.scalar(select(Training).filter_by(trainer_id=other.id))
    assert client.get(f"/trainings/{others.id}").status_code == 403
