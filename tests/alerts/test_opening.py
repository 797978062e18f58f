"""A positive screen opens an alert in the submission's own transaction; a negative screen opens none.

The rules are those of the shipped instrument files (surveyapp/instruments/library/asq-1.0.yaml and
violence-1.0.yaml): the expected levels follow their `flags` sections.
"""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from surveyapp.alerts.models import Alert, AlertEvent, AlertLevel, AlertState, EventKind
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage
from surveyapp.responses.models import Score, Submission
from tests.alerts.conftest import CALM, WORRIED, WORRIED_NOW

ASQ_NO = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
VIOLENCE_SAFE = {
    "viol_home_hit": 0,
    "viol_home_fear": 0,
    "viol_school": 0,
    "viol_safe_home": 2,
    "viol_safe_school": 2,
    "viol_trusted_adult": 1,
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def alert_of(submission) -> Alert | None:
    return db.session.scalar(select(Alert).filter_by(submission_id=submission.id))


@pytest.fixture
def screen_session(shipped, make_session):
    return make_session([shipped("asq-1.0"), shipped("violence-1.0")])


@pytest.mark.parametrize(
    ("answers", "level", "rules", "items"),
    [
        ({**ASQ_NO, "asq_2": 1, "asq_5": 0}, "non_acute", ["asq_non_acute"], [["asq_2"]]),
        ({**ASQ_NO, "asq_3": 9, "asq_5": 0}, "non_acute", ["asq_non_acute"], [["asq_3"]]),
        (
            {**ASQ_NO, "asq_1": 1, "asq_4": 1, "asq_4_how": "x", "asq_5": 1},
            "acute",
            ["asq_acute", "asq_non_acute"],
            [["asq_5"], ["asq_1", "asq_4"]],
        ),
    ],
)
def test_a_positive_asq_opens_an_alert_at_its_level_naming_the_answers(
    screen_session, make_respondent, submit, on_duty, answers, level, rules, items
):
    submission = submit(screen_session, make_respondent(), answers, instrument="asq")
    alert = alert_of(submission)
    assert (alert.level, alert.state, alert.escalation_level) == (level, AlertState.NEW, 0)
    assert [(t["rule"], t["items"]) for t in alert.triggers] == list(zip(rules, items))
    assert alert.triggers[0]["reason"]["en"]


def test_a_negative_asq_opens_no_alert(screen_session, make_respondent, submit, on_duty):
    submission = submit(screen_session, make_respondent(), ASQ_NO, instrument="asq")
    assert submission.flag_level == "none" and alert_of(submission) is None
    assert count(OutboxMessage) == 0


@pytest.mark.parametrize(
    ("changes", "rule", "items"),
    [
        ({"viol_home_hit": 1}, "violence_home", ["viol_home_hit"]),
        ({"viol_home_fear": 1}, "violence_home", ["viol_home_fear"]),
        ({"viol_school": 1}, "violence_school", ["viol_school"]),
        ({"viol_safe_home": 1}, "unsafe_home", ["viol_safe_home"]),
        ({"viol_safe_school": 0}, "unsafe_school", ["viol_safe_school"]),
        ({"viol_school": 9}, "violence_refused", ["viol_school"]),
    ],
)
def test_each_violence_rule_opens_a_referral_alert(
    screen_session, make_respondent, submit, on_duty, changes, rule, items
):
    submission = submit(screen_session, make_respondent(), {**VIOLENCE_SAFE, **changes}, instrument="violence")
    alert = alert_of(submission)
    assert alert.level == AlertLevel.REFERRAL
    assert [(t["rule"], t["items"]) for t in alert.triggers] == [(rule, items)]


def test_a_safe_violence_screen_opens_no_alert(screen_session, make_respondent, submit, on_duty):
    submission = submit(screen_session, make_respondent(), VIOLENCE_SAFE, instrument="violence")
    assert alert_of(submission) is None


def test_the_alert_its_trail_and_its_mail_are_stored_with_the_submission(
    mood_session, make_respondent, submit, on_duty
):
    submission = submit(mood_session, make_respondent(), WORRIED)
    alert = alert_of(submission)
    assert timedelta(0) <= alert.created_at - submission.received_at < timedelta(seconds=5)
    [created] = alert.events
    assert (created.kind, created.details["mailed"], created.details["rules"]) == (
        EventKind.CREATED,
        ["dilnoza"],
        ["worry"],
    )
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.to, message.alert_id, message.state) == ("dilnoza@example.org", alert.id, "queued")


