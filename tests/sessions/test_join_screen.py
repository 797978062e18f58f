"""The join screen a trainer puts on a projector: the code in large digits, a QR code of the kiosk with the code
filled in, and live counts of who joined and who submitted."""

import io
import uuid

import pytest
import segno
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SessionJoin, SurveySession
from surveyapp.sessions.views import QR_SVG_OPTIONS
from tests.trainings.planning_steps import staff_test


@pytest.fixture
def staff_session(publish, make_session):
    return make_session([publish(staff_test())])


def run_by(session: SurveySession, trainer) -> SurveySession:
    session.trainer_id = trainer.id
    db.session.commit()
    return session


def test_the_join_screen_shows_the_code_large_and_refreshes_itself(client, login, staff_session):
    run_by(staff_session, login(Role.TRAINER))
    page = client.get(f"/sessions/{staff_session.id}/join-screen")
    assert page.status_code == 200
    assert f'<p class="join-code" aria-label="Join code">{staff_session.join_code_shown}</p>' in page.text
    assert '<meta http-equiv="refresh" content="10">' in page.text
    assert f'src="/sessions/{staff_session.id}/join-qr-code.svg"' in page.text
    assert "http://localhost/kiosk/" in page.text
    assert "<script" not in page.text


def test_the_qr_code_opens_the_kiosk_with_the_code_filled_in(client, login, staff_session):
    run_by(staff_session, login(Role.TRAINER))
    response = client.get(f"/sessions/{staff_session.id}/join-qr-code.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    # The address a phone opens: the kiosk's join page (helper B2 fills the code in from ?code=).
    expected = io.BytesIO()
    segno.make_qr(f"http://localhost/kiosk/?code={staff_session.join_code}").save(
        expected, kind="svg", **QR_SVG_OPTIONS
    )
    assert response.data == expected.getvalue()


def test_the_counts_are_of_people_who_joined_and_people_who_submitted(
    client, login, publish, make_session, make_respondent
):
    session = run_by(
        make_session([publish(staff_test("staff_a")), publish(staff_test("staff_b"))]), login(Role.TRAINER)
    )
    joined = [make_respondent(RespondentKind.STAFF) for _ in range(3)]
    db.session.add_all(SessionJoin(session_id=session.id, respondent_id=person.id) for person in joined)
    # Three typed their code; one of them has sent both questionnaires: one person submitted.
    db.session.add_all(
        Submission(
            client_uuid=uuid.uuid4(),
            session_id=session.id,
            respondent_id=joined[0].id,
            instrument_version_id=version.id,
            language="en",
            answers={},
        )
        for version in session.instrument_versions
    )
    db.session.commit()

    page = client.get(f"/sessions/{session.id}/join-screen").text
    assert '<strong id="joined">3</strong>' in page and '<strong id="submitted">1</strong>' in page


def test_closing_from_the_join_screen_shows_closed(client, login, staff_session):
    run_by(staff_session, login(Role.TRAINER))
    page = client.get(f"/sessions/{staff_session.id}/join-screen").text
    assert f'action="/sessions/{staff_session.id}/close"' in page
    client.post(f"/sessions/{staff_session.id}/close")
    page = client.get(f"/sessions/{staff_session.id}/join-screen").text
    assert staff_session.join_code_shown not in page and "no longer accepts answers" in page
    assert 'http-equiv="refresh"' not in page
    assert not db.session.scalar(select(SurveySession.is_open))


@pytest.mark.parametrize("path", ["join-screen", "join-qr-code.svg"])
def test_another_trainers_session_is_not_shown(client, login, make_user, staff_session, path):
    run_by(staff_session, make_user(Role.TRAINER, "other-trainer")[0])
    login(Role.TRAINER)
    assert client.get(f"/sessions/{staff_session.id}/{path}").status_code == 403


def test_a_coordinator_shows_any_sessions_join_screen(client, login, staff_session):
    login(Role.COORDINATOR)
    assert client.get(f"/sessions/{staff_session.id}/join-screen").status_code == 200


def test_the_session_page_links_to_the_join_screen_for_who_runs_it(client, login, make_user, staff_session):
    trainer = login(Role.TRAINER)
    run_by(staff_session, trainer)
    page = client.get(f"/sessions/{staff_session.id}").text
    assert f'href="/sessions/{staff_session.id}/join-screen"' in page
