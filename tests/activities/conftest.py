"""Activities, and submissions stored straight into the database (the intake is tested in tests/responses): what
counts here is who submitted where."""

import uuid

import pytest

from surveyapp.activities.models import Activity
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument


def _text(en: str) -> dict:
    return {"ky": f"{en} (ky)", "ru": f"{en} (ru)", "en": en}


@pytest.fixture
def make_activity(app_context):
    def make(code: str, planned: int, position: int, title: str | None = None) -> Activity:
        activity = Activity(
            code=code,
            position=position,
            title=_text(title or code.replace("_", " ").capitalize()),
            period=_text("October 2019"),
            planned_participants=planned,
        )
        db.session.add(activity)
        db.session.commit()
        return activity

    return make


@pytest.fixture
def store_submission(app_context):
    def store(session, respondent, version) -> Submission:
        submission = Submission(
            client_uuid=uuid.uuid4(),
            session=session,
            respondent=respondent,
            instrument_version=version,
            language="ky",
            answers={},
        )
        db.session.add(submission)
        db.session.commit()
        return submission

    return store


@pytest.fixture
def two_questionnaires(publish):
    worry = mood_instrument()
    worry["id"] = "worry"
    return publish(mood_instrument()), publish(worry)


@pytest.fixture
def programme(make_activity, make_session, make_respondent, store_submission, two_questionnaires):
    """Hand-made: three activities (made out of order), five sessions, five children.

    events (planned 4): S1 (mood + worry), S2 (mood), S5 (no one came)
      child 1: mood and worry at S1, mood at S2 -> once
      child 2: mood at S2
      child 3: worry at S1                        -> events reached {1, 2, 3} = 3 of 4 = 75.0%, 3 sessions
    child support (planned 10): S3
      child 3: mood at S3                         -> 1 of 10 = 10.0%, 1 session
    launch (planned 25): no session               -> 0 of 25 = 0.0%
    S4, linked to no activity: child 4            -> counts nowhere; child 5 submits nothing
    """
    mood, worry = two_questionnaires
    events = make_activity("children_events", 4, position=3)
    support = make_activity("child_support", 10, position=2)
    make_activity("launch_meeting", 25, position=1)
    s1, s2, s3, s4, s5 = (
        make_session([mood, worry]),
        make_session([mood]),
        make_session([mood]),
        make_session([mood]),
        make_session([mood]),
    )
    for session, activity in ((s1, events), (s2, events), (s5, events), (s3, support)):
        session.activity_id = activity.id
    db.session.commit()
    child = [make_respondent() for _ in range(5)]
    for session, respondent, version in (
        (s1, child[0], mood),
        (s1, child[0], worry),
        (s2, child[0], mood),
        (s2, child[1], mood),
        (s1, child[2], worry),
        (s3, child[2], mood),
        (s4, child[3], mood),
    ):
        store_submission(session, respondent, version)
