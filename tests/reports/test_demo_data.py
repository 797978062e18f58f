"""`flask demo programme`: 500 children over the 7 administrations, baseline and post with attrition, 25 staff
and 100 parents with knowledge tests, scored by the real engine; the sessions count for the work plan's
activities, and the adults' tests are two trainings with their participant lists."""

from collections import Counter

from sqlalchemy import func, select

from surveyapp.activities.queries import activity_progress
from surveyapp.alerts.models import Alert, AlertState
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.notifications.models import OutboxMessage
from surveyapp.respondents.models import Respondent, RespondentKind
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.trainings.models import Training


def _surveyed(instrument: str, wave: str) -> set[str]:
    return set(
        db.session.scalars(
            select(Respondent.code)
            .join(Submission, Submission.respondent_id == Respondent.id)
            .join(SurveySession)
            .join(InstrumentVersion)
            .join(Instrument)
            .where(Instrument.code == instrument, SurveySession.wave == wave)
        )
    )


def test_the_demo_programme_has_the_programmes_size_and_some_attrition(runner, shipped_instruments):
    result = runner.invoke(args=["demo", "programme"])
    assert result.exit_code == 0, result.output
    kinds = Counter(db.session.scalars(select(Respondent.kind)))
    assert kinds == {RespondentKind.CHILD: 500, RespondentKind.STAFF: 25, RespondentKind.PARENT: 100}
    children = db.session.scalars(select(Respondent).filter_by(kind=RespondentKind.CHILD)).all()
    assert len({child.territory_id for child in children}) == 7
    assert {2019 - child.birth_year for child in children if child.birth_year} <= set(range(10, 17))

    baseline, post = _surveyed("cyrmr", "baseline"), _surveyed("cyrmr", "post")
    lost = len(baseline - post) / len(baseline)
    assert 0.08 < lost < 0.18 and post - baseline  # attrition, and a few seen only after
    assert len(_surveyed("staff_knowledge_pre", "baseline")) == 25
    assert 20 <= len(_surveyed("staff_knowledge_post", "post")) < 25

    # Every flagged demo submission has its alert, closed as followed up in 2019, and no e-mail was queued.
    flagged = set(db.session.scalars(select(Submission.id).where(Submission.flag_level != "none")))
    alerts = db.session.scalars(select(Alert)).all()
    assert flagged and {alert.submission_id for alert in alerts} == flagged
    assert {alert.state for alert in alerts} == {AlertState.CLOSED}
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0

    # Planned vs reached: every child answered at baseline or post (500), every adult took the pre-test.
    reached = {row.activity.code: (row.activity.planned_participants, row.reached) for row in activity_progress()}
    assert reached == {
        "launch_meeting": (25, 0),
        "information_training": (25, 25),
        "child_support": (150, 0),
        "staff_training": (15, 0),
        "parent_training": (100, 100),
        "children_events": (500, 500),
    }

    # Stored scores follow the WHO-5's published rule (WHO 2024): raw = the sum of the five items (0-5 each),
    # percentage = raw x 4; a form with an item missing is not scored.
    who5 = db.session.scalars(
        select(Submission)
        .join(Submission.instrument_version)
        .join(InstrumentVersion.instrument)
        .where(Instrument.code == "who5")
    ).all()
    assert len(who5) > 500
    for submission in who5:
        items = [submission.answers.get(f"who5_{number}") for number in range(1, 6)]
        raw = sum(items) if None not in items else None
        stored = {s.scale: s.value for s in submission.scores}
        assert (stored["raw"], stored["percent"]) == (raw, None if raw is None else 4 * raw), submission.answers


def test_the_demo_programme_is_generated_once(runner, shipped_instruments):
    first = runner.invoke(args=["demo", "programme", "--children", "30", "--staff", "5", "--parents", "5"])
    assert first.exit_code == 0 and "30 children" in first.output
    counts = (
        db.session.scalar(select(func.count(Submission.id))),
        db.session.scalar(select(func.count(Score.id))),
        db.session.scalar(select(func.count(SurveySession.id))),
    )
    again = runner.invoke(args=["demo", "programme", "--children", "30"])
    assert again.exit_code == 0 and "already there" in again.output
    assert counts == (
        db.session.scalar(select(func.count(Submission.id))),
        db.session.scalar(select(func.count(Score.id))),
        db.session.scalar(select(func.count(SurveySession.id))),
    )


def test_the_adults_tests_are_trainings_and_every_session_counts_for_its_activity(runner, shipped_instruments):
    result = runner.invoke(args=["demo", "programme", "--children", "14", "--staff", "6", "--parents", "5"])
    assert result.exit_code == 0, result.output
    assert "Demo trainer: user 'trainer', password (shown once):" in result.output
    activity_of = {(s.respondent_kind, s.activity.code) for s in db.session.scalars(select(SurveySession))}
    assert activity_of == {
        (RespondentKind.CHILD, "children_events"),
        (RespondentKind.STAFF, "information_training"),
        (RespondentKind.PARENT, "parent_training"),
    }

    staff, parents = db.session.scalars(select(Training).order_by(Training.id))
    assert (staff.respondent_kind, staff.activity.code) == (RespondentKind.STAFF, "information_training")
    assert (staff.trainer.username, staff.trainer.role) == ("trainer", Role.TRAINER) and parents.trainer is None
    for training, test in ((staff, "staff_knowledge"), (parents, "parent_knowledge")):
        assert (training.pre_session.wave, training.post_session.wave) == (Wave.BASELINE, Wave.POST)
        assert [v.instrument.code for v in training.pre_session.instrument_versions] == [f"{test}_pre"]
        assert [v.instrument.code for v in training.post_session.instrument_versions] == [f"{test}_post"]
        assert {s.trainer_id for s in training.sessions} == {training.trainer_id}
    assert [p.name for p in staff.participants] == [f"Участник {n}" for n in range(1, 7)]
    assert all(p.organisation for p in staff.participants + parents.participants)
    # The list is who took the pre-test: every participant, and no one else.
    takers = set(db.session.scalars(select(Submission.respondent_id).filter_by(session_id=staff.pre_session.id)))
    assert takers == {p.respondent_id for p in staff.participants}
