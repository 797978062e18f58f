"""Export jobs: asked for in a request, made by the export worker, downloaded by their requester. Two kinds: the
indicators' de-identified long-form data (reports.data_export) and the item-level data of one instrument version
(reports.item_data, written by reports.item_files).

A request only adds the job (and its audit row); the worker claims it, reads the rows on a connection of its own
(a server-side cursor on PostgreSQL, a read snapshot on SQLite that holds no lock) and writes the file row by
row under the instance folder, readable by the service only (mode 600). Progress is committed every
PROGRESS_EVERY rows; that is also the worker's sign of life: a running job silent for STALE_AFTER was
interrupted (the worker stopped) and is marked failed, to be retried. A finished file is deleted after the
retention period (EXPORT_RETENTION_HOURS, default 24).
"""

import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from surveyapp.audit import services as audit
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.reports import data_export, item_data, item_export, item_files
from surveyapp.reports.exports import write_data
from surveyapp.reports.models import ExportJob, ExportKind, ExportState
from surveyapp.transactions import commit_with_retry

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10_000
STALE_AFTER = timedelta(minutes=10)
FAILURES = {
    "interrupted": _l("The export was interrupted before it finished (the export worker stopped)."),
    "failed": _l("The export failed. The error was logged for the administrator."),
}
"""What `ExportJob.error` holds -> what the requester reads, in their language."""


def request_export(user, file_format: str, language: str) -> ExportJob:
    """Queue an export of the de-identified data; audited as the direct download was."""
    job = ExportJob(requested_by=user, file_format=file_format, language=language)
    db.session.add(job)
    db.session.flush()
    audit.record("export_indicator_data", user, {"format": file_format, "language": language, "job": job.id})
    return job


def request_item_export(user, version: InstrumentVersion, file_format: str, language: str) -> ExportJob:
    """Queue an export of every answer and score of one instrument version (item_data); audited."""
    job = ExportJob(
        requested_by=user,
        kind=ExportKind.ITEM_DATA,
        instrument_version_id=version.id,
        file_format=file_format,
        language=language,
    )
    db.session.add(job)
    db.session.flush()
    audit.record(
        "export_item_data",
        user,
        {
            "version": version.id,
            "instrument": version.definition.key,
            "format": file_format,
            "language": language,
            "job": job.id,
        },
    )
    return job


def item_layout(job: ExportJob) -> item_export.Layout:
    return item_export.layout(job.instrument_version.definition, job.language, item_files.wording(job.language))


def exports_folder() -> Path:
    return Path(current_app.instance_path) / "exports"


def file_path(job: ExportJob) -> Path:
    assert job.file_name is not None, "only a finished job has a file"
    return exports_folder() / job.file_name


def run_pass(now: datetime) -> int:
    """Expire old files, mark interrupted jobs failed, then make every queued job; how many were made."""
    _expire_old_files(now)
    for stale_id in db.session.scalars(
        select(ExportJob.id).where(ExportJob.state == ExportState.RUNNING, ExportJob.heartbeat_at < now - STALE_AFTER)
    ).all():
        commit_with_retry(partial(_fail, stale_id, "interrupted"))
    made = 0
    while (job_id := _claim_next()) is not None:
        run_job(job_id)
        made += 1
    return made


def run_job(job_id: int) -> None:
    """Write the job's file; on any error the job is marked failed and its partial file removed."""
    job = db.session.get_one(ExportJob, job_id)
    name = f"{job.id}-{secrets.token_urlsafe(16)}.{job.file_format.removeprefix('data-')}"
    path = exports_folder() / name
    try:
        rows = _write(job, path)
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        logger.exception("export job %s failed", job_id)
        commit_with_retry(partial(_fail, job_id, "failed"))
        return
    commit_with_retry(partial(_finish, job_id, name, rows))


def _write(job: ExportJob, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    if job.kind == ExportKind.ITEM_DATA:
        return _write_items(job, path)
    job_id, file_format, language = job.id, job.file_format, job.language
    with _snapshot() as reading, _private_file(path) as output:
        total = data_export.count_data_rows(reading)
        commit_with_retry(partial(_progress, job_id, 0, total))
        counter = _Counter()
        write_data(counter.counted(data_export.data_rows(reading), job_id, total), file_format, language, output)
    return counter.rows


def _write_items(job: ExportJob, path: Path) -> int:
    job_id, file_format, version_id, layout = job.id, job.file_format, job.instrument_version_id, item_layout(job)
    assert version_id is not None, "an item export is of one questionnaire version"
    with _snapshot() as reading:
        total = item_data.count_item_rows(reading, version_id)
        commit_with_retry(partial(_progress, job_id, 0, total))
        counter = _Counter()
        rows = counter.counted(item_data.item_rows(reading, layout, version_id), job_id, total)
        with _private_file(path) as output:
            item_files.write_stream(layout, rows, file_format, output)
    return counter.rows


@contextmanager
def _snapshot():
    """A connection of its own for reading; on PostgreSQL the count and the rows come from one snapshot."""
    with db.engine.connect() as reading:
        if reading.dialect.name == "postgresql":
            reading.execution_options(isolation_level="REPEATABLE READ")
        yield reading


class _Counter:
    rows = 0

    def counted(self, rows, job_id: int, total: int) -> Iterator[tuple]:
        for row in rows:
            yield row
            self.rows += 1
            if self.rows % PROGRESS_EVERY == 0:
                commit_with_retry(partial(_progress, job_id, self.rows, total))


def _private_file(path: Path):
    """Opened for writing, readable and writable by the service's user only."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _claim_next() -> int | None:
    """The oldest queued job, moved to running; two workers never claim the same one (the row is locked on
    PostgreSQL, the database on SQLite)."""

    def claim():
        job = db.session.scalar(
            select(ExportJob)
            .where(ExportJob.state == ExportState.QUEUED)
            .order_by(ExportJob.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job is None:
            return None
        job.start(utc_now())
        return job.id

    return commit_with_retry(claim)


def _finish(job_id: int, name: str, rows: int) -> None:
    db.session.get_one(ExportJob, job_id).finish(name, rows, utc_now())


def _progress(job_id: int, rows: int, total: int) -> None:
    db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(rows_written=rows, rows_total=total, heartbeat_at=utc_now())
    )


def _fail(job_id: int, error: str) -> None:
    db.session.get_one(ExportJob, job_id).fail(error, utc_now())


def _expire_old_files(now: datetime) -> None:
    retention = timedelta(hours=current_app.config["EXPORT_RETENTION_HOURS"])
    for job in db.session.scalars(
        select(ExportJob).where(ExportJob.state == ExportState.DONE, ExportJob.finished_at < now - retention)
    ).all():
        file_path(job).unlink(missing_ok=True)
        commit_with_retry(partial(_expire, job.id))


def _expire(job_id: int) -> None:
    db.session.get_one(ExportJob, job_id).expire()


def work(app, interval: float, stop: threading.Event) -> None:
    """Pass after pass until ``stop`` is set.

    Run it in a thread of its own, not in the CLI command's: outside a click context SQLite transactions begin
    as readers (surveyapp.transactions), so that reading a million rows never holds the write lock that children's
    submissions wait for; the writes here all go through commit_with_retry."""
    while not stop.is_set():
        one_pass(app)
        stop.wait(interval)


def one_pass(app) -> None:
    """A pass in an app context of its own; a failing pass is logged, and the next one tries again."""
    with app.app_context():
        try:
            made = run_pass(utc_now())
        except Exception:
            db.session.rollback()
            logger.exception("export worker: the pass failed")
        else:
            if made:
                logger.info("export worker: %d export(s) made", made)
