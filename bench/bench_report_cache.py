"""The Indicators page and its downloads served from the report cache, on the 500-child demo programme.

Run on demand (not a test):  .venv/bin/python bench/bench_report_cache.py [--database-url URL] [--repeat N]
Without --database-url a throw-away SQLite file is used; a PostgreSQL URL must point at an empty database.
Requests go through Flask's test client (routing, log-in, template; no HTTP server), one process.
--extra-submissions N adds N copies of one stored submission without scores (the report ignores them), to time
the data stamp, read on every view, over a large submission table.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import publish_library, sqlalchemy_url
from surveyapp import create_app
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.demo_programme import generate_programme
from surveyapp.extensions import db
from surveyapp.reports import cache
from surveyapp.reports.exports import FORMATS
from surveyapp.reports.models import IndicatorDefinition


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


def timed(client, path: str, statements: Counter) -> tuple[float, int]:
    statements.count = 0
    start = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return seconds, statements.count


def median(client, path: str, statements: Counter, repeat: int) -> tuple[float, int]:
    runs = [timed(client, path, statements) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _ in runs), max(count for _, count in runs)


def logged_in(app, role: Role):
    with app.app_context():
        username = f"bench-{role.value}"
        _user, password = create_user(username, role, language="ky")
        db.session.commit()
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username, "password": password}).status_code == 302
    return client


def edit_a_definition(app) -> None:
    with app.app_context():
        definition = db.session.scalar(select(IndicatorDefinition).order_by(IndicatorDefinition.id))
        definition.target += 1
        db.session.commit()


SERIES = {
    "postgresql": "generate_series(1, :count) AS series(n)",
    "sqlite": "(WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < :count) "
    "SELECT n FROM series) AS series",
}
NEW_UUID = {"postgresql": "gen_random_uuid()", "sqlite": "lower(hex(randomblob(16)))"}


def add_unscored_submissions(count: int) -> None:
    """`count` new respondents, each with a copy of the first submission (one per respondent and session);
    then, on PostgreSQL, VACUUM ANALYZE, as autovacuum would after so many inserts."""
    if not count:
        return
    dialect = db.engine.dialect.name
    first = {
        "id": db.session.scalar(text("SELECT min(id) FROM submission")),
        "count": count,
        "last_respondent": db.session.scalar(text("SELECT max(id) FROM respondent")),
    }
    db.session.execute(
        text(
            "INSERT INTO respondent (code, kind, created_at) SELECT 'bench-' || series.n, r.kind, r.created_at "
            f"FROM respondent AS r, {SERIES[dialect]} "
            "WHERE r.id = (SELECT respondent_id FROM submission WHERE id = :id)"
        ),
        first,
    )
    db.session.execute(
        text(
            "INSERT INTO submission (client_uuid, session_id, respondent_id, instrument_version_id, language, answers, "
            f"flag_level, flags, received_at, device_id, consent_text) SELECT {NEW_UUID[dialect]}, s.session_id, r.id, "
            "s.instrument_version_id, s.language, s.answers, s.flag_level, s.flags, s.received_at, s.device_id, "
            "s.consent_text FROM submission AS s, respondent AS r WHERE s.id = :id AND r.id > :last_respondent"
        ),
        first,
    )
    db.session.commit()
    if dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--extra-submissions", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = sqlalchemy_url(args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        statements = Counter()
        with app.app_context():
            upgrade()
            publish_library()
            generate_programme()
            db.session.commit()
            add_unscored_submissions(args.extra_submissions)
            submissions = db.session.scalar(text("SELECT count(*) FROM submission"))
            event.listen(db.engine, "before_cursor_execute", statements)
        staff, viewer = logged_in(app, Role.PSYCHOLOGIST), logged_in(app, Role.VIEWER)
        rows = [
            ("staff: first view (cache empty: report + plots)", timed(staff, "/reports/", statements)),
            ("staff: next views (stamp, cached report and plots)", median(staff, "/reports/", statements, args.repeat)),
            ("viewer: first view (its own report)", timed(viewer, "/reports/", statements)),
            ("viewer: next views", median(viewer, "/reports/", statements, args.repeat)),
        ]
        edit_a_definition(app)
        rows.append(("staff: first view after a definition was edited", timed(staff, "/reports/", statements)))
        for file_format in FORMATS:  # the long-form data is a background export now: bench/exports.py
            rows.append(
                (
                    f"staff: {file_format} from the cached report",
                    median(staff, f"/reports/download?format={file_format}&lang=ky", statements, args.repeat),
                )
            )
        with app.app_context():
            cache.report_cache().clear()
        rows.append(
            (
                "staff: pdf with the cache empty (report built, as before the cache)",
                timed(staff, "/reports/download?format=pdf&lang=ky", statements),
            )
        )
        with app.app_context():
            start = time.perf_counter()
            for _ in range(args.repeat):
                cache.data_stamp()
            stamp = (time.perf_counter() - start) / args.repeat
            db.session.remove()
            db.engine.dispose()
    print(f"database: {url.split(':')[0]}; {submissions:,} submissions; 'next' rows: median of {args.repeat} requests")
    for label, (seconds, count) in rows:
        print(f"{seconds * 1000:9.1f} ms  {count:3d} statements  {label}")
    print(f"{stamp * 1000:9.1f} ms    2 statements  the data stamp alone (mean of {args.repeat})")


if __name__ == "__main__":
    main()
