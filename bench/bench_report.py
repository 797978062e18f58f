"""How long the demo generator and the indicator report take on the 500-child demo programme.

Run on demand (not a test):  .venv/bin/python bench/bench_report.py [--database-url URL] [--repeat N]
Without --database-url a throw-away SQLite file is used; a PostgreSQL URL must point at an empty database.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_babel import force_locale
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import publish_library, sqlalchemy_url
from surveyapp import create_app
from surveyapp.demo_programme import generate_programme
from surveyapp.extensions import db
from surveyapp.reports.exports import FORMATS, export_report
from surveyapp.reports.plots import report_plots
from surveyapp.reports.report import build_report


def timed(action, repeat: int) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = sqlalchemy_url(args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            publish_library()
            db.session.commit()
            rows = [
                (
                    "demo generator (500 children, 25 staff, 100 parents; one transaction)",
                    timed(lambda: (generate_programme(), db.session.commit()), 1)[0],
                )
            ]
            seconds, report = timed(lambda: build_report(suppress_small=False), args.repeat)
            rows.append(("report computed from the database (5 indicators)", seconds))
            with force_locale("ky"):
                rows.append(("plots (PNG, as on the page)", timed(lambda: report_plots(report), args.repeat)[0]))
            for file_format in FORMATS:  # the long-form data is a background export now: bench/exports.py
                seconds, export = timed(lambda: export_report(report, file_format, "ky"), args.repeat)
                rows.append((f"{file_format} written from the report ({len(export.content) // 1024} KiB)", seconds))
            viewer = timed(lambda: export_report(build_report(suppress_small=True), "pdf", "ky"), args.repeat)[0]
            rows.append(("viewer's PDF, database to file", viewer))
            db.session.remove()
            db.engine.dispose()
    print(f"database: {url.split(':')[0]}; median of {args.repeat} runs (generator: 1 run)")
    for label, seconds in rows:
        print(f"{seconds:8.2f} s  {label}")


if __name__ == "__main__":
    main()
