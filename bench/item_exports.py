"""Time and peak memory of the item-level export (issue 16) of one instrument version, in each format.

Run on demand (PostgreSQL databases built by bench/generate.py, only read; each measured run in a process of its
own under `/usr/bin/time -v`, whose maximum resident set size is the peak memory):

    flock /tmp/team/bench.lock .venv/bin/python bench/item_exports.py --database bench_1m --instrument cyrmr

The export worker's path without the job row: `item_data.item_rows` (rows read in batches, a server-side cursor)
-> `item_files.write_stream` (every format). Prints one Markdown table row per run.

Without a database, `--synthetic 1000000` measures the writers alone on made-up rows of a shipped instrument
(`item_export.row` over answers drawn from a seeded generator, a new respondent every five rows):

    flock /tmp/team/bench.lock .venv/bin/python bench/item_exports.py --synthetic 10000 --synthetic 1000000
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
FORMATS = ("csv", "xlsx", "sav", "dta")
SYNTHETIC = "synthetic:"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", default=[], help="PostgreSQL database name (repeat).")
    parser.add_argument("--synthetic", action="append", type=int, default=[], help="Rows made up (repeat).")
    parser.add_argument("--host-url", default="postgresql://postgres@127.0.0.1:5432/")
    parser.add_argument("--instrument", default="cyrmr", help="Instrument code; its newest version is exported.")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS, help="Repeat; default all.")
    parser.add_argument("--language", default="ru")
    parser.add_argument(
        "--write-only", nargs=5, metavar=("URL", "INSTRUMENT", "FORMAT", "LANGUAGE", "OUTPUT"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.write_only:
        export_once(*arguments.write_only)
        return
    print("| database | instrument | format | rows | seconds | peak MiB | file MiB |")
    print("|---|---|---|---:|---:|---:|---:|")
    runs = [(arguments.host_url + name, name) for name in arguments.database]
    runs += [(f"{SYNTHETIC}{count}", f"{count:,} made-up rows") for count in arguments.synthetic]
    for url, name in runs:
        for file_format in arguments.formats or FORMATS:
            print(measure(url, name, arguments.instrument, file_format, arguments.language), flush=True)


def export_once(url: str, instrument: str, file_format: str, language: str, output: str) -> None:
    sys.path.insert(0, str(ROOT))
    if url.startswith(SYNTHETIC):
        export_synthetic(int(url.removeprefix(SYNTHETIC)), instrument, file_format, language, output)
        return
    from sqlalchemy import select

    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.instruments.models import Instrument, InstrumentVersion
    from surveyapp.reports import item_data, item_export, item_files

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://")})
    with app.app_context():
        version = db.session.scalars(
            select(InstrumentVersion)
            .join(InstrumentVersion.instrument)
            .where(Instrument.code == instrument)
            .order_by(InstrumentVersion.published_at.desc())
        ).first()
        if version is None:
            raise SystemExit(f"no version of {instrument!r} in {url}")
        layout = item_export.layout(version.definition, language, item_files.wording(language))
        started = time.perf_counter()
        with db.engine.connect() as reading:
            reading.execution_options(isolation_level="REPEATABLE READ")
            total = item_data.count_item_rows(reading, version.id)
            rows = item_data.item_rows(reading, layout, version.id)
            with open(output, "wb") as out:
                item_files.write_stream(layout, rows, file_format, out)
        print(f"rows={total} seconds={time.perf_counter() - started:.1f}")


def export_synthetic(count: int, instrument: str, file_format: str, language: str, output: str) -> None:
    import random
    from datetime import date

    from surveyapp import create_app
    from surveyapp.definitions.documents import load_definition_file
    from surveyapp.reports import item_export, item_files

    _data, definition = load_definition_file(ROOT / "surveyapp" / "instruments" / "library" / f"{instrument}-1.0.yaml")
    with create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).app_context():
        layout = item_export.layout(definition, language, item_files.wording(language))
    draw = random.Random(16)

    def answer(item):
        if item.type == "choice":
            return draw.choice(item.options).value
        if item.type == "multi":
            return [option.value for option in item.options if draw.random() < 0.5]
        if item.type == "text":
            return draw.choice([None, "Всё хорошо", "Мне нравится школа, но иногда скучно"])
        return draw.randint(0, 20)

    def rows():
        for number in range(count):
            meta = (f"P-{number // 5:016X}", "Baseline at school 5 (2026-11-20)", "baseline", "Osh", date(2026, 11, 20))
            answers = {item.id: answer(item) for item in definition.answerable_items}
            yield item_export.row(layout, (*meta, "ru"), answers, {scale.id: 10.5 for scale in definition.scales})

    started = time.perf_counter()
    with open(output, "wb") as out:
        item_files.write_stream(layout, rows(), file_format, out)
    print(f"rows={count} seconds={time.perf_counter() - started:.1f}")


def measure(url: str, name: str, instrument: str, file_format: str, language: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        output = os.path.join(folder, f"out.{file_format}")
        run = subprocess.run(
            [
                "/usr/bin/time",
                "-v",
                str(PYTHON),
                __file__,
                "--database",
                name,
                "--write-only",
                url,
                instrument,
                file_format,
                language,
                output,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if run.returncode != 0:
            raise SystemExit(run.stderr[-3000:])
        counted = re.search(r"rows=(\d+) seconds=([\d.]+)", run.stdout)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
        if counted is None or peak is None:
            raise SystemExit(run.stdout + run.stderr[-3000:])
        rows, seconds = counted.groups()
        peak_kib = int(peak.group(1))
        size = os.path.getsize(output) / 2**20
    return (
        f"| {name} | {instrument} | {file_format} | {int(rows):,} | {float(seconds):.1f} | "
        f"{peak_kib / 1024:.0f} | {size:.1f} |"
    )


if __name__ == "__main__":
    main()
