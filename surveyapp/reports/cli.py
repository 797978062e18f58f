from pathlib import Path

import click
from flask.cli import AppGroup

from surveyapp.config import LANGUAGES
from surveyapp.errors import DomainError
from surveyapp.reports.export_jobs import one_pass, work
from surveyapp.reports.exports import FORMATS, export_report
from surveyapp.reports.report import build_report
from surveyapp.reports.services import ensure_programme_indicators
from surveyapp.transactions import run_in_transaction
from surveyapp.workers import run_in_thread, run_until_stopped, this_app

report_cli = AppGroup("report", help="The indicator report and its definitions.")


@report_cli.command("indicators")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="ky", show_default=True)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    default="pdf",
    show_default=True,
    help="csv: the indicator table. The de-identified data: an export on the Indicators page.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: indicators-LANG.EXT in the current folder).",
)
@click.option(
    "--for-viewer", is_flag=True, help="The mayor's office's version: small groups suppressed, no individual rows."
)
def indicators_command(language: str, file_format: str, output: Path | None, for_viewer: bool) -> None:
    """Write the indicator report, as the Indicators page's downloads do."""
    export = export_report(build_report(suppress_small=for_viewer), file_format, language)
    path = output or Path(export.filename)
    path.write_bytes(export.content)
    click.echo(f"Wrote {path} ({len(export.content)} bytes).")


@report_cli.command("seed-indicators")
def seed_indicators_command() -> None:
    """Define the programme's indicators where missing and give those without one their success threshold
    (idempotent). Needs the published questionnaires."""
    try:
        seeded = run_in_transaction(ensure_programme_indicators)
    except DomainError as error:
        raise click.ClickException(f"{error.message} {' '.join(str(p) for p in error.problems)}") from error
    click.echo(f"{seeded.created} indicator(s) defined, {seeded.given_a_threshold} given a success threshold.")


exports_cli = AppGroup("exports", help="Export jobs: the de-identified data, made outside the web requests.")


@exports_cli.command("tick")
def exports_tick_command() -> None:
    """Make every queued export, then stop."""
    app = this_app()
    run_in_thread(lambda: one_pass(app), "export worker")


@exports_cli.command("work")
@click.option("--interval", type=float, default=None, help="Seconds between passes (default WORKER_INTERVAL_SECONDS).")
def exports_work_command(interval: float | None) -> None:
    """Make queued exports as they come, until stopped with SIGTERM or Ctrl-C (the export in progress is
    finished first). The passes run in a thread: see export_jobs.work for why."""
    run_until_stopped("export worker", work, interval, in_thread=True)
