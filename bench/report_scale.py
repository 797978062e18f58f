"""The indicator report at growing data sizes (issue 14, items 3 and 6): statistics, page and PDF, time and memory.

Run on demand (not a test), one database per size, each measured in its own Python process:
    .venv/bin/python bench/report_scale.py --database-url postgresql://postgres@127.0.0.1:5432/bench_1k \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_10k ... [--repeat 3] [--statistics-only]
The databases (made by bench/generate.py) are only read, but for the psychologist's log-in (one row). For the
code before a change, run this same file from a copy of the older tree (it imports the tree it sits in).

Per database: the statistics (`build_report` for staff, median of --repeat), then through Flask's test client
(routing, template; no HTTP server) as a psychologist: the Indicators page with the cache empty (report + charts),
the page again (from the cache), the PDF (from the cached report and charts) and the PDF again. Each figure is
given with the SQL statements it issued (COPY statements included) and the process's peak RSS after it
(ru_maxrss), beside the RSS before the first build, so the growth of the peak is the report's memory.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import BENCH_PASSWORD  # noqa: E402
from bench.setup import sqlalchemy_url  # noqa: E402
from surveyapp import create_app  # noqa: E402
from surveyapp.auth.models import User  # noqa: E402
from surveyapp.extensions import db  # noqa: E402
from surveyapp.reports import cache  # noqa: E402
from surveyapp.reports.report import build_report  # noqa: E402
from surveyapp.responses.models import Submission  # noqa: E402


class Statements:
    """Statements sent to the database: through SQLAlchemy, and COPY through the driver's cursor."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.seen)
        try:
            import psycopg
        except ImportError:
            return
        copy = psycopg.Cursor.copy

        def counted_copy(cursor, *args, **kwargs):
            self.seen()
            return copy(cursor, *args, **kwargs)

        psycopg.Cursor.copy = counted_copy

    def seen(self, *_args, **_kwargs):
        self.count += 1


PSYCHOLOGIST = "bench-psychologist"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(action, statements: Statements) -> dict:
    statements.count = 0
    start = time.perf_counter()
    action()
    return {"seconds": time.perf_counter() - start, "statements": statements.count, "peak_rss_mib": peak_rss_mib()}


def median_of(runs: list[dict]) -> dict:
    return {
        **runs[-1],
        "seconds": statistics.median(run["seconds"] for run in runs),
        "runs": [round(run["seconds"], 3) for run in runs],
    }


def psychologist_client(app):
    """Logged in as generate.py's psychologist through the log-in form (the server keeps log-ins: this writes
    one log-in row, nothing else), and the user's language, in which the page and the PDF are asked for (the
    charts are cached per language)."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": PSYCHOLOGIST, "password": BENCH_PASSWORD})
    assert response.status_code == 302, response.status_code
    with app.app_context():
        language = db.session.scalar(select(User.language).where(User.username == PSYCHOLOGIST))
    return client, language


def get(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def measure_one(url: str, repeat: int, statistics_only: bool) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    figures = {"rss_before_mib": peak_rss_mib()}
    with app.app_context():
        statements = Statements(db.engine)
        figures["submissions"] = db.session.scalar(select(func.count()).select_from(Submission))
        db.session.remove()
        figures["statistics"] = median_of(
            [measured(lambda: build_report(suppress_small=False), statements) for _ in range(repeat)]
        )
    if statistics_only:
        return figures
    client, language = psychologist_client(app)
    page, pdf = f"/reports/?lang={language}", f"/reports/download?format=pdf&lang={language}"
    with app.app_context():
        cache.report_cache().clear()
    figures["page_first"] = measured(lambda: get(client, page), statements)
    figures["page_next"] = median_of([measured(lambda: get(client, page), statements) for _ in range(max(repeat, 3))])
    figures["pdf_first"] = measured(lambda: get(client, pdf), statements)
    figures["pdf_next"] = median_of([measured(lambda: get(client, pdf), statements) for _ in range(repeat)])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--statistics-only", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    urls = [sqlalchemy_url(url) for url in args.database_url]
    if args.one:
        print(json.dumps(measure_one(urls[0], args.repeat, args.statistics_only)))
        return
    for url in urls:
        command = [sys.executable, __file__, "--one", "--database-url", url, "--repeat", str(args.repeat)]
        output = subprocess.run(
            command + (["--statistics-only"] if args.statistics_only else []),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        print(
            f"{url.rsplit('/', 1)[-1]}: {figures['submissions']:,} submissions; RSS before "
            f"{figures['rss_before_mib']:.0f} MiB"
        )
        for name in ("statistics", "page_first", "page_next", "pdf_first", "pdf_next"):
            if name in figures:
                run = figures[name]
                extra = f" (runs {run['runs']})" if "runs" in run else ""
                print(
                    f"  {name:11} {run['seconds']:8.3f} s  {run['statements']:3d} statements  "
                    f"peak RSS {run['peak_rss_mib']:6.0f} MiB{extra}"
                )


if __name__ == "__main__":
    main()
