"""A staff training made directly with the models: a four-question knowledge test before and after (parallel
forms, two topics, the right answer always 1), its two sessions, participants and their submissions."""

import uuid
from datetime import date

import pytest

from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.services import SubmissionRequest, record_submission
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from surveyapp.trainings.models import Training, TrainingParticipant

TOPICS = [
    {"id": "law", "title": {"ky": "Мыйзам", "ru": "Законодательство", "en": "The law"}},
    {"id": "talk", "title": {"ky": "Бала менен сүйлөшүү", "ru": "Разговор с ребёнком", "en": "Talking with a child"}},
]
FORM_WORDS = {
    "pre": ("Окууга чейинки", "до обучения", "before"),
    "post": ("Окуудан кийинки", "после обучения", "after"),
}
RIGHT, WRONG = 1, 2


def quiz(form: str) -> dict:
    """The test of the form "pre" or "post": items <form>_1..<form>_4, q1-q2 on the law, q3-q4 on talking."""
    ky, ru, en = FORM_WORDS[form]
    return {
        "id": f"staff_quiz_{form}",
        "version": "1.0",
        "respondent_kind": "staff",
        "title": {"ky": f"Билим тести ({ky})", "ru": f"Тест знаний ({ru})", "en": f"Knowledge test ({en})"},
        "languages": ["ky", "ru", "en"],
        "source": "Written for surveyapp's tests.",
        "licence": "Test use only.",
        "translation_status": {"ky": "draft", "ru": "draft", "en": "original"},
        "sections": TOPICS,
        "items": [
            {
                "id": f"{form}_{n}",
                "type": "choice",
                "section": "law" if n <= 2 else "talk",
                "correct": RIGHT,
                "text": {"ky": f"{ky} {n}-суроо", "ru": f"Вопрос {n} {ru}", "en": f"Question {n} {en}"},
                "options": [
                    {"value": RIGHT, "label": {"ky": "Туура", "ru": "Верно", "en": "Right"}},
                    {"value": WRONG, "label": {"ky": "Туура эмес", "ru": "Неверно", "en": "Wrong"}},
                ],
            }
            for n in range(1, 5)
        ],
        "scales": [
            {
                "id": "percent",
                "label": {"ky": "Туура жооптор, %", "ru": "Верные ответы, %", "en": "Correct answers, %"},
                "items": [f"{form}_{n}" for n in range(1, 5)],
                "method": "percent_correct",
                "range": [0, 100],
                "missing": {"max_missing": 3, "rule": "zero"},
            }
        ],
    }


def answers(form: str, marks: str) -> dict:
    """ "RW-R": question 1 right, 2 wrong, 3 unanswered, 4 right."""
    values = {"R": RIGHT, "W": WRONG}
    return {f"{form}_{n}": values[mark] for n, mark in enumerate(marks, start=1) if mark != "-"}


@pytest.fixture
def make_training(app_context, publish):
    """make_training(trainer): a staff training with its pre-test and post-test sessions, both open."""

    def make(trainer, kind: RespondentKind = RespondentKind.STAFF, title: str = "Балдарды коргоо: окуу") -> Training:
        versions = {form: publish(quiz(form)) for form in ("pre", "post")}
        training = Training(
            title=title,
            respondent_kind=kind,
            held_on=date(2026, 11, 20),
            place="Ош, мэриянын залы",
            trainer_id=trainer.id if trainer else None,
        )
        db.session.add(training)
        db.session.flush()
        for wave, form in ((Wave.BASELINE, "pre"), (Wave.POST, "post")):
            session = plan_session(
                title=f"{title} ({form})",
                held_on=training.held_on,
                place=training.place,
                wave=wave,
                territory_id=None,
                trainer_id=training.trainer_id,
                instrument_version_ids=[versions[form].id],
            )
            session.training_id, session.respondent_kind = training.id, kind
        db.session.commit()
        return training

    return make


@pytest.fixture
def add_participant(app_context):
    """add_participant(training, name, organisation): a new respondent of the training's kind on its list."""

    def add(training: Training, name: str, organisation: str = "") -> str:
        respondent = respondents.register(training.respondent_kind, None, None, None)
        db.session.add(
            TrainingParticipant(training=training, respondent=respondent, name=name, organisation=organisation)
        )
        db.session.commit()
        return respondent.code

    return add


@pytest.fixture
def take_test(app_context):
    """take_test(training, form, code, marks): the respondent's answers to the form's test, through the kiosk's
    service (validated and scored as at a tablet)."""

    def take(training: Training, form: str, code: str, marks: str) -> None:
        session = training.pre_session if form == "pre" else training.post_session
        record_submission(
            SubmissionRequest(
                client_uuid=uuid.uuid4(),
                join_code=session.join_code,
                respondent_code=code,
                instrument=f"staff_quiz_{form}",
                version="1.0",
                language="ru",
                answers=answers(form, marks),
                has_assent=True,
            )
        )
        db.session.commit()

    return take


@pytest.fixture
def held_training(make_training, add_participant, take_test):
    """held_training(trainer) -> (training, unlisted code): four on the list, three of whom took both tests, and
    one code not on the list that took the test after only.

    before       after        (R right, W wrong, - unanswered; percent of 4 questions)
    Айгүл  RWW-  25%    RRRW  75%
    Бакыт  RRWW  50%    RRRR 100%
    Нурлан RRRR 100%    RRRW  75%
    Өмүр   RWWW  25%    (did not come back)
    unlisted            RRWW  50%
    """

    def hold(trainer) -> tuple[Training, str]:
        training = make_training(trainer)
        aigul = add_participant(training, "Айгүл Өмүрова", "Мэрия, балдарды коргоо бөлүмү")
        bakyt = add_participant(training, "Бакыт Исаев", "1-аймактык башкармалык")
        nurlan = add_participant(training, "Нурлан Жээнбеков", "")
        omur = add_participant(training, "Өмүр Ташиева", "Мектеп № 5")
        unlisted = respondents.register(RespondentKind.STAFF, None, None, None).code
        db.session.commit()
        for code, before, after in (
            (aigul, "RWW-", "RRRW"),
            (bakyt, "RRWW", "RRRR"),
            (nurlan, "RRRR", "RRRW"),
            (omur, "RWWW", None),
            (unlisted, None, "RRWW"),
        ):
            if before:
                take_test(training, "pre", code, before)
            if after:
                take_test(training, "post", code, after)
        return training, unlisted

    return hold


@pytest.fixture
def six_pair_training(make_training, add_participant, take_test):
    """six_pair_training(trainer): six participants who took both tests, enough for the paired tests.

    before -> after (percent): RWWW 25 -> RRWW 50, RRWW 50 -> RRRW 75, RWWW 25 -> RRRW 75, RRWW 50 -> RRRW 75,
    RRRW 75 -> RRRW 75, WWWW 0 -> RWWW 25.
    """

    def hold(trainer) -> Training:
        training = make_training(trainer)
        for number, (before, after) in enumerate(
            (
                ("RWWW", "RRWW"),
                ("RRWW", "RRRW"),
                ("RWWW", "RRRW"),
                ("RRWW", "RRRW"),
                ("RRRW", "RRRW"),
                ("WWWW", "RWWW"),
            ),
            start=1,
        ):
            code = add_participant(training, f"Participant {number}")
            take_test(training, "pre", code, before)
            take_test(training, "post", code, after)
        return training

    return hold
