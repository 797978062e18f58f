"""`flask demo programme`: a synthetic programme, so that the indicator report can be seen at once.

500 children of 10-16 across the 7 territorial administrations answer the self-esteem (rses), wellbeing
(who5) and resilience (cyrmr) scales at a baseline and a post session in their administration; about 3% miss
the baseline and about 12% of the others are lost before the post survey. 25 staff and 100 parents take the
knowledge tests before and after training, a few missing the second one. Deterministic for a given seed.

The sessions count for the work plan's activities (workplan.yaml, published here if needed): the children's for
the events with children, the staff's and the parents' for their trainings. Each adults' pair of sessions is a
Training (pre-test and post-test) with its participant list ("Участник 1", ...); the demo trainer (`trainer`)
runs the staff training.

Answers are generated item by item from a latent level per child and scale (a shared trait plus a scale's
own part; post = 0.75 x baseline + noise + a child's own programme effect, on average +0.3 SD, so most
children improve a little and some worsen), reverse-keyed items answered reversed, about 1 item in 100
skipped, and every submission is scored by the real engine (surveyapp.scoring.engine.score), so the stored
scores are exactly what the kiosk would have stored. A flagged submission gets its alert, as the kiosk's
would, but closed and without e-mail: the synthetic 2019 screens stand for alerts followed up at the time.
Everything is inserted in one transaction.
"""

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import partial

import click
from sqlalchemy import func, select

from surveyapp.activities.queries import activities_by_code
from surveyapp.activities.services import load_workplan_file
from surveyapp.alerts.models import Alert, AlertLevel, AlertState, EventKind, Outcome
from surveyapp.alerts.triggers import describe_triggers
from surveyapp.auth.models import User
from surveyapp.definitions.documents import InstrumentDefinition
from surveyapp.demo import demo_trainer, echo_trainer_password, ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.queries import newest_version
from surveyapp.reports.services import ensure_programme_indicators
from surveyapp.respondents.codes import ALPHABET, RANDOM_LENGTH, check_character
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.engine import score
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.sessions.services import plan_session
from surveyapp.trainings.models import Training, TrainingParticipant
from surveyapp.transactions import run_in_transaction

TITLE_PREFIX = "Demo programme:"
SURVEY_YEAR = 2019
CHILD_SCALES = {"rses": 0.58, "who5": 0.55, "cyrmr": 0.68}
"""Instrument -> where the average child's answers lie between the lowest and highest option (0-1)."""
PROGRAMME_EFFECT = {"rses": 0.30, "who5": 0.25, "cyrmr": 0.35}
"""Mean improvement from baseline to post, in baseline SD units."""
TERRITORY_WEIGHTS = (0.19, 0.17, 0.15, 0.14, 0.13, 0.12, 0.10)
AGE_WEIGHTS = {10: 0.12, 11: 0.16, 12: 0.17, 13: 0.17, 14: 0.15, 15: 0.13, 16: 0.10}
ACTIVITY_OF = {
    RespondentKind.CHILD: "children_events",
    RespondentKind.STAFF: "information_training",
    RespondentKind.PARENT: "parent_training",
}
"""Respondents -> the work-plan activity (workplan.yaml) their sessions count for."""
STAFF_ORGANISATIONS = ("Ош шаарынын мэриясы", "Үй-бүлөнү колдоо жана балдарды коргоо борбору")
"""Where the demo staff work, besides their territorial administration."""


@dataclass(frozen=True)
class ProgrammeSummary:
    children: int
    staff: int
    parents: int
    submissions: int
    trainer_password: str | None
    """The demo trainer's password when the account was created now (shown once)."""


@click.command("programme")
@click.option("--children", default=500, show_default=True)
@click.option("--staff", default=25, show_default=True)
@click.option("--parents", default=100, show_default=True)
@click.option("--seed", default=SURVEY_YEAR, show_default=True)
def programme_command(children: int, staff: int, parents: int, seed: int) -> None:
    """Generate the synthetic programme and its indicators (skipped when already generated)."""
    summary = run_in_transaction(
        partial(generate_programme, children=children, staff=staff, parents=parents, seed=seed)
    )
    if summary is None:
        click.echo("The demo programme is already there; nothing was added.")
        return
    click.echo(
        f"Demo programme: {summary.children} children, {summary.staff} staff, {summary.parents} "
        f"parents, {summary.submissions} submissions. See /reports/, /activities/ and /trainings/."
    )
    if summary.trainer_password:
        echo_trainer_password(summary.trainer_password)


