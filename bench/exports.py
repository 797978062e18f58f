"""Time and peak memory of the de-identified data export (CSV and XLSX), after and before issue 14's streaming.

Run on demand (PostgreSQL databases built by bench/generate.py; each measured run in a process of its own under
`/usr/bin/time -v`, whose maximum resident set size is the peak memory):

    .venv/bin/python bench/exports.py --database bench_1k --database bench_10k --database bench_100k \\
        --database bench_1m [--before /tmp/team/d-before] [--before-up-to 100000]

after:  the export worker's path - rows read in batches (server-side cursor), the file written row by row
        (`data_export.data_rows` -> `exports.write_data`), in the current tree; the databases are only read.
before: a tree of the code before (`git archive <commit> | tar -x -C DIR`), whose `flask report indicators
        --format data-csv / xlsx` built the whole report, then the file, in memory (the XLSX carried the data as a
        sheet); skipped above --before-up-to submissions (at 1M it took 265 s / 711 s and 2-5 GiB).
Prints one Markdown table row per run.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
FORMATS = ("data-csv", "data-xlsx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", required=True, help="PostgreSQL database name (repeat).")
    parser.add_argument("--host-url", default="postgresql://postgres@127.0.0.1:5432/")
    parser.add_argument("--before", type=Path, help="A tree of the code before, to measure it too.")
    parser.add_argument("--before-up-to", type=int, default=100_000, help="Largest database measured before.")
    parser.add_argument(
        "--format", dest="formats", action="append", choices=FORMATS, help="Only this format (repeat); default both."
    )
    parser.add_argument("--write-only", nargs=3, metavar=("URL", "FORMAT", "OUTPUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.write_only:
        export_once(*arguments.write_only)
        return
    print("| database | submissions | format | code | rows | seconds | peak MiB | file MiB |")
    print("|---|---:|---|---|---:|---:|---:|---:|")
    for name in arguments.database:
        url = arguments.host_url + name
        submissions = submission_count(url)
        for file_format in arguments.formats or FORMATS:
            print(measure(name, submissions, file_format, "after", *after_command(url, file_format)), flush=True)
            if arguments.before and submissions <= arguments.before_up_to:
                print(
                    measure(
                        name, submissions, file_format, "before", *before_command(arguments.before, url, file_format)
                    ),
                    flush=True,
                )


def export_once(url: str, file_format: str, output: str) -> None:
    """The export worker's writing, without the job row (the databases are shared and read-only)."""
    sys.path.insert(0, str(ROOT))
    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.reports.data_export import data_rows
    from surveyapp.reports.exports import write_data

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://")})
    with app.app_context(), db.engine.connect() as reading, open(output, "wb") as file:
        write_data(data_rows(reading), file_format, "en", file)


def after_command(url: str, file_format: str) -> tuple[list[str], dict]:
    return [str(PYTHON), __file__, "--database", "-", "--write-only", url, file_format, "{output}"], {}


def before_command(tree: Path, url: str, file_format: str) -> tuple[list[str], dict]:
    """The old CLI: the data CSV, or the report XLSX that held the data as a sheet."""
    old_format = "data-csv" if file_format == "data-csv" else "xlsx"
    command = [
        str(PYTHON),
        "-m",
        "flask",
        "--app",
        str(tree / "wsgi.py"),
        "report",
        "indicators",
        "--lang",
        "en",
        "--format",
        old_format,
        "--output",
        "{output}",
    ]
    return command, {"PYTHONPATH": str(tree), "DATABASE_URL": url}


def measure(name: str, submissions: int, file_format: str, code: str, command: list[str], extra: dict) -> str:
    environment = dict(os.environ, **extra)
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        output = Path(folder) / f"export.{file_format.removeprefix('data-')}"
        command = [part.replace("{output}", str(output)) for part in command]
        finished = subprocess.run(
            ["/usr/bin/time", "-v", *command], env=environment, capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            return f"| {name} | {submissions} | {file_format} | {code} | failed: {finished.stderr[-300:]!r} |"
        rows = count_rows(output, file_format)
        size = output.stat().st_size / 2**20
    seconds = elapsed_seconds(finished.stderr)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", finished.stderr).group(1)) / 1024
    return f"| {name} | {submissions:,} | {file_format} | {code} | {rows:,} | {seconds:.1f} | {peak:.0f} | {size:.1f} |"


def count_rows(path: Path, file_format: str) -> int:
    """Data rows in the file (the header left out); in the old report XLSX, those of its Data sheet."""
    if file_format == "data-csv":
        with path.open("rb") as file:
            return sum(1 for _ in file) - 1
    with zipfile.ZipFile(path) as archive:
        sheet = next(name for name in _data_sheets(archive) if name in archive.namelist())
        with archive.open(sheet) as xml:
            return _count(xml, b"<row ") - 1


def _count(stream, tag: bytes) -> int:
    """Occurrences of `tag` in the stream, read a megabyte at a time (a tag may straddle two reads)."""
    found, tail = 0, b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        text = tail + chunk
        found += text.count(tag)
        tail = text[-(len(tag) - 1) :]
    return found


def _data_sheets(archive: zipfile.ZipFile) -> list[str]:
    """The data sheet's XML: the only sheet of a data export; the old report's "Data" sheet (its sixth)."""
    sheets = sorted(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
    return sheets if len(sheets) == 1 else ["xl/worksheets/sheet6.xml"]


def elapsed_seconds(report: str) -> float:
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report).group(1)
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def submission_count(url: str) -> int:
    finished = subprocess.run(
        ["psql", url, "-Atc", "select count(*) from submission"], capture_output=True, text=True, check=True
    )
    return int(finished.stdout.strip())


if __name__ == "__main__":
    main()
