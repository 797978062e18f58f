"""The intake (responses) tells alerts of a positive screen through a signal, as responses sits below alerts
(responses/signals.py): the alert still opens in the submission's transaction, and a positive screen that no
receiver would act on is refused rather than stored without its alert."""

import uuid

import pytest
from sqlalchemy import func, select

from surveyapp.alerts.models import Alert
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.responses.services import FlaggedWithoutReceiver, SubmissionRequest, record_submission
from surveyapp.responses.signals import submission_flagged
from tests.alerts.conftest import CALM, WORRIED


def request_for(session, respondent, answers: dict) -> SubmissionRequest:
    return SubmissionRequest(
        client_uuid=uuid.uuid4(),
        join_code=session.join_code,
        respondent_code=respondent.code,
        instrument="mood",
        version="1.0",
        language="ru",
        answers=answers,
        has_assent=True,
    )


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def without_alert_receiver():
    """As in a process that never imported surveyapp.alerts.services: the signal reaches no one."""
    with submission_flagged.muted():
        yield


def test_a_positive_screen_opens_its_alert_in_the_same_unit_of_work(mood_session, make_respondent, on_duty):
    submission, is_new = record_submission(request_for(mood_session, make_respondent(), WORRIED))
    opened = db.session.scalar(select(Alert.level).filter_by(submission_id=submission.id))
    db.session.rollback()
    assert (is_new, opened, count(Submission), count(Alert)) == (True, "non_acute", 0, 0)


def test_a_positive_screen_with_no_receiver_is_refused_and_nothing_is_kept(
    mood_session, make_respondent, without_alert_receiver
):
    with pytest.raises(FlaggedWithoutReceiver):
        record_submission(request_for(mood_session, make_respondent(), WORRIED))
    db.session.rollback()
    assert (count(Submission), count(Alert)) == (0, 0)


def test_a_negative_screen_needs_no_receiver(mood_session, make_respondent, without_alert_receiver):
    record_submission(request_for(mood_session, make_respondent(), CALM))
    db.session.commit()
    assert (count(Submission), count(Alert)) == (1, 0)
