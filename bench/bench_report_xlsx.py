"""The report workbook (XLSX) at large data sizes (issue 14, items 3 and 4): time and memory of the statistics and
of the workbook made from them.

Run on demand (not a test), one database per run:
    .venv/bin/python bench/bench_report_xlsx.py --database-url postgresql://postgres@127.0.0.1:5432/bench_1m
For the code before a change, run this same file from a copy of the older tree (it imports the tree it sits in).

In one process, as the CLI (`flask report indicators --format xlsx`) does: `build_report` for staff (the
statistics, with the change per respondent), then `export_report(report, "xlsx", LANG)` (the workbook, as the
download makes it from the cached report). After each step: its seconds, the process's resident memory (VmRSS)
and its peak (ru_maxrss). The workbook's own memory is its peak above the resident memory before it.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import sqlalchemy_url  # noqa: E402
from surveyapp import create_app  # noqa: E402
from surveyapp.reports.exports import export_report  # noqa: E402
from surveyapp.reports.report import build_report  # noqa: E402


def resident_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, action):
    before = resident_mib()
    start = time.perf_counter()
    result = action()
    print(
        f"{name:10} {time.perf_counter() - start:7.2f} s  resident before {before:6.0f} MiB, "
        f"after {resident_mib():6.0f} MiB, peak so far {peak_mib():6.0f} MiB",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    url = sqlalchemy_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    print(f"{url.rsplit('/', 1)[-1]}: after start-up resident {resident_mib():.0f} MiB, peak {peak_mib():.0f} MiB")
    with app.app_context():
        report = step("statistics", lambda: build_report(suppress_small=False))
        export = step("workbook", lambda: export_report(report, "xlsx", args.lang))
    print(f"workbook: {len(export.content) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
