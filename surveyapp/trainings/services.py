"""Planning and running a training: its pre-test and post-test sessions, and its participant list."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import Respondent, RespondentKind
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from surveyapp.trainings.models import Training, TrainingParticipant

TRAINED_KINDS = (RespondentKind.STAFF, RespondentKind.PARENT)
"""Who is trained: adults. Children answer at sessions, never at a training."""
OTHER_KIND_OF_CODE = {
    RespondentKind.STAFF: _l("This is not a staff member's code. Check it, or leave it empty to make a new code."),
    RespondentKind.PARENT: _l("This is not a parent's code. Check it, or leave it empty to make a new code."),
}


def plan_training(
    *,
    title: str,
    respondent_kind: RespondentKind,
    held_on,
    place: str,
    territory_id: int | None,
    activity_id: int | None,
    trainer_id: int,
    pre_test_ids: list[int],
    post_test_ids: list[int],
    created_by,
) -> Training:
    """The training with its pre-test session (open) and its post-test session (closed until the trainer starts
    it), each with its own join code."""
    if respondent_kind not in TRAINED_KINDS:
        raise Invalid(_l("A training is for staff or for parents."))
    training = Training(
        title=title,
        respondent_kind=respondent_kind,
        held_on=held_on,
        place=place,
        territory_id=territory_id,
        activity_id=activity_id,
        trainer_id=trainer_id,
        created_by_id=created_by.id,
    )
    db.session.add(training)
    db.session.flush()
    for wave, session_title, version_ids in (
        (Wave.BASELINE, _("Pre-test: %(title)s", title=title), pre_test_ids),
        (Wave.POST, _("Post-test: %(title)s", title=title), post_test_ids),
    ):
        session = plan_session(
            title=session_title,
            held_on=held_on,
            place=place,
            wave=wave,
            territory_id=territory_id,
            trainer_id=trainer_id,
            instrument_version_ids=version_ids,
            respondent_kind=respondent_kind,
            activity_id=activity_id,
            training_id=training.id,
            created_by=created_by,
        )
        if wave == Wave.POST:
            session.close()
    audit.record("plan_training", training, {"respondent_kind": respondent_kind.value, "trainer": trainer_id})
    return training


def start_post_test(training: Training) -> None:
    training.start_post_test()
    audit.record("start_post_test", training)


def add_participant(training: Training, *, name: str, organisation: str, code: str | None) -> TrainingParticipant:
    """Put someone on the list under ``code`` (a respondent of the training's kind), or under a new code made
    for them in the training's territory."""
    respondent = (
        _existing_participant(training, code)
        if code
        else respondents.register(training.respondent_kind, None, None, training.territory)
    )
    if (
        db.session.scalar(
            select(TrainingParticipant.id).filter_by(training_id=training.id, respondent_id=respondent.id)
        )
        is not None
    ):
        raise Conflict(_l("%(code)s is already on this training's list.", code=respondent.code))
    participant = TrainingParticipant(
        training=training, respondent=respondent, name=name.strip(), organisation=organisation.strip()
    )
    db.session.add(participant)
    db.session.flush()
    audit.record("add_training_participant", participant, {"training": training.id, "respondent": respondent.code})
    return participant


def _existing_participant(training: Training, code: str) -> Respondent:
    respondent = respondents.find_by_code(code)
    if respondent.kind != training.respondent_kind:
        raise Invalid(OTHER_KIND_OF_CODE[training.respondent_kind])
    return respondent
