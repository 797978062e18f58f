"""The coordinator plans a session, gives its join code out, and sees what was submitted with its scores."""

import re
import uuid

from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession, Wave
from tests.factories import mood_instrument
from tests.trainings.planning_steps import session_form


def test_a_coordinator_plans_a_session_and_sees_its_submissions_scored(client, login, publish, make_respondent):
    login(Role.COORDINATOR)
    version = publish(mood_instrument())
    assert "Mood check" in client.get("/instruments/").text

    response = client.post("/sessions/new?kind=child", data=session_form({version.id: 1}))
    assert response.status_code == 302
    session = db.session.scalar(select(SurveySession))
    assert (session.wave, session.is_open, session.respondent_kind, [v.id for v in session.instrument_versions]) == (
        Wave.BASELINE,
        True,
        RespondentKind.CHILD,
        [version.id],
    )
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", session.join_code_shown)

    child = make_respondent()
    client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": child.code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": {"m1": 1, "m2": 3, "m3": 0, "worry": 1, "worry_now": 0},
        },
    )
    page = client.get(response.headers["Location"]).text
    # Need-to-know (issue 15): a coordinator sees the flag but not whose it is; a psychologist sees both.
    assert session.join_code_shown in page and child.code not in page and "shown to psychologists" in page
    # Prorated: (1 + (3 - 3) + 0) / 3 answered x 4 items = 1.33 -> band "low" (<= 5); worry = yes -> non-acute.
    # The scale, band and flag by their names (the instrument file's and the alert levels'), not their codes.
    assert "Mood: 1.3" in page and ">Low<" in page and ">Non-acute<" in page
    client.post("/auth/logout")
    login(Role.PSYCHOLOGIST)
    assert child.code in client.get(response.headers["Location"]).text


def test_an_incomplete_session_form_is_shown_again_with_errors(client, login, publish):
    login(Role.COORDINATOR)
    version = publish(mood_instrument())
    response = client.post("/sessions/new?kind=child", data=session_form({}, title="", held_on="27.11.2026"))
    assert response.status_code == 422
    assert "Choose at least one questionnaire" in response.text
    assert "This field is required." in response.text and "Not a valid date value." in response.text
    assert f'name="questionnaires-{version.id}"' in response.text
    assert db.session.scalar(select(func.count(SurveySession.id))) == 0


def test_closing_a_session_stops_new_answers_and_is_audited(client, login, publish, make_session, make_respondent):
    coordinator = login(Role.COORDINATOR)
    session, child = make_session([publish(mood_instrument())]), make_respondent()

    def answer() -> int:
        return client.post(
            "/api/submissions",
            json={
                "uuid": str(uuid.uuid4()),
                "join_code": session.join_code,
                "respondent_code": child.code,
                "instrument": "mood",
                "version": "1.0",
                "language": "en",
                "assent": True,
                "answers": {"m1": 1, "m2": 1, "m3": 1, "m4": 1, "worry": 0},
            },
        ).status_code

    client.post(f"/sessions/{session.id}/close")
    assert answer() == 409  # session_closed
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    event = db.session.scalar(select(AuditEvent).filter_by(action="close_session"))
    assert (event.user_id, event.object_id) == (coordinator.id, str(session.id))
    client.post(f"/sessions/{session.id}/reopen")
    assert answer() == 201


def test_a_session_cannot_be_closed_twice_nor_opened_when_open(client, login, publish, make_session):
    """A second "close" from a page left open on another computer is refused, and audited once only."""
    login(Role.COORDINATOR)
    session = make_session([publish(mood_instrument())])
    assert client.post(f"/sessions/{session.id}/reopen").status_code == 409
    assert client.post(f"/sessions/{session.id}/close").status_code == 302
    again = client.post(f"/sessions/{session.id}/close")
    assert again.status_code == 409 and "This session is already closed." in again.text
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%_session"))).all()
    assert actions.count("close_session") == 1 and "reopen_session" not in actions


def test_viewing_a_submission_is_audited(client, login, publish, make_session, make_respondent):
    coordinator = login(Role.COORDINATOR)
    session = make_session([publish(mood_instrument())])
    child = make_respondent()
    client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": child.code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": {"m1": 3, "worry": 0},
        },
    )
    page = client.get("/submissions/1")
    assert page.status_code == 200 and "Strongly agree" in page.text
    event = db.session.scalar(select(AuditEvent).filter_by(action="view_submission"))
    assert event.user_id == coordinator.id


def test_the_reliability_page_shows_the_alpha_of_each_scale_and_follows_new_submissions(
    client, login, publish, make_session, make_respondent
):
    from tests.scoring.test_scale_reliability import ANSWER_SETS

    login(Role.COORDINATOR)
    session = make_session([publish(mood_instrument())])
    for answers in ANSWER_SETS:
        client.post(
            "/api/submissions",
            json={
                "uuid": str(uuid.uuid4()),
                "join_code": session.join_code,
                "respondent_code": make_respondent().code,
                "instrument": "mood",
                "version": "1.0",
                "language": "ru",
                "assent": True,
                "answers": answers,
            },
        )
    assert f'href="/sessions/{session.id}/reliability"' in client.get(f"/sessions/{session.id}").text
    page = client.get(f"/sessions/{session.id}/reliability").text
    # alpha = 8/9 = 0.89, worked by hand in tests/scoring/test_scale_reliability.py.
    assert "Reliability at this session" in page and "<td>0.89</td>" in page
    client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": make_respondent().code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": ANSWER_SETS[0],
        },
    )
    # A fourth answer set, the first again: item variances 11/12 each, totals 11, 5, 5, 11 (variance 12), so
    # alpha = 4/3 x (1 - (44/12) / 12) = 0.93 - computed afresh, not the 0.89 kept for three answer sets.
    assert "<td>0.93</td>" in client.get(f"/sessions/{session.id}/reliability").text
