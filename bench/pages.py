"""How long the list and detail pages take over HTTP, how many SQL statements each sends, and their query plans.

Run on demand (not a test), on a database made by bench/generate.py:
    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/bench_1m [--requests 20]
        [--explain] [--workers 4] [--pages "alert inbox"]

Timing: gunicorn (``--workers`` sync workers, wsgi:app) on a free local port, logged in as bench-admin; each
page is requested twice per worker to warm them all, then ``--requests`` times one after the other; p50 and p95 of the
wall time of a whole request (urllib, keep-alive off, as a browser's first request). Statements: one view of
each page in this process through Flask's test client, counted with a before_cursor_execute listener (after a
first view, so that what a process loads once is not counted). On PostgreSQL each counted statement is then run
again under EXPLAIN (ANALYZE, BUFFERS): the summary shows its execution time and every sequential scan; --explain
prints the whole plans. The alert page writes an audit row per view, as it does in production.
"""

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_PASSWORD  # noqa: E402
from bench.setup import sqlalchemy_url  # noqa: E402
from surveyapp import create_app  # noqa: E402
from surveyapp.alerts.models import Alert, AlertState  # noqa: E402
from surveyapp.extensions import db  # noqa: E402
from surveyapp.respondents.models import Respondent  # noqa: E402
from surveyapp.respondents.services import RESPONDENTS_PER_PAGE  # noqa: E402
from surveyapp.responses.models import Submission  # noqa: E402

USER = "bench-admin"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--explain", action="store_true", help="print every query plan in full")
    parser.add_argument("--pages", default="", help="time only the pages whose label contains this text")
    args = parser.parse_args()
    url = sqlalchemy_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        pages, submissions = pages_to_time(), db.session.scalar(select(func.count(Submission.id)))
    pages = [(label, path) for label, path in pages if args.pages in label]
    statements = {label: statements_of(app, path) for label, path in pages}
    with gunicorn(url, args.workers) as base:
        opener = logged_in(base)
        timings = {label: timed(opener, base + path, args.requests, warm=2 * args.workers) for label, path in pages}
    print(
        f"{submissions:,} submissions; {args.requests} requests per page, gunicorn {args.workers} sync workers; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'statements':>10}")
    for label, path in pages:
        p50, p95 = timings[label]
        print(f"{label + ' ' + path:<44} {p50:8.1f} {p95:8.1f} {len(statements[label]):10d}")
    if db_dialect(url) == "postgresql":
        for label, path in pages:
            print(f"\n== {label} {path}")
            explain(app, statements[label], args.explain)


def db_dialect(url: str) -> str:
    return url.split(":")[0].split("+")[0]


def pages_to_time() -> list[tuple[str, str]]:
    """The pages of issue 14's target 2, with a session of about 10,000 submissions and an open alert; and the
    oldest page of the respondents list."""
    counted = func.count(Submission.id)
    session_id = db.session.execute(
        select(Submission.session_id).group_by(Submission.session_id).order_by(func.abs(counted - 10_000)).limit(1)
    ).scalar_one()
    alert_id = db.session.scalar(select(func.max(Alert.id)).where(Alert.state == AlertState.NEW))
    oldest_page = db.session.scalar(
        select(Respondent.id).order_by(Respondent.created_at, Respondent.id).offset(RESPONDENTS_PER_PAGE).limit(1)
    )
    return [
        ("sessions list", "/sessions/"),
        ("session page", f"/sessions/{session_id}"),
        ("respondents list", "/respondents/"),
        ("respondents, oldest page", f"/respondents/?older_than={oldest_page}"),
        ("alert inbox (open)", "/alerts/"),
        ("alert inbox (all)", "/alerts/?state=all"),
        ("an alert", f"/alerts/{alert_id}"),
    ]


def statements_of(app, path: str) -> list[tuple[str, object]]:
    """The (statement, parameters) of the second view of the page, logged in through the test client."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": USER, "password": BENCH_PASSWORD})
    assert response.status_code == 302, response.status_code
    client.get(path)
    statements = []

    def note(_connection, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert client.get(path).status_code == 200, path
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    return statements


def explain(app, statements: list[tuple[str, object]], in_full: bool) -> None:
    with app.app_context():
        cursor = db.session.connection().connection.driver_connection.cursor()
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                print(f"  (not explained: {' '.join(statement.split())[:70]})")
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plan = [line for (line,) in cursor.fetchall()]
            executed = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"  {executed:<28} {' '.join(statement.split())[:110]}")
            shown = plan if in_full else [line for line in plan if "Seq Scan" in line]
            for line in shown:
                print(f"      {line}")
        db.session.rollback()


@contextmanager
def gunicorn(url: str, workers: int):
    """gunicorn serving wsgi:app on a free local port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def logged_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": USER, "password": BENCH_PASSWORD}).encode()
    landed = opener.open(base + "/auth/login", body)
    assert "/auth/login" not in landed.geturl(), "the bench user could not log in"
    return opener


def timed(opener, url: str, repeat: int, warm: int) -> tuple[float, float]:
    """p50 and p95 in ms of ``repeat`` requests, after ``warm`` that reach every worker (a worker's first view of
    a page loads templates and parses definitions)."""
    for _ in range(warm):
        opener.open(url).read()
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = opener.open(url)
        response.read()
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (url, response.status)
    return statistics.median(durations), statistics.quantiles(durations, n=20, method="inclusive")[18]


if __name__ == "__main__":
    main()
