"""Only a client given the session by a trainer can answer as a child (issue 15, item 1).

A session is found only by its secret join code (on the trainer's screen and in its QR code) or by a tablet set
up for it; a child's code is taken only at sessions of the child's territory; and every refusal of a session and
code that do not go together reads the same, so a guesser learns neither which code was wrong nor whether a child
took part (a closed session says so, to those who have its code, whatever the child's code)."""

import uuid

import pytest
from sqlalchemy import func, select

from surveyapp.alerts.models import Alert
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage
from surveyapp.respondents import codes
from surveyapp.respondents.models import RespondentKind, Territory
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession
from surveyapp.sessions.services import new_join_code
from tests.factories import mood_instrument
from tests.responses.test_api import NOT_ACCEPTED, UNKNOWN_CHILD_CODE, UNKNOWN_JOIN_CODE

ACUTE = {"m1": 2, "worry": 1, "worry_now": 1}
CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}


@pytest.fixture
def mood_version(publish):
    return publish(mood_instrument())


@pytest.fixture
def territories(make_respondent) -> list[Territory]:
    make_respondent()  # makes the city's territories
    return list(db.session.scalars(select(Territory).order_by(Territory.code)))


@pytest.fixture
def session_in(make_session, mood_version):
    def make(territory: Territory | None, is_open: bool = True) -> SurveySession:
        session = make_session([mood_version], is_open=is_open)
        session.territory_id = territory.id if territory else None
        db.session.commit()
        return session

    return make


@pytest.fixture
def child_of(make_respondent):
    def make(territory: Territory, kind: RespondentKind = RespondentKind.CHILD):
        respondent = make_respondent(kind)
        respondent.territory_id = territory.id
        db.session.commit()
        return respondent

    return make


def body(join_code: str, respondent_code: str, answers: dict) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "join_code": join_code,
        "respondent_code": respondent_code,
        "instrument": "mood",
        "version": "1.0",
        "language": "en",
        "assent": True,
        "answers": answers,
    }


def what_was_stored() -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) for model in (Submission, Alert, OutboxMessage)
    )


def test_a_forged_acute_screen_for_a_child_of_another_territory_is_refused_and_opens_no_alert(
    client, territories, session_in, child_of
):
    """The finding: a child of territory 7 who never attended got an acute screen stored at a session of
    territory 1, which opened an alert and e-mailed the psychologist."""
    session, child = session_in(territories[0]), child_of(territories[6])
    response = client.post("/api/submissions", json=body(session.join_code, child.code, ACUTE))
    assert (response.status_code, response.json["error"]) == (403, "not_accepted")
    assert what_was_stored() == (0, 0, 0)
    at_own_territory = session_in(territories[6])
    assert client.post("/api/submissions", json=body(at_own_territory.join_code, child.code, ACUTE)).status_code == 201
    assert what_was_stored()[:2] == (1, 1)


def test_a_city_wide_session_takes_children_of_every_territory(client, territories, session_in, child_of):
    session = session_in(None)
    for territory in (territories[0], territories[6]):
        response = client.post("/api/submissions", json=body(session.join_code, child_of(territory).code, CALM))
        assert response.status_code == 201


def refusal_reasons(client, territories, session_in, child_of, make_respondent) -> dict[str, tuple[str, str]]:
    """(join code, respondent code) for each reason a session and a code do not go together."""
    home = territories[0]
    session, child = session_in(home), child_of(home)
    answered = child_of(home)
    assert client.post("/api/submissions", json=body(session.join_code, answered.code, CALM)).status_code == 201
    return {
        "unknown session": (UNKNOWN_JOIN_CODE, child.code),
        "unknown child": (session.join_code, UNKNOWN_CHILD_CODE),
        "child of another territory": (session.join_code, child_of(territories[3]).code),
        "a parent at a children's session": (session.join_code, child_of(home, RespondentKind.PARENT).code),
        "a child who has answered": (session.join_code, answered.code),
    }


def test_every_refusal_of_a_session_and_code_reads_the_same_at_the_intake(
    client, territories, session_in, child_of, make_respondent
):
    reasons = refusal_reasons(client, territories, session_in, child_of, make_respondent)
    replies = {
        reason: client.post("/api/submissions", json=body(join_code, code, ACUTE))
        for reason, (join_code, code) in reasons.items()
    }
    assert {reason: (reply.status_code, reply.json) for reason, reply in replies.items()} == {
        reason: (403, {"error": "not_accepted", "message": NOT_ACCEPTED["en"], "problems": []}) for reason in reasons
    }
    assert what_was_stored()[:2] == (1, 0)  # the one calm submission made for the last reason


def test_every_refusal_of_a_session_and_code_reads_the_same_at_the_kiosk(
    client, territories, session_in, child_of, make_respondent
):
    reasons = refusal_reasons(client, territories, session_in, child_of, make_respondent)
    client.post("/kiosk/language", data={"language": "en"})
    pages = {
        reason: client.post("/kiosk/", data={"join_code": join_code, "respondent_code": code})
        for reason, (join_code, code) in reasons.items()
    }
    error_box = f'<div class="error-box" role="alert">{NOT_ACCEPTED["en"]}</div>'
    assert {reason: (page.status_code, error_box in page.text) for reason, page in pages.items()} == {
        reason: (403, True) for reason in reasons
    }


def test_a_closed_session_says_so_whatever_the_childs_code(client, territories, session_in, child_of):
    """Only someone given the session's secret code learns that it is closed, and nothing of any child."""
    closed = session_in(territories[0], is_open=False)
    codes_tried = (child_of(territories[0]).code, child_of(territories[5]).code, UNKNOWN_CHILD_CODE)
    replies = [client.post("/api/submissions", json=body(closed.join_code, code, ACUTE)) for code in codes_tried]
    assert [(reply.status_code, reply.json["error"]) for reply in replies] == [(409, "session_closed")] * 3
    assert len({reply.json["message"] for reply in replies}) == 1


def test_join_codes_are_secret_codes_no_two_sessions_share(app_context):
    """Twelve characters of the 31-character alphabet, the last a check character: 31^11 codes (about 2^54)
    instead of the 10^6 that were found by guessing in minutes."""
    drawn = [new_join_code() for _ in range(400)]
    assert len(set(drawn)) == 400
    assert all(len(code) == 12 and set(code) <= set(codes.ALPHABET) for code in drawn)
    assert all(codes.is_well_formed_join_code(code) for code in drawn)
    for position in range(11):  # every random position takes most of the alphabet over 400 draws
        assert len({code[position] for code in drawn}) >= 25


def test_a_join_code_is_typed_as_shown_or_in_lower_case_with_spaces(client, session_in, territories, child_of):
    session, child = session_in(territories[0]), child_of(territories[0])
    typed = session.join_code_shown.lower().replace("-", " ")
    response = client.post("/api/submissions", json=body(typed, child.code, CALM))
    assert response.status_code == 201
