"""What a new installation shows: `flask demo seed` after `flask instruments load`, then a child's whole path;
and the steps of `make run`, which work again on a second run."""

import re

from sqlalchemy import func, select

from surveyapp.activities.models import Activity
from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession
from surveyapp.trainings.models import Training

MAKE_RUN = (
    ["instruments", "load"],
    ["activities", "load"],
    ["demo", "seed"],
    ["demo", "programme", "--children", "20", "--staff", "4", "--parents", "4"],
)
"""The Makefile's `run` steps after `flask db upgrade` (the test database is migrated), at a small size."""


def seed(runner) -> str:
    assert runner.invoke(args=["instruments", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_first_admin_password_is_generated_and_printed_once(runner, client, app_context):
    output = seed(runner)
    password = re.search(r"user 'admin', password \(shown once\): (\S+)", output).group(1)
    assert db.session.scalar(select(User).filter_by(username="admin")).role == Role.ADMIN
    assert client.post("/auth/login", data={"username": "admin", "password": password}).status_code == 302

    again = runner.invoke(args=["demo", "seed"]).output
    assert password not in again and "admin" not in again
    assert db.session.scalar(select(func.count(SurveySession.id))) == 1


def test_a_demo_child_answers_the_self_esteem_scale_at_the_demo_session(runner, client, app_context):
    output = seed(runner)
    join_code = re.search(r"join code: ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})", output).group(1)  # typed as shown
    child_code = re.search(r"children's codes: (\S+?),", output).group(1)
    session = db.session.scalar(select(SurveySession))
    assert [v.instrument.code for v in session.instrument_versions][:2] == ["rses", "who5"]

    client.post("/kiosk/language", data={"language": "ky"})
    client.post("/kiosk/", data={"join_code": join_code, "respondent_code": child_code})
    client.post("/kiosk/assent", data={"answer": "yes"})
    page = client.get("/kiosk/questionnaire").text
    assert "Розенберг" in page
    client_uuid = re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)
    answers = {f"rses_{n:02d}": "2" for n in range(1, 11)}
    response = client.post("/kiosk/questionnaire", data={**answers, "client_uuid": client_uuid})
    assert response.headers["Location"].endswith("/kiosk/questionnaire")

    submission = db.session.scalar(select(Submission))
    # Rosenberg scoring as published by UMD Sociology: "Agree" = 2 on the five positive items; reversed
    # (3 - 2 = 1) on items 2, 5, 6, 8, 9. Total = 5 x 2 + 5 x 1 = 15.
    total = next(score for score in submission.scores if score.scale == "total")
    assert total.value == 15 and submission.language == "ky"


def test_the_demo_trainer_logs_in_with_the_password_printed_once(runner, client, app_context):
    output = seed(runner)
    password = re.search(r"Demo trainer: user 'trainer', password \(shown once\): (\S+)", output).group(1)
    assert db.session.scalar(select(User).filter_by(username="trainer")).role == Role.TRAINER
    assert client.post("/auth/login", data={"username": "trainer", "password": password}).status_code == 302
    assert "trainer" not in runner.invoke(args=["demo", "seed"]).output


def test_make_run_twice_links_the_demo_to_the_work_plan(runner, app_context):
    outputs = []
    for _ in range(2):
        for step in MAKE_RUN:
            result = runner.invoke(args=step)
            assert result.exit_code == 0, (step, result.output)
            outputs.append(result.output)
    second_run = "".join(outputs[len(MAKE_RUN) :])
    assert "6 unchanged" in second_run and "already there" in second_run and "password" not in second_run
    assert db.session.scalar(select(func.count(Activity.id))) == 6
    assert db.session.scalar(select(func.count(Training.id))) == 2

    demo_session = db.session.scalar(select(SurveySession).filter_by(title="Demo: children's baseline survey"))
    assert demo_session.respondent_kind == RespondentKind.CHILD
    assert demo_session.activity.code == "children_events"
