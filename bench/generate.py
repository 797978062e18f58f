"""A large synthetic database for the benchmarks: N submissions over 100 sessions and N/5 respondents.

Run on demand:  .venv/bin/python bench/generate.py --database-url URL [--submissions 1000000] [--seed 2026]
The URL names an empty database (PostgreSQL or SQLite); it is migrated, the shipped instruments, the programme's
indicators, the work plan and the seven territorial administrations are set up as `flask instruments load`,
`flask activities load` and `flask demo` do, and three users (bench-admin, bench-psychologist, bench-trainer) get
the password BENCH_PASSWORD.

The shape: 1% staff and 2% parents, who take the knowledge test before and after one of 5 trainings (10
sessions); the other respondents are children of the 7 administrations, each at one of 45 pairs of baseline and
post sessions in their administration (90 sessions, of unequal size): RSES, WHO-5, CYRM-R and the ASQ at the
baseline, RSES, WHO-5 and CYRM-R at the post session. Children miss sessions and questionnaires at random, just
enough for the total to be exactly N. Answers come from a latent level per child and scale as in
surveyapp/demo_programme.py (the same centres and programme effects). Scales are scored by the bulk scorer
(`score_many`); the per-scale notes of incomplete answer sets and the flags come from the engine (memoised on the
answer set for the flagged instruments, whose answer sets repeat), so the rows are what ingest would store.
Every flagged submission has its alert: most closed, some acknowledged, some new (half of those escalated).

Rows are written with COPY on PostgreSQL (one transaction, then VACUUM ANALYZE), with executemany on SQLite.
"""

import argparse
import json
import math
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import JSON, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import publish_library, sqlalchemy_url  # noqa: E402
from surveyapp import create_app  # noqa: E402
from surveyapp.activities.queries import activities_by_code  # noqa: E402
from surveyapp.activities.services import load_workplan_file  # noqa: E402
from surveyapp.alerts.models import Alert, AlertEvent, AlertState, EventKind, Outcome  # noqa: E402
from surveyapp.alerts.triggers import describe_triggers  # noqa: E402
from surveyapp.auth.models import Role, User  # noqa: E402
from surveyapp.auth.services import create_user  # noqa: E402
from surveyapp.demo import ensure_territories  # noqa: E402
from surveyapp.demo_programme import (  # noqa: E402
    ACTIVITY_OF,
    AGE_WEIGHTS,
    CHILD_SCALES,
    PROGRAMME_EFFECT,
    TERRITORY_WEIGHTS,
)
from surveyapp.extensions import db  # noqa: E402
from surveyapp.instruments.queries import newest_version  # noqa: E402
from surveyapp.reports.services import ensure_programme_indicators  # noqa: E402
from surveyapp.respondents.codes import ALPHABET, RANDOM_LENGTH, check_character  # noqa: E402
from surveyapp.respondents.models import Respondent, RespondentKind, Territory  # noqa: E402
from surveyapp.responses.consent import current_text  # noqa: E402
from surveyapp.responses.models import Score, Submission  # noqa: E402
from surveyapp.scoring.bulk import score_many, scored_item_ids  # noqa: E402
from surveyapp.scoring.engine import score  # noqa: E402
from surveyapp.sessions.models import Wave  # noqa: E402
from surveyapp.sessions.services import plan_session  # noqa: E402
from surveyapp.trainings.models import Training, TrainingParticipant  # noqa: E402