def test_the_deadline_to_acknowledge_depends_on_the_level(mood_session, make_respondent, submit, on_duty):
    acute = alert_of(submit(mood_session, make_respondent(), WORRIED_NOW))
    other = alert_of(submit(mood_session, make_respondent(), WORRIED))
    assert (acute.ack_deadline_at - acute.created_at).total_seconds() == 15 * 60
    assert (other.ack_deadline_at - other.created_at).total_seconds() == 24 * 3600


def test_a_resent_positive_submission_keeps_its_one_alert(client, mood_session, make_respondent, on_duty):
    body = {
        "uuid": str(uuid.uuid4()),
        "join_code": mood_session.join_code,
        "respondent_code": make_respondent().code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ru",
        "assent": True,
        "answers": WORRIED_NOW,
    }
    assert client.post("/api/submissions", json=body).status_code == 201
    assert client.post("/api/submissions", json=body).status_code == 200
    assert (count(Alert), count(OutboxMessage)) == (1, 1)


@pytest.mark.parametrize("model", [Alert, AlertEvent, OutboxMessage])
def test_a_crash_while_opening_the_alert_leaves_no_submission(client, mood_session, make_respondent, on_duty, model):
    """A stored positive submission always has its alert: if the alert cannot be stored, neither is the answer."""

    def crash(*_args):
        raise RuntimeError("simulated crash while opening the alert")

    event.listen(model, "before_insert", crash)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.post(
            "/api/submissions",
            json={
                "uuid": str(uuid.uuid4()),
                "join_code": mood_session.join_code,
                "respondent_code": make_respondent().code,
                "instrument": "mood",
                "version": "1.0",
                "language": "ru",
                "assent": True,
                "answers": WORRIED_NOW,
            },
        )
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
        event.remove(model, "before_insert", crash)
    assert response.status_code == 500
    db.session.rollback()  # as the request's teardown does; the test shares its app context
    assert [count(m) for m in (Submission, Score, Alert, AlertEvent, OutboxMessage)] == [0, 0, 0, 0, 0]


def test_the_psychologists_on_duty_for_the_territory_are_told_before_the_city(
    mood_session, make_respondent, submit, staff, territory
):
    staff(Role.PSYCHOLOGIST, "city", duty="on_duty")
    staff(Role.PSYCHOLOGIST, "local", duty="on_duty", territory=territory)
    mood_session.territory_id = territory.id
    db.session.commit()
    alert = alert_of(submit(mood_session, make_respondent(), WORRIED))
    assert alert.territory_id == territory.id
    assert db.session.scalars(select(OutboxMessage.to)).all() == ["local@example.org"]


def test_without_a_psychologist_for_the_territory_the_city_duty_is_told(
    mood_session, make_respondent, submit, staff, territory
):
    staff(Role.PSYCHOLOGIST, "city", duty="on_duty")
    mood_session.territory_id = territory.id
    db.session.commit()
    submit(mood_session, make_respondent(), WORRIED)
    assert db.session.scalars(select(OutboxMessage.to)).all() == ["city@example.org"]


def test_with_nobody_on_duty_the_alert_goes_at_once_to_the_coordinators(mood_session, make_respondent, submit, staff):
    staff(Role.COORDINATOR, "aigul")
    alert = alert_of(submit(mood_session, make_respondent(), WORRIED_NOW))
    assert alert.escalation_level == 1
    assert [e.kind for e in alert.events] == [EventKind.CREATED, EventKind.ESCALATED]
    assert alert.events[1].details["reason"] == "nobody_on_duty"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.to == "aigul@example.org" and "Nobody is on duty" in message.subject


def test_a_psychologist_without_an_e_mail_address_still_sees_the_alert(mood_session, make_respondent, submit, staff):
    staff(Role.PSYCHOLOGIST, "no-mail", duty="on_duty", email=None)
    alert = alert_of(submit(mood_session, make_respondent(), WORRIED))
    assert alert.events[0].details == {"rules": ["worry"], "mailed": [], "without_email": ["no-mail"]}
    assert count(OutboxMessage) == 0


def test_a_calm_answer_opens_no_alert(mood_session, make_respondent, submit, on_duty):
    assert alert_of(submit(mood_session, make_respondent(), CALM)) is None
