"""A trainer runs their training: the participant list with each person's code, the join screens, starting the
post-test at the right moment, closing and reopening."""

import uuid

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents import codes
from surveyapp.respondents.models import Respondent, RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SessionJoin
from surveyapp.trainings.models import Training, TrainingParticipant
from tests.trainings.planning_steps import staff_test, training_form


@pytest.fixture
def training(client, login, publish) -> Training:
    """A staff training planned by the logged-in trainer."""
    login(Role.TRAINER)
    pre, post = publish(staff_test("staff_pre", "Pre-test")), publish(staff_test("staff_post", "Post-test"))
    client.post("/trainings/new?kind=staff", data=training_form({pre.id: 1}, {post.id: 1}))
    return db.session.scalar(select(Training))


def states(training: Training) -> tuple[bool, bool]:
    db.session.expire_all()
    training = db.session.get(Training, training.id)
    return training.pre_session.is_open, training.post_session.is_open


def test_the_training_page_shows_both_tests_with_their_codes_and_counts(client, training, make_respondent):
    person = make_respondent(RespondentKind.STAFF)
    db.session.add(SessionJoin(session_id=training.pre_session.id, respondent_id=person.id))
    db.session.add(
        Submission(
            client_uuid=uuid.uuid4(),
            session_id=training.pre_session.id,
            respondent_id=person.id,
            instrument_version_id=training.pre_session.instrument_versions[0].id,
            language="en",
            answers={},
        )
    )
    db.session.commit()

    page = client.get(f"/trainings/{training.id}").text

    pre_row = page[page.index('<tr id="pre-test">') : page.index('<tr id="post-test">')]
    post_row = page[page.index('<tr id="post-test">') : page.index("</tbody>", page.index('<tr id="post-test">'))]
    assert training.pre_session.join_code_shown in pre_row and "open" in pre_row
    assert "<td>1</td>\n    <td>1</td>" in pre_row
    assert f'href="/sessions/{training.pre_session.id}/join-screen"' in pre_row
    assert training.post_session.join_code_shown in post_row and "closed" in post_row
    assert "<td>0</td>\n    <td>0</td>" in post_row
    assert "Start the post-test" in page
    assert f'href="/trainings/{training.id}/results"' in page


def test_starting_the_post_test_closes_the_pre_test_and_opens_the_post_test(client, training):
    assert states(training) == (True, False)
    response = client.post(f"/trainings/{training.id}/start-post-test")
    assert response.status_code == 302
    assert states(training) == (False, True)
    assert db.session.scalar(select(AuditEvent.object_id).filter_by(action="start_post_test")) == str(training.id)
    page = client.get(f"/trainings/{training.id}").text
    assert 'id="start-post-test"' not in page


def test_a_test_of_the_training_is_closed_and_reopened_from_the_training_page(client, training):
    post_id = training.post_session.id
    response = client.post(f"/sessions/{post_id}/reopen")
    assert response.headers["Location"] == f"/trainings/{training.id}"
    assert states(training) == (False, True)  # one test open at a time: whoever joins gets the post-test
    client.post(f"/sessions/{post_id}/close")
    assert states(training) == (False, False)
    client.post(f"/sessions/{training.pre_session.id}/reopen")
    assert states(training) == (True, False)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%_session"))).all()
    assert actions[-3:] == ["reopen_session", "close_session", "reopen_session"]


def test_a_participant_gets_a_new_code_of_the_trainings_kind(client, training):
    response = client.post(
        f"/trainings/{training.id}/participants",
        data={"name": "Aida Toktosunova", "organisation": "Mayor's office", "code": ""},
    )
    assert response.status_code == 302
    participant = db.session.scalar(select(TrainingParticipant))
    respondent = participant.respondent
    assert (participant.name, participant.organisation, participant.training_id) == (
        "Aida Toktosunova",
        "Mayor's office",
        training.id,
    )
    assert (respondent.kind, respondent.territory_id) == (RespondentKind.STAFF, training.territory_id)
    assert codes.is_well_formed(respondent.code)
    page = client.get(response.headers["Location"]).text
    assert f"Give them their code: {respondent.code}" in page
    assert f"<td>Aida Toktosunova</td><td>Mayor&#39;s office</td><td><code>{respondent.code}</code></td>" in page
    event = db.session.scalar(select(AuditEvent).filter_by(action="add_training_participant"))
    assert event.details == {"training": training.id, "respondent": respondent.code}


def test_a_participant_keeps_the_code_they_already_have(client, training, make_respondent):
    staff_member = make_respondent(RespondentKind.STAFF)
    typed = staff_member.code.lower().replace("-", " ")
    client.post(f"/trainings/{training.id}/participants", data={"name": "Bakyt", "organisation": "", "code": typed})
    assert db.session.scalar(select(TrainingParticipant.respondent_id)) == staff_member.id
    assert db.session.scalar(select(Respondent.id).where(Respondent.id != staff_member.id)) is None


@pytest.mark.parametrize(
    ("code_of", "message"),
    [
        (lambda make: make(RespondentKind.CHILD).code, "This is not a staff member&#39;s code."),
        (lambda make: make(RespondentKind.PARENT).code, "This is not a staff member&#39;s code."),
        (lambda make: "ABCD-EF2", "This code has a typing mistake."),
        (lambda make: codes.new_code(), "This respondent code is not registered."),
    ],
    ids=["a child's code", "a parent's code", "a typing mistake", "an unknown code"],
)
def test_a_wrong_code_is_refused_with_a_message(client, training, make_respondent, code_of, message):
    code = code_of(make_respondent)
    response = client.post(
        f"/trainings/{training.id}/participants", data={"name": "Bakyt", "organisation": "", "code": code}
    )
    assert 400 <= response.status_code < 500
    assert message in response.text
    assert db.session.scalar(select(TrainingParticipant.id)) is None


def test_a_participant_is_listed_once(client, training, make_respondent):
    code = make_respondent(RespondentKind.STAFF).code
    for name in ("Bakyt", "Bakyt again"):
        response = client.post(
            f"/trainings/{training.id}/participants", data={"name": name, "organisation": "", "code": code}
        )
    assert response.status_code == 409 and f"{code} is already on this training" in response.text
    assert db.session.scalars(select(TrainingParticipant.name)).all() == ["Bakyt"]


def test_a_participant_needs_a_name(client, training):
    response = client.post(f"/trainings/{training.id}/participants", data={"name": " ", "organisation": "x"})
    assert response.status_code == 422 and "This field is required." in response.text
    assert db.session.scalar(select(Respondent.id)) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/trainings/{id}"),
        ("POST", "/trainings/{id}/participants"),
        ("POST", "/trainings/{id}/start-post-test"),
        ("POST", "/sessions/{pre}/close"),
        ("GET", "/sessions/{pre}/join-screen"),
        ("GET", "/kiosk/device/?session_id={pre}"),
    ],
)
def test_another_trainer_cannot_run_the_training(client, login, training, method, path):
    client.post("/auth/logout")
    login(Role.TRAINER, "other-trainer")
    url = path.format(id=training.id, pre=training.pre_session.id)
    response = client.open(url, method=method, data={"name": "Someone"})
    if path.startswith("/kiosk/device/"):
        assert f'value="{training.pre_session.id}"' not in response.text
    else:
        assert response.status_code == 403
    assert states(training) == (True, False)
    assert db.session.scalar(select(TrainingParticipant.id)) is None