BENCH_PASSWORD = "bench-password-14"
BENCH_USERS = {"bench-admin": Role.ADMIN, "bench-psychologist": Role.PSYCHOLOGIST, "bench-trainer": Role.TRAINER}
CHILD_PAIRS = 45
TRAININGS = ((RespondentKind.STAFF, "staff_knowledge"),) * 3 + ((RespondentKind.PARENT, "parent_knowledge"),) * 2
SLOTS = (
    (Wave.BASELINE, "rses"),
    (Wave.BASELINE, "who5"),
    (Wave.BASELINE, "cyrmr"),
    (Wave.BASELINE, "asq"),
    (Wave.POST, "rses"),
    (Wave.POST, "who5"),
    (Wave.POST, "cyrmr"),
)
"""A child's possible submissions: (wave, instrument)."""
FIRST_BASELINE = date(2026, 9, 1)
ALERT_STATES = ((AlertState.CLOSED, 0.88), (AlertState.ACKNOWLEDGED, 0.07), (AlertState.NEW, 0.05))
ASQ_PATTERNS = ((0.90, "negative"), (0.02, "refused"), (0.06, "non_acute"), (0.02, "acute"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    start = time.perf_counter()
    app = migrated_app(args.database_url)
    with app.app_context():
        if db.session.scalar(select(func.count(Submission.id))):
            sys.exit("The database already holds submissions: give an empty one.")
        counts = generate(args.submissions, np.random.default_rng(args.seed))
        db.session.remove()
        db.engine.dispose()
    print(f"{args.submissions:,} submissions in {time.perf_counter() - start:.0f} s: {counts}")
    print(f"users {', '.join(BENCH_USERS)}; password {BENCH_PASSWORD}")


def migrated_app(url: str):
    """The application on ``url``, migrated, with the shipped instruments published (as `flask instruments
    load`), the work plan, the territories, the programme's indicators and the bench users."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    with app.app_context():
        upgrade()
        publish_library()
        ensure_territories()
        ensure_programme_indicators()
        load_workplan_file()
        for username, role in BENCH_USERS.items():
            if db.session.scalar(select(User.id).filter_by(username=username)) is None:
                user, _password = create_user(username, role, full_name=username)
                user.set_password(BENCH_PASSWORD)
        db.session.commit()
    return app


@dataclass
class People:
    """The respondents as arrays, in id order: children first, then staff, then parents."""

    kind: np.ndarray
    territory: np.ndarray
    """Index into the territories."""
    group: np.ndarray
    """A child's session pair, an adult's training."""


def generate(total: int, rng: np.random.Generator) -> dict:
    territories = list(db.session.scalars(select(Territory).order_by(Territory.code)))
    trainer = db.session.scalar(select(User).filter_by(username="bench-trainer"))
    people = _people(total // 5, len(territories), rng)
    sessions = _plan_sessions(territories, trainer)
    db.session.commit()
    writer = Writer.for_database()
    first_id = _next_id(Respondent)
    writer.write(Respondent, _respondent_rows(people, territories, sessions, first_id, rng))
    writer.write(TrainingParticipant, _participant_rows(people, sessions, first_id))
    batches = _submission_batches(people, sessions, total, first_id, rng)
    counts = _write_submissions(writer, batches, rng)
    writer.finish()
    return counts


def _people(count: int, territory_count: int, rng) -> People:
    staff, parents = max(1, count // 100), max(1, count // 50)
    children = count - staff - parents
    kind = np.array(
        [RespondentKind.CHILD] * children + [RespondentKind.STAFF] * staff + [RespondentKind.PARENT] * parents,
        dtype=object,
    )
    territory = rng.choice(territory_count, size=count, p=np.array(TERRITORY_WEIGHTS) / sum(TERRITORY_WEIGHTS))
    pair_weights = 1 / np.arange(1, CHILD_PAIRS // territory_count + 2) ** 0.5
    group = np.empty(count, dtype=np.int64)
    for index in range(territory_count):
        pairs = np.arange(index, CHILD_PAIRS, territory_count)
        in_territory = np.flatnonzero(territory[:children] == index)
        weights = pair_weights[: len(pairs)] / pair_weights[: len(pairs)].sum()
        group[in_territory] = rng.choice(pairs, size=len(in_territory), p=weights)
    for kind_value, first, size in (
        (RespondentKind.STAFF, children, staff),
        (RespondentKind.PARENT, children + staff, parents),
    ):
        trainings = [i for i, (training_kind, _test) in enumerate(TRAININGS) if training_kind == kind_value]
        group[first : first + size] = rng.choice(trainings, size=size)
    return People(kind, territory, group)


@dataclass
class Sessions:
    child: dict
    """(pair, wave) -> SurveySession."""
    training: dict
    """(training, wave) -> SurveySession."""
    trainings: list


def _plan_sessions(territories: list[Territory], trainer: User) -> Sessions:
    versions = {code: newest_version(code).id for code in ("rses", "who5", "cyrmr", "asq")}
    activities = activities_by_code()
    child, training_sessions, trainings = {}, {}, []
    for pair in range(CHILD_PAIRS):
        territory = territories[pair % len(territories)]
        for wave, days in ((Wave.BASELINE, 0), (Wave.POST, 70)):
            codes = [code for slot_wave, code in SLOTS if slot_wave == wave]
            child[pair, wave] = _session(
                f"Bench: children, {wave.value}, {territory.name}, group {pair + 1}",
                FIRST_BASELINE + timedelta(days=pair + days),
                wave,
                territory.id,
                trainer.id if pair % 9 == 0 else None,
                [versions[code] for code in codes],
                RespondentKind.CHILD,
                activities,
                None,
            )
    for index, (kind, test) in enumerate(TRAININGS):
        held_on = FIRST_BASELINE + timedelta(days=7 * index)
        training = Training(
            title=f"Bench: {kind.value} training {index + 1}",
            respondent_kind=kind,
            held_on=held_on,
            place="Osh",
            trainer_id=trainer.id,
            activity=activities.get(ACTIVITY_OF[kind]),
        )
        db.session.add(training)
        db.session.flush()
        trainings.append(training)
        for wave, suffix, days in ((Wave.BASELINE, "pre", 0), (Wave.POST, "post", 28)):
            training_sessions[index, wave] = _session(
                f"Bench: {kind.value} training {index + 1}, {suffix}-test",
                held_on + timedelta(days=days),
                wave,
                None,
                trainer.id,
                [newest_version(f"{test}_{suffix}").id],
                kind,
                activities,
                training.id,
            )
    return Sessions(child, training_sessions, trainings)


def _session(title, held_on, wave, territory_id, trainer_id, version_ids, kind, activities, training_id):
    activity = activities.get(ACTIVITY_OF[kind])
    session = plan_session(
        title=title,
        held_on=held_on,
        place="Osh",
        wave=wave,
        territory_id=territory_id,
        trainer_id=trainer_id,
        instrument_version_ids=version_ids,
        respondent_kind=kind,
        activity_id=activity.id if activity else None,
        training_id=training_id,
    )
    session.close()
    return session


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _respondent_rows(people: People, territories, sessions: Sessions, first_id: int, rng):
    count = len(people.kind)
    is_child = people.kind == RespondentKind.CHILD
    ages = rng.choice(list(AGE_WEIGHTS), size=count, p=np.array(list(AGE_WEIGHTS.values())) / sum(AGE_WEIGHTS.values()))
    birth_years = np.where(is_child, FIRST_BASELINE.year - ages, rng.integers(1965, 1997, size=count))
    sex = rng.choice(np.array(["female", "male", None], dtype=object), size=count, p=[0.497, 0.497, 0.006])
    for index, code in enumerate(_codes(count, rng)):
        first_session = (sessions.child if is_child[index] else sessions.training)[people.group[index], Wave.BASELINE]
        yield {
            "id": first_id + index,
            "code": code,
            "kind": people.kind[index].value,
            "sex": sex[index],
            "birth_year": int(birth_years[index]),
            "territory_id": territories[people.territory[index]].id,
            "created_at": _at(first_session.held_on, 3 * 60),
        }


def _codes(count: int, rng) -> list[str]:
    """Distinct respondent codes, drawn as the service draws them (six random characters and a check character)."""
    taken = set(db.session.scalars(select(Respondent.code)))
    codes = []
    while len(codes) < count:
        for draw in rng.integers(0, len(ALPHABET), size=(count - len(codes), RANDOM_LENGTH)):
            body = "".join(ALPHABET[i] for i in draw)
            compact = body + check_character(body)
            code = f"{compact[:4]}-{compact[4:]}"
            if code not in taken:
                taken.add(code)
                codes.append(code)
    return codes


def _participant_rows(people: People, sessions: Sessions, first_id: int):
    for number, index in enumerate(np.flatnonzero(people.kind != RespondentKind.CHILD), start=1):
        training = sessions.trainings[people.group[index]]
        yield {
            "training_id": training.id,
            "respondent_id": first_id + int(index),
            "name": f"Участник {number}",
            "organisation": "",
            "added_at": _at(training.held_on, 2 * 60),
        }


def _at(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(minutes=minutes)


@dataclass
class Batch:
    """The submissions of one instrument at one wave: who answered, at which session, with which answers."""

    code: str
    kind: RespondentKind
    respondents: np.ndarray
    sessions: list
    answers: np.ndarray
    """float64, one column per item in `items`, NaN where unanswered."""
    items: tuple


def _submission_batches(people: People, sessions: Sessions, total: int, first_id: int, rng) -> list[Batch]:
    adults = np.flatnonzero(people.kind != RespondentKind.CHILD)
    stays = rng.random(len(adults)) < 0.9
    adult_count = len(adults) + int(stays.sum())
    batches = _adult_batches(people, sessions, adults, stays, first_id, rng)
    children = np.flatnonzero(people.kind == RespondentKind.CHILD)
    taken = _child_slots(len(children), total - adult_count, rng)
    trait = rng.normal(size=len(children))
    for code, centre in CHILD_SCALES.items():
        level = 0.6 * trait + 0.8 * rng.normal(size=len(children))
        effect = rng.normal(PROGRAMME_EFFECT[code], 0.35, size=len(children))
        latent = {Wave.BASELINE: level, Wave.POST: 0.75 * level + 0.66 * rng.normal(size=len(children)) + effect}
        for wave in Wave.BASELINE, Wave.POST:
            rows = np.flatnonzero(taken[:, SLOTS.index((wave, code))])
            definition = newest_version(code).definition
            items = scored_item_ids(definition)
            batches.append(
                Batch(
                    code,
                    RespondentKind.CHILD,
                    first_id + children[rows],
                    [sessions.child[people.group[children[i]], wave] for i in rows],
                    _likert_answers(definition, items, centre, latent[wave][rows], rng),
                    items,
                )
            )
    rows = np.flatnonzero(taken[:, SLOTS.index((Wave.BASELINE, "asq"))])
    batches.append(
        Batch(
            "asq",
            RespondentKind.CHILD,
            first_id + children[rows],
            [sessions.child[people.group[children[i]], Wave.BASELINE] for i in rows],
            _asq_answers(len(rows), rng),
            ("asq_1", "asq_2", "asq_3", "asq_4", "asq_5"),
        )
    )
    return batches


def _child_slots(children: int, target: int, rng) -> np.ndarray:
    """Which of SLOTS each child answered: 97% come at baseline, 85% at post, each questionnaire answered with the
    probability that makes the expected total the target; then random slots are dropped or added to hit it."""
    if target > children * len(SLOTS):
        sys.exit(f"{target} children's submissions do not fit {children} children x {len(SLOTS)} questionnaires")
    present = {Wave.BASELINE: rng.random(children) < 0.97, Wave.POST: rng.random(children) < 0.85}
    waves = np.stack([present[wave] for wave, _code in SLOTS], axis=1)
    answered = min(1.0, target / max(1, waves.sum()))
    taken = waves & (rng.random(waves.shape) < answered)
    flat = taken.reshape(-1)
    excess = int(flat.sum()) - target
    pool = np.flatnonzero(flat) if excess > 0 else np.flatnonzero(~flat)
    flat[rng.choice(pool, size=abs(excess), replace=False)] = excess < 0
    return taken


def _likert_answers(definition, items, centre: float, latent: np.ndarray, rng) -> np.ndarray:
    """As demo_programme's _scale_answers, for many children at once: about 1 item in 100 skipped."""
    answers = np.empty((len(latent), len(items)))
    for column, item_id in enumerate(items):
        item = definition.item(item_id)
        low, high = min(item.scored_option_values), max(item.scored_option_values)
        width = high - low
        point = low + centre * width + 0.22 * width * latent + rng.normal(0, 0.28 * width, size=len(latent))
        point = np.clip(np.round(point), low, high)
        answers[:, column] = low + high - point if item.reverse else point
    answers[rng.random(answers.shape) < 0.01] = np.nan
    return answers


def _asq_answers(count: int, rng) -> np.ndarray:
    """Q1-Q4 and Q5 (asked after a positive screen): mostly all "no", some refusals, non-acute and acute screens."""
    shares, patterns = zip(*ASQ_PATTERNS)
    pattern = rng.choice(patterns, size=count, p=shares)
    answers = np.zeros((count, 5))
    answers[:, 4] = np.nan
    positive = np.isin(pattern, ("non_acute", "acute"))
    answers[pattern == "refused", rng.integers(0, 4, size=int((pattern == "refused").sum()))] = 9
    answers[positive, rng.integers(0, 4, size=int(positive.sum()))] = 1
    answers[np.isin(pattern, ("refused", "non_acute")), 4] = 0
    answers[pattern == "acute", 4] = 1
    return answers


def _adult_batches(people: People, sessions: Sessions, adults, stays, first_id: int, rng) -> list[Batch]:
    ability = rng.normal(size=len(adults))
    batches = []
    for index, (kind, test) in enumerate(TRAININGS):
        if any(batch.code.startswith(test) for batch in batches):
            continue
        ours = people.kind[adults] == kind
        for wave, suffix, shift, taking in ((Wave.BASELINE, "pre", 0.2, ours), (Wave.POST, "post", 1.3, ours & stays)):
            code = f"{test}_{suffix}"
            definition = newest_version(code).definition
            items = scored_item_ids(definition)
            rows = adults[taking]
            batches.append(
                Batch(
                    code,
                    kind,
                    first_id + rows,
                    [sessions.training[people.group[i], wave] for i in rows],
                    _test_answers(definition, items, ability[taking] + shift, rng),
                    items,
                )
            )
    return batches


def _test_answers(definition, items, ability: np.ndarray, rng) -> np.ndarray:
    """As demo_programme's _test_answers: right with a logistic chance, else a wrong option; 2% skipped."""
    answers = np.empty((len(ability), len(items)))
    for column, item_id in enumerate(items):
        item = definition.item(item_id)
        knows = rng.random(len(ability)) < 1 / (1 + np.exp(-1.2 * (ability - rng.normal(0, 0.8))))
        wrong = np.array([value for value in item.scored_option_values if value != item.correct], dtype=float)
        answers[:, column] = np.where(knows, item.correct, wrong[rng.integers(0, len(wrong), size=len(ability))])
    answers[rng.random(answers.shape) < 0.02] = np.nan
    return answers


def _write_submissions(writer, batches: list[Batch], rng) -> dict:
    submission_id, alert_id = _next_id(Submission), _next_id(Alert)
    psychologist = db.session.scalar(select(User.id).filter_by(username="bench-psychologist"))
    submissions, scores, alerts, events = [], [], [], []
    counts = {"submissions": 0, "scores": 0, "alerts": 0}
    for batch in batches:
        version = newest_version(batch.code)
        for session, submission, score_rows, result in _scored_rows(batch, version, submission_id, rng):
            submissions.append(submission)
            scores.extend(score_rows)
            if result is not None and result.flag_level != "none":
                alert, trail = _alert(alert_id, submission, session, version.definition, result, psychologist, rng)
                alerts.append(alert)
                events.extend(trail)
                alert_id += 1
            submission_id += 1
        counts["submissions"] += len(submissions)
        counts["scores"] += len(scores)
        counts["alerts"] += len(alerts)
        writer.write(Submission, submissions)
        writer.write(Score, scores)
        writer.write(Alert, alerts)
        writer.write(AlertEvent, events)
        submissions, scores, alerts, events = [], [], [], []
        print(f"  {batch.code}: {len(batch.respondents):,} submissions written", flush=True)
    return counts


def _scored_rows(batch: Batch, version, first_id: int, rng):
    """(session, submission row, score rows, engine result or None) per submission: scales from the bulk scorer,
    notes and flags from the engine where they can occur."""
    definition = version.definition
    columns = [batch.items.index(item_id) for item_id in scored_item_ids(definition)]
    bulk = score_many(definition, batch.answers[:, columns])
    n_items = {scale.id: len(scale.items) for scale in definition.scales}
    memo = {}
    consent = current_text(batch.kind).id
    languages = rng.choice(np.array(["ky", "ru"], dtype=object), size=len(batch.respondents), p=[0.6, 0.4])
    minutes = rng.integers(4 * 60, 8 * 60, size=len(batch.respondents))
    seconds = rng.integers(0, 60, size=len(batch.respondents))
    for index, values in enumerate(batch.answers.tolist()):
        answers = {item_id: int(value) for item_id, value in zip(batch.items, values) if not math.isnan(value)}
        incomplete = any(bulk[scale_id].n_answered[index] < n_items[scale_id] for scale_id in bulk)
        result = None
        if definition.flags or incomplete:
            key = tuple(answers.items())
            if key not in memo:
                memo[key] = score(definition, answers)
            result = memo[key]
        session = batch.sessions[index]
        submission = {
            "id": first_id + index,
            "client_uuid": uuid.UUID(bytes=rng.bytes(16), version=4),
            "session_id": session.id,
            "respondent_id": int(batch.respondents[index]),
            "instrument_version_id": version.id,
            "language": languages[index],
            "answers": answers,
            "flag_level": result.flag_level if result else "none",
            "flags": list(result.flags) if result else [],
            "received_at": _at(session.held_on, int(minutes[index])) + timedelta(seconds=int(seconds[index])),
            "device_id": None,
            "consent_text": consent,
        }
        yield (
            session,
            submission,
            [
                {
                    "submission_id": first_id + index,
                    "scale": scale_id,
                    "value": None if math.isnan(scores.values[index]) else float(scores.values[index]),
                    "band": scores.band_codes[scores.band_index[index]] if scores.band_index[index] >= 0 else None,
                    "n_answered": int(scores.n_answered[index]),
                    "n_items": n_items[scale_id],
                    "note": result.scales[scale_id].note if result else None,
                }
                for scale_id, scores in bulk.items()
            ],
            result,
        )


def _alert(alert_id: int, submission: dict, session, definition, result, psychologist: int, rng) -> tuple[dict, list]:
    """The alert ingest would have opened, taken since to a random state by the bench psychologist."""
    at = submission["received_at"]
    state = ALERT_STATES[rng.choice(len(ALERT_STATES), p=[share for _state, share in ALERT_STATES])][0]
    acknowledged = at + timedelta(minutes=int(rng.integers(5, 600)))
    closed = acknowledged + timedelta(days=int(rng.integers(1, 14)))
    ack_minutes = current_app.config["ALERT_ACK_MINUTES"][result.flag_level]
    alert = {
        "id": alert_id,
        "submission_id": submission["id"],
        "level": result.flag_level,
        "state": state.value,
        "escalation_level": int(state == AlertState.NEW and alert_id % 2 == 0),
        "territory_id": session.territory_id,
        "triggers": describe_triggers(
            definition,
            result.flags,
            submission["answers"],
            {scale_id: scale.value for scale_id, scale in result.scales.items()},
        ),
        "created_at": at,
        "ack_deadline_at": at + timedelta(minutes=ack_minutes),
        "acknowledged_at": acknowledged if state != AlertState.NEW else None,
        "acknowledged_by_id": psychologist if state != AlertState.NEW else None,
        "closed_at": closed if state == AlertState.CLOSED else None,
        "closed_by_id": psychologist if state == AlertState.CLOSED else None,
        "outcome": Outcome.SUPPORTED.value if state == AlertState.CLOSED else None,
    }
    trail = [_event(alert_id, EventKind.CREATED, at, None, details={"rules": list(result.flags)})]
    if state != AlertState.NEW:
        trail.append(_event(alert_id, EventKind.ACKNOWLEDGED, acknowledged, psychologist))
    if state == AlertState.CLOSED:
        trail.append(
            _event(
                alert_id,
                EventKind.CLOSED,
                closed,
                psychologist,
                outcome=Outcome.SUPPORTED.value,
                note="Synthetic benchmark data.",
            )
        )
    return alert, trail


def _event(alert_id, kind, at, user_id, outcome=None, note="", details=None) -> dict:
    return {
        "alert_id": alert_id,
        "kind": kind.value,
        "at": at,
        "user_id": user_id,
        "action": None,
        "outcome": outcome,
        "note": note,
        "details": details or {},
    }


class Writer:
    """Inserts many rows of a model's table: executemany on SQLite (bound through the column types)."""

    BATCH = 20_000

    @staticmethod
    def for_database() -> "Writer":
        return CopyWriter() if db.engine.dialect.name == "postgresql" else Writer()

    def write(self, model, rows) -> None:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == self.BATCH:
                db.session.execute(insert(model.__table__), batch)
                batch = []
        if batch:
            db.session.execute(insert(model.__table__), batch)

    def finish(self) -> None:
        db.session.commit()


class CopyWriter(Writer):
    """COPY ... FROM STDIN through the session's psycopg connection, in the session's transaction; then the id
    sequences are moved past the ids given here and the tables are analysed."""

    def __init__(self) -> None:
        self.cursor = db.session.connection().connection.driver_connection.cursor()
        self.tables = []

    def write(self, model, rows) -> None:
        table = model.__table__
        rows = list(rows)  # made before the COPY: a lazy load inside it would wait on this very connection
        if not rows:
            return
        columns = list(rows[0])
        is_json = [isinstance(table.c[name].type, JSON) for name in columns]
        with self.cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[name], ensure_ascii=False) if as_json else row[name]
                        for name, as_json in zip(columns, is_json)
                    ]
                )
        if table.name not in self.tables:
            self.tables.append(table.name)

    def finish(self) -> None:
        for name in self.tables:
            if "id" in db.metadata.tables[name].c:
                self.cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT max(id) FROM \"{name}\"))"
                )
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


if __name__ == "__main__":
    main()
