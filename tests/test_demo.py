"""What a new installation shows: `flask demo seed` after `flask instruments load`, then a child's whole path."""
import re

from sqlalchemy import func, select

from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession


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
    join_code = re.search(r"join code: (\d{6})", output).group(1)
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
