"""A mood session (tests/factories.py) with a child to answer it and a psychologist on duty with an e-mail."""

import uuid

import pytest

from surveyapp.alerts.roster import put_on_duty
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from tests.factories import mood_instrument

CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}
WORRIED_NOW = {**CALM, "worry": 1, "worry_now": 1}  # the mood instrument's flag worry_now: acute


@pytest.fixture
def body(publish, make_session, make_respondent) -> dict:
    """A calm submission for the JSON intake."""
    session, child = make_session([publish(mood_instrument())]), make_respondent()
    return {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": child.code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ru",
        "assent": True,
        "answers": CALM,
    }


@pytest.fixture
def on_duty(make_user):
    psychologist, _password = make_user(Role.PSYCHOLOGIST, "dilnoza")
    psychologist.email = "dilnoza@example.org"
    put_on_duty(psychologist, None, is_backup=False)
    db.session.commit()
    return psychologist
