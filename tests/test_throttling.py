"""Throttling of guesses (issue 15, items 1 and 5): failed log-ins, kiosk joins and intake submissions are counted
per client address and answered 429 beyond the limit; successes are never counted, so a class of tablets behind
one address is never slowed down."""

import uuid

import pytest

from surveyapp.auth.models import Role
from surveyapp.extensions import limiter
from tests.factories import mood_instrument
from tests.processes import UNTHROTTLED


def refused_then_held_up(statuses: list[int]) -> bool:
    return all(400 <= status < 500 and status != 429 for status in statuses[:-1]) and statuses[-1] == 429


@pytest.fixture
def limits(app):
    """Sets real limits for one test, with empty counts before and after."""
    saved = {key: app.config[key] for key in UNTHROTTLED}

    def set_limit(setting: str, value: str) -> None:
        app.config[setting] = value

    limiter.reset()
    yield set_limit
    app.config.update(saved)
    limiter.reset()


def test_a_guesser_of_passwords_is_slowed_down(client, make_user, limits):
    limits("LOGIN_FAILURE_LIMIT", "3 per minute")
    _user, password = make_user(Role.COORDINATOR, "coordinator")
    statuses = [
        client.post("/auth/login", data={"username": f"user{n}", "password": "guess"}).status_code for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    assert client.post("/auth/login", data={"username": "coordinator", "password": password}).status_code == 429
    other_address = client.post(
        "/auth/login", data={"username": "coordinator", "password": password}, environ_base={"REMOTE_ADDR": "10.0.0.7"}
    )
    assert other_address.status_code == 302


def test_a_guesser_of_codes_is_slowed_down_at_the_kiosk_and_the_intake(
    client, publish, make_session, make_respondent, limits
):
    limits("JOIN_FAILURE_LIMIT", "2 per minute")
    limits("INTAKE_FAILURE_LIMIT", "2 per minute")
    session, child = make_session([publish(mood_instrument())]), make_respondent()
    joins = [
        client.post("/kiosk/", data={"join_code": "000000", "respondent_code": "XXXX-XX"}).status_code for _ in range(3)
    ]
    assert refused_then_held_up(joins)

    def body(code: str) -> dict:
        return {
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0},
        }

    guesses = [client.post("/api/submissions", json=body(f"GUESS{n}")).status_code for n in range(3)]
    assert refused_then_held_up(guesses)
    assert client.post("/api/submissions", json=body(child.code)).status_code == 429  # this address is held up


def test_successes_are_never_counted(client, publish, make_session, make_respondent, limits):
    limits("INTAKE_FAILURE_LIMIT", "2 per minute")
    session = make_session([publish(mood_instrument())])
    for _ in range(5):  # five tablets' queues behind one address
        response = client.post(
            "/api/submissions",
            json={
                "uuid": str(uuid.uuid4()),
                "join_code": session.join_code,
                "respondent_code": make_respondent().code,
                "instrument": "mood",
                "version": "1.0",
                "language": "ru",
                "assent": True,
                "answers": {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0},
            },
        )
        assert response.status_code == 201


def test_many_addresses_guessing_codes_at_one_session_are_held_up_there_only(
    client, publish, make_session, make_respondent, limits
):
    """Per session, the kiosk and the intake counted together: a guesser who spreads over addresses stops too."""
    limits("SESSION_FAILURE_LIMIT", "3 per minute")
    version = publish(mood_instrument())
    attacked, other, child = make_session([version]), make_session([version]), make_respondent()

    def from_address(number: int) -> dict:
        return {"REMOTE_ADDR": f"10.0.0.{number}"}

    def body(session, code: str) -> dict:
        return {
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0},
        }

    guesses = [
        client.post("/api/submissions", json=body(attacked, "K4M7-P9P"), environ_base=from_address(1)),
        client.post(
            "/kiosk/",
            data={"join_code": attacked.join_code_shown, "respondent_code": "K4M7-P9P"},
            environ_base=from_address(2),
        ),
        client.post("/api/submissions", json=body(attacked, "K4M7-P9P"), environ_base=from_address(3)),
        client.post("/api/submissions", json=body(attacked, child.code), environ_base=from_address(4)),
    ]
    assert refused_then_held_up([reply.status_code for reply in guesses])
    other_session = client.post("/api/submissions", json=body(other, child.code), environ_base=from_address(5))
    assert other_session.status_code == 201
