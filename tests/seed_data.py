"""A session to answer, made in a process of its own against DATABASE_URL (a migrated database with the shipped
instruments loaded) for the tests that run the app as processes: an open session of the given questionnaires, a
pool of children and, if asked, a psychologist on duty with an e-mail address and a staff training (its pre-test
open, its post-test closed until the trainer starts it) with staff members to take it.
Prints JSON: {"join_code": "...", "children": ["ABCD-EF2", ...]}, with --staff-training also
"training": {"pre_join_code": ..., "post_join_code": ..., "post_session_id": ..., "staff": [...]}; with
--with-results the training has been held: a trainer ran it, its staff are on its list by name and took both tests,
and "training" also holds "training_id", "trainer", "password" and "participants" (names); with --trainer NAME
a trainer's account with no training yet: "trainer": {"username": ..., "password": ...}.

Run as ``python -m tests.seed_data CHILDREN INSTRUMENT... [--psychologist-on-duty] [--staff-training STAFF
[--with-results]] [--trainer NAME]``
from the repository root (tests.processes.seed_session does).
"""

import argparse
import json
import uuid
from datetime import date

from sqlalchemy import select

from surveyapp.alerts.roster import put_on_duty
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.queries import newest_version
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind, Sex, Territory
from surveyapp.responses.services import SubmissionRequest, record_submission
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.sessions.services import plan_session
from surveyapp.trainings.models import Training, TrainingParticipant
from wsgi import app


def seed(
    instruments: list[str],
    children: int,
    psychologist_on_duty: bool,
    staff_training: int = 0,
    with_results: bool = False,
) -> dict:
    ensure_territories()
    territory = db.session.scalar(select(Territory).order_by(Territory.code))
    session = plan_session(
        title="Test session",
        held_on=date.today(),
        place="School 1, Osh",
        wave=Wave.BASELINE,
        territory_id=territory.id,
        trainer_id=None,
        instrument_version_ids=[newest_version(code).id for code in instruments],
    )
    codes = [respondents.register(RespondentKind.CHILD, Sex.FEMALE, 2013, territory).code for _ in range(children)]
    if psychologist_on_duty:
        psychologist, _password = create_user("psychologist", Role.PSYCHOLOGIST, email="psychologist@example.org")
        put_on_duty(psychologist, None, is_backup=False)
    seeded = {"join_code": session.join_code, "children": codes}
    if staff_training:
        seeded["training"] = seed_staff_training(territory, staff_training)
        if with_results:
            seeded["training"].update(seed_results(seeded["training"]))
    db.session.commit()
    return seeded


def seed_staff_training(territory: Territory, staff: int) -> dict:
    """A staff training with its pre-test (open) and post-test (closed until the trainer starts it)."""
    training = Training(
        title="Child protection for staff",
        respondent_kind=RespondentKind.STAFF,
        held_on=date.today(),
        place="Mayor's office, Osh",
        territory_id=territory.id,
    )
    db.session.add(training)
    db.session.flush()
    pre, post = [
        plan_session(
            title=f"Child protection for staff ({wave.value})",
            held_on=date.today(),
            place=training.place,
            wave=wave,
            territory_id=territory.id,
            trainer_id=None,
            respondent_kind=RespondentKind.STAFF,
            training_id=training.id,
            instrument_version_ids=[newest_version(code).id],
        )
        for wave, code in ((Wave.BASELINE, "staff_knowledge_pre"), (Wave.POST, "staff_knowledge_post"))
    ]
    post.close()
    codes = [respondents.register(RespondentKind.STAFF, Sex.FEMALE, 1985, territory).code for _ in range(staff)]
    return {
        "pre_join_code": pre.join_code,
        "post_join_code": post.join_code,
        "post_session_id": post.id,
        "staff": codes,
    }


PARTICIPANTS = (
    ("Айгүл Өмүрова", "Мэрия, балдарды коргоо бөлүмү"),
    ("Бакыт Исаев", "1-аймактык башкармалык"),
    ("Нурлан Жээнбеков", "Мектеп № 5"),
)
RIGHT_BEFORE, RIGHT_AFTER = (6, 9, 5), (12, 14, 11)
"""How many of the 15 questions each participant answers right before and after the training."""


def seed_results(training_seed: dict) -> dict:
    """The staff training held: its trainer, its first staff members on its list by name, their answers to the
    pre-test, then, once the trainer started the post-test, to the post-test."""
    trainer, password = create_user("trainer", Role.TRAINER, full_name="Гүлнара Садыкова", language="ky")
    training = db.session.get(SurveySession, training_seed["post_session_id"]).training
    training.trainer_id = trainer.id
    staff = training_seed["staff"]
    for (name, organisation), code in zip(PARTICIPANTS, staff):
        db.session.add(
            TrainingParticipant(
                training=training, respondent=respondents.find_by_code(code), name=name, organisation=organisation
            )
        )
    _take_test(training_seed["pre_join_code"], "staff_knowledge_pre", zip(staff, RIGHT_BEFORE))
    training.start_post_test()
    _take_test(training_seed["post_join_code"], "staff_knowledge_post", zip(staff, RIGHT_AFTER))
    return {
        "training_id": training.id,
        "trainer": trainer.username,
        "password": password,
        "participants": [name for name, _organisation in PARTICIPANTS],
    }


def seed_trainer(username: str) -> dict:
    """A trainer's account with no training yet, with English pages."""
    trainer, password = create_user(username, Role.TRAINER, full_name="Trainer", language="en")
    db.session.commit()
    return {"username": trainer.username, "password": password}


def _take_test(join_code: str, test: str, right_answers) -> None:
    """Each (code, n): the first n questions answered right, the others wrong."""
    items = newest_version(test).definition.items
    for code, right in right_answers:
        answers = {
            item.id: item.correct if number < right else next(v for v in item.option_values if v != item.correct)
            for number, item in enumerate(items)
        }
        record_submission(
            SubmissionRequest(
                client_uuid=uuid.uuid4(),
                join_code=join_code,
                respondent_code=code,
                instrument=test,
                version="1.0",
                language="ky",
                answers=answers,
                has_assent=True,
            )
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("children", type=int)
    parser.add_argument("instruments", nargs="+")
    parser.add_argument("--psychologist-on-duty", action="store_true")
    parser.add_argument(
        "--staff-training",
        type=int,
        default=0,
        metavar="STAFF",
        help="also a staff training with this many staff members to take its tests",
    )
    parser.add_argument(
        "--with-results",
        action="store_true",
        help="the staff training held: a trainer, three staff on its list by name, both tests taken",
    )
    parser.add_argument("--trainer", metavar="USERNAME", help="also a trainer's account, with English pages")
    arguments = parser.parse_args()
    with app.app_context():
        seeded = seed(
            arguments.instruments,
            arguments.children,
            arguments.psychologist_on_duty,
            arguments.staff_training,
            arguments.with_results,
        )
        if arguments.trainer:
            seeded["trainer"] = seed_trainer(arguments.trainer)
        print(json.dumps(seeded))