def generate_programme(
    *, children: int = 500, staff: int = 25, parents: int = 100, seed: int = SURVEY_YEAR
) -> ProgrammeSummary | None:
    """None when a demo programme exists already (idempotent). The caller commits."""
    if db.session.scalar(select(func.count(SurveySession.id)).where(SurveySession.title.startswith(TITLE_PREFIX))):
        return None
    ensure_territories()
    ensure_programme_indicators()
    load_workplan_file()
    trainer, trainer_password = demo_trainer()
    generator = _Generator(random.Random(seed), activities_by_code())
    territories = list(db.session.scalars(select(Territory).order_by(Territory.code)))
    submissions = generator.children(children, territories) + generator.adults(
        RespondentKind.STAFF,
        staff,
        "staff_knowledge",
        date(2019, 9, 20),
        date(2019, 10, 18),
        territories,
        0.92,
        trainer=trainer,
    )
    submissions += generator.adults(
        RespondentKind.PARENT,
        parents,
        "parent_knowledge",
        date(2019, 10, 7),
        date(2019, 10, 28),
        territories,
        0.9,
        trainer=None,
    )
    db.session.add_all(generator.respondents)
    db.session.add_all(submissions)
    db.session.add_all(generator.alerts)
    db.session.flush()
    return ProgrammeSummary(children, staff, parents, len(submissions), trainer_password)


