"""Ingest cost of `POST /api/submissions`: submissions per second and SQL statements per submission, in one process.

Run on demand (not a test):
    .venv/bin/python bench/ingest.py [--databases sqlite,postgresql] [--submissions 2000] [--repeat 3]
                                     [--flagged-every 0]

Each run starts a fresh database (a throw-away SQLite file; a PostgreSQL database of its own on
SURVEYAPP_TEST_POSTGRES_SERVER, dropped afterwards), migrates it, publishes the mood test instrument
(tests/factories.py), plans an open session and registers one child per submission. Then it posts --submissions
unique bodies one after another through the Flask test client (no HTTP server, no network: the cost of the view,
the service and the database), every --flagged-every'th with a positive screen (0: none), after 20 untimed ones,
and posts them all again (re-sends, answered 'already_stored'). The kinds of database are interleaved, run by
run, because the machine is noisy. It checks that every body was stored exactly once.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import event, func, select

import surveyapp
from bench.setup import open_session_giving
from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind, Sex
from surveyapp.responses.models import Submission
from tests.conftest import _fresh_postgres_database
from tests.factories import mood_instrument

WARM_UP = 20
CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}
WORRIED_NOW = {**CALM, "worry": 1, "worry_now": 1}


@contextmanager
def empty_database(kind: str, folder: Path, repetition: int):
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite'}"
    else:
        with _fresh_postgres_database(f"surveyapp_bench_ingest_{repetition}") as url:
            yield url


def bodies_for(app, count: int, flagged_every: int) -> list[dict]:
    with app.app_context():
        upgrade()
        session = open_session_giving(mood_instrument(), "Bench")
        children = [respondents.register(RespondentKind.CHILD, Sex.FEMALE, 2012, None) for _ in range(count)]
        db.session.commit()
        return [
            {
                "uuid": str(uuid.uuid4()),
                "join_code": session.join_code,
                "respondent_code": child.code,
                "instrument": "mood",
                "version": "1.0",
                "language": "ru",
                "assent": True,
                "answers": WORRIED_NOW if flagged_every and number % flagged_every == 0 else CALM,
            }
            for number, child in enumerate(children)
        ]


def post_all(client, bodies: list[dict], expected_status: int) -> tuple[float, list[float]]:
    latencies = []
    started = time.perf_counter()
    for body in bodies:
        before = time.perf_counter()
        response = client.post("/api/submissions", json=body)
        latencies.append(time.perf_counter() - before)
        assert response.status_code == expected_status, response.text
    return time.perf_counter() - started, sorted(latencies)


def one_run(kind: str, repetition: int, args) -> dict:
    with tempfile.TemporaryDirectory() as folder, empty_database(kind, Path(folder), repetition) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
        app.instance_path = folder
        bodies = bodies_for(app, WARM_UP + args.submissions, args.flagged_every)
        with app.app_context():
            engine = db.engine
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *_args: statements.append(1))
        client = app.test_client()
        post_all(client, bodies[:WARM_UP], 201)
        statements.clear()
        seconds, latencies = post_all(client, bodies[WARM_UP:], 201)
        fresh_statements = len(statements) / args.submissions
        statements.clear()
        resend_seconds, _latencies = post_all(client, bodies[WARM_UP:], 200)
        resend_statements = len(statements) / args.submissions
        with app.app_context():
            stored = db.session.scalar(select(func.count(Submission.id)))
            distinct = db.session.scalar(select(func.count(func.distinct(Submission.client_uuid))))
            db.engine.dispose()
    assert stored == distinct == len(bodies), (stored, distinct, len(bodies))
    return {
        "kind": kind,
        "per_second": args.submissions / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, round(0.99 * len(latencies)) - 1)],
        "statements": fresh_statements,
        "resends_per_second": args.submissions / resend_seconds,
        "resend_statements": resend_statements,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flagged-every", type=int, default=0)
    args = parser.parse_args()
    print(f"surveyapp from {Path(surveyapp.__file__).parent}")
    print(
        "| run | database | submissions/s | p50 ms | p99 ms | statements per submission | re-sends/s | "
        "statements per re-send |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for repetition in range(args.repeat):
        for kind in args.databases.split(","):
            r = one_run(kind, repetition, args)
            print(
                f"| {repetition + 1} | {kind} | {r['per_second']:.0f} | {r['p50'] * 1000:.2f} | "
                f"{r['p99'] * 1000:.2f} | {r['statements']:.2f} | {r['resends_per_second']:.0f} | "
                f"{r['resend_statements']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
