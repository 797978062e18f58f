"""Export jobs in the browser: ask for the de-identified data or for one instrument version's item-level data (with
its codebook, made at once), follow the progress, download the file.

Only the roles that may see individual rows reach these pages (ROUTE_ROLES); a job and its file belong to
its requester (and are open to admins)."""

from functools import partial
from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.auth.access import can
from surveyapp.config import LANGUAGES
from surveyapp.extensions import db
from surveyapp.i18n import current_language
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports import export_jobs, item_export, item_files
from surveyapp.reports.codebook import codebook_xlsx
from surveyapp.reports.exports import DATA_FORMATS, MIMETYPES, XLSX_TYPE, data_file_name
from surveyapp.reports.models import ExportJob, ExportKind, ExportState
from surveyapp.transactions import after_the_view

bp = Blueprint("exports", __name__, url_prefix="/reports/exports")

LISTED = 20
"""Jobs on the list page, newest first."""
REFRESH_SECONDS = 3
"""The progress page reloads itself (no JavaScript) while the export is queued or running."""
STATE_LABELS = {
    ExportState.QUEUED: _l("Waiting for the export worker"),
    ExportState.RUNNING: _l("Being written"),
    ExportState.DONE: _l("Ready to download"),
    ExportState.FAILED: _l("Failed"),
    ExportState.EXPIRED: _l("Deleted after the retention period"),
}


@bp.get("/")
def list_exports():
    jobs = db.session.scalars(
        select(ExportJob)
        .where(ExportJob.requested_by_id == current_user.id)
        .order_by(ExportJob.id.desc())
        .limit(LISTED)
    )
    return render_template("reports/exports.html", jobs=list(jobs), states=STATE_LABELS)


@bp.post("/")
def request_export():
    file_format = request.form.get("format")
    language = request.form.get("lang") or current_language()
    if file_format not in DATA_FORMATS or language not in LANGUAGES:
        abort(400)
    job = export_jobs.request_export(current_user._get_current_object(), file_format, language)
    return redirect(url_for("exports.show_export", job_id=job.id))


@bp.get("/items")
def list_item_exports():
    versions = db.session.scalars(
        select(InstrumentVersion)
        .join(InstrumentVersion.instrument)
        .order_by(Instrument.code, InstrumentVersion.published_at)
    )
    return render_template(
        "reports/item_exports.html",
        versions=list(versions),
        formats=item_files.FORMATS,
        label_languages=item_files.label_languages,
    )


@bp.post("/items/<int:version_id>")
def request_item_export(version_id: int):
    version = db.get_or_404(InstrumentVersion, version_id)
    file_format, language = request.form.get("format"), request.form.get("lang") or current_language()
    if file_format not in item_files.FORMATS or language not in item_files.label_languages(version.definition):
        abort(400)
    job = export_jobs.request_item_export(current_user._get_current_object(), version, file_format, language)
    return redirect(url_for("exports.show_export", job_id=job.id))


@bp.get("/items/<int:version_id>/codebook")
def download_codebook(version_id: int):
    version = db.get_or_404(InstrumentVersion, version_id)
    language = request.args.get("lang") or current_language()
    if language not in item_files.label_languages(version.definition):
        abort(400)
    layout = item_export.layout(version.definition, language, item_files.wording(language))
    content = codebook_xlsx(layout, version.published_at.date().isoformat(), version.source_file)
    after_the_view(partial(audit.record, "download_item_codebook", version, {"language": language}))
    return send_file(
        BytesIO(content),
        mimetype=XLSX_TYPE,
        as_attachment=True,
        download_name=f"codebook-{version.definition.key}-{language}.xlsx",
    )


@bp.get("/<int:job_id>")
def show_export(job_id: int):
    return render_template(
        "reports/export.html",
        job=_own_job(job_id),
        states=STATE_LABELS,
        failures=export_jobs.FAILURES,
        refresh_seconds=REFRESH_SECONDS,
    )


@bp.post("/<int:job_id>/retry")
def retry_export(job_id: int):
    job = _own_job(job_id)
    job.retry()
    return redirect(url_for("exports.show_export", job_id=job.id))


@bp.get("/<int:job_id>/file")
def download_export(job_id: int):
    job = _own_job(job_id)
    if job.state != ExportState.DONE:
        abort(404)
    if job.kind == ExportKind.ITEM_DATA:
        action, mimetype = "download_item_data", item_files.MIMETYPES[job.file_format]
        name = item_files.file_name(export_jobs.item_layout(job), job.file_format)
    else:
        action, mimetype = "download_indicator_data", MIMETYPES[job.file_format]
        name = data_file_name(job.file_format, job.language)
    after_the_view(partial(audit.record, action, job, {"format": job.file_format}))
    return send_file(export_jobs.file_path(job), mimetype=mimetype, as_attachment=True, download_name=name)


def _own_job(job_id: int) -> ExportJob:
    job = db.get_or_404(ExportJob, job_id)
    if job.requested_by_id != current_user.id and not can("see_every_export"):
        abort(403)
    return job