class _Generator:
    def __init__(self, rng: random.Random, activities: dict) -> None:
        self.rng = rng
        self.activities = activities
        self.respondents: list[Respondent] = []
        self.alerts: list[Alert] = []
        self.taken_codes = set(db.session.scalars(select(Respondent.code)))
        found = {
            code: newest_version(code)
            for code in (
                *CHILD_SCALES,
                "staff_knowledge_pre",
                "staff_knowledge_post",
                "parent_knowledge_pre",
                "parent_knowledge_post",
            )
        }
        missing = [code for code, version in found.items() if version is None]
        if missing:
            raise click.ClickException(f"Publish the questionnaires first (`flask instruments load`): {missing}")
        self.versions = {code: version for code, version in found.items() if version is not None}

    def children(self, count: int, territories: list[Territory]) -> list[Submission]:
        sessions = {}
        instrument_ids = [self.versions[code].id for code in CHILD_SCALES]
        for number, territory in enumerate(territories, start=1):
            for wave, held_on in ((Wave.BASELINE, date(2019, 9, 8 + number)), (Wave.POST, date(2019, 12, 1 + number))):
                sessions[territory.id, wave] = self._session(
                    f"{TITLE_PREFIX} children, {wave.value}, {territory.name}",
                    held_on,
                    wave,
                    territory,
                    instrument_ids,
                    RespondentKind.CHILD,
                )
        weights = TERRITORY_WEIGHTS if len(territories) == len(TERRITORY_WEIGHTS) else None
        submissions = []
        for _ in range(count):
            territory = self.rng.choices(territories, weights)[0]
            child = self._respondent(RespondentKind.CHILD, territory, self._child_sex(), self._child_birth_year())
            at_baseline = self.rng.random() >= 0.03
            at_post = not at_baseline or self.rng.random() >= 0.12
            trait = self.rng.gauss(0, 1)
            for code, centre in CHILD_SCALES.items():
                level = 0.6 * trait + 0.8 * self.rng.gauss(0, 1)
                effect = self.rng.gauss(PROGRAMME_EFFECT[code], 0.35)
                post_level = 0.75 * level + 0.66 * self.rng.gauss(0, 1) + effect
                for wave, present, latent in ((Wave.BASELINE, at_baseline, level), (Wave.POST, at_post, post_level)):
                    if present:
                        answers = self._scale_answers(self.versions[code].definition, centre, latent)
                        submissions.append(self._submission(child, sessions[territory.id, wave], code, answers))
        return submissions

    def adults(
        self,
        kind: RespondentKind,
        count: int,
        test: str,
        pre_on: date,
        post_on: date,
        territories: list[Territory],
        stays: float,
        trainer: User | None,
    ) -> list[Submission]:
        """A training run by ``trainer``: its pre-test and post-test sessions, its participants and their tests."""
        label = "staff" if kind == RespondentKind.STAFF else "parents"
        training = Training(
            title=f"{TITLE_PREFIX} {label} training",
            respondent_kind=kind,
            held_on=pre_on,
            place="Osh",
            trainer=trainer,
            activity=self.activities.get(ACTIVITY_OF[kind]),
        )
        db.session.add(training)
        db.session.flush()
        pre = self._session(
            f"{TITLE_PREFIX} {label}, knowledge before training",
            pre_on,
            Wave.BASELINE,
            None,
            [self.versions[f"{test}_pre"].id],
            kind,
            training,
        )
        post = self._session(
            f"{TITLE_PREFIX} {label}, knowledge after training",
            post_on,
            Wave.POST,
            None,
            [self.versions[f"{test}_post"].id],
            kind,
            training,
        )
        difficulties = [self.rng.gauss(0, 0.8) for _ in range(40)]
        submissions = []
        for number in range(1, count + 1):
            sex = Sex.FEMALE if self.rng.random() < (0.55 if kind == RespondentKind.STAFF else 0.85) else Sex.MALE
            territory = self.rng.choice(territories)
            person = self._respondent(kind, territory, sex, self.rng.randint(1965, 1996))
            training.participants.append(
                TrainingParticipant(
                    respondent=person, name=f"Участник {number}", organisation=_organisation(kind, territory, number)
                )
            )
            ability = self.rng.gauss(0, 1)
            for session, code, shift in ((pre, f"{test}_pre", 0.2), (post, f"{test}_post", 1.3)):
                if session is post and self.rng.random() >= stays:
                    continue
                answers = self._test_answers(self.versions[code].definition, ability + shift, difficulties)
                submissions.append(self._submission(person, session, code, answers))
        return submissions

    def _session(self, title, held_on, wave, territory, version_ids, kind, training=None) -> SurveySession:
        activity = self.activities.get(ACTIVITY_OF[kind])
        session = plan_session(
            title=title,
            held_on=held_on,
            place="Osh",
            wave=wave,
            territory_id=territory.id if territory else None,
            trainer_id=training.trainer_id if training else None,
            instrument_version_ids=version_ids,
            respondent_kind=kind,
            activity_id=activity.id if activity else None,
            training_id=training.id if training else None,
        )
        session.close()
        return session

    def _respondent(self, kind, territory, sex, birth_year) -> Respondent:
        while True:
            body = "".join(self.rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
            compact = body + check_character(body)
            code = f"{compact[:4]}-{compact[4:]}"
            if code not in self.taken_codes:
                break
        self.taken_codes.add(code)
        respondent = Respondent(code=code, kind=kind, sex=sex, birth_year=birth_year, territory=territory)
        self.respondents.append(respondent)
        return respondent

    def _child_sex(self) -> Sex | None:
        draw = self.rng.random()
        return None if draw < 0.006 else Sex.FEMALE if draw < 0.503 else Sex.MALE

    def _child_birth_year(self) -> int | None:
        if self.rng.random() < 0.004:
            return None
        return SURVEY_YEAR - self.rng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()))[0]

    def _scale_answers(self, definition: InstrumentDefinition, centre: float, latent: float) -> dict:
        answers = {}
        for item_id in dict.fromkeys(item for scale in definition.scales for item in scale.items):
            if self.rng.random() < 0.01:
                continue
            item = definition.item(item_id)
            low, high = min(item.scored_option_values), max(item.scored_option_values)
            width = high - low
            point = low + centre * width + 0.22 * width * latent + self.rng.gauss(0, 0.28 * width)
            point = min(high, max(low, round(point)))
            answers[item_id] = low + high - point if item.reverse else point
        return answers

    def _test_answers(self, definition: InstrumentDefinition, ability: float, difficulties: list[float]) -> dict:
        answers = {}
        questions = [item for item in definition.items if item.correct is not None]
        for item, difficulty in zip(questions, difficulties):
            if self.rng.random() < 0.02:
                continue
            knows = self.rng.random() < 1 / (1 + math.exp(-1.2 * (ability - difficulty)))
            wrong = [value for value in item.scored_option_values if value != item.correct]
            answers[item.id] = item.correct if knows else self.rng.choice(wrong)
        return answers

    def _submission(self, respondent, session, code, answers) -> Submission:
        definition = self.versions[code].definition
        result = score(definition, answers)
        received_at = datetime.combine(session.held_on, time(4), timezone.utc) + timedelta(
            minutes=self.rng.randint(0, 240)
        )
        submission = Submission(
            client_uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            session=session,
            respondent=respondent,
            instrument_version=self.versions[code],
            language=self.rng.choice(("ky", "ky", "ky", "ru", "ru")),
            answers=answers,
            flag_level=result.flag_level,
            flags=list(result.flags),
            received_at=received_at,
            scores=[
                Score(
                    scale=scale_id, value=s.value, band=s.band, n_answered=s.n_answered, n_items=s.n_items, note=s.note
                )
                for scale_id, s in result.scales.items()
            ],
        )
        if result.flag_level != "none":
            self.alerts.append(_followed_up_alert(submission, definition, result, received_at))
        return submission


def _organisation(kind: RespondentKind, territory: Territory, number: int) -> str:
    """Staff: their territorial administration, the mayor's office or the Family Support Center; parents: where
    they live."""
    if kind == RespondentKind.PARENT:
        return territory.name
    return ((territory.name,) + STAFF_ORGANISATIONS)[number % 3]


def _followed_up_alert(submission: Submission, definition: InstrumentDefinition, result, at: datetime) -> Alert:
    alert = Alert(
        submission=submission,
        level=AlertLevel(result.flag_level),
        territory=submission.session.territory,
        state=AlertState.CLOSED,
        created_at=at,
        ack_deadline_at=at,
        acknowledged_at=at,
        closed_at=at,
        outcome=Outcome.SUPPORTED,
        triggers=describe_triggers(definition, result.flags, submission.answers, result.scale_values),
    )
    alert.log(EventKind.CREATED, at, details={"rules": list(result.flags)})
    alert.log(EventKind.CLOSED, at, outcome=Outcome.SUPPORTED, note="Synthetic demo data (2019).")
    return alert
