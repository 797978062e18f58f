from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.instruments.compare import compare_versions
from surveyapp.instruments.forms import XLSFormUploadForm
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.queries import all_instruments
from surveyapp.instruments.services import InvalidDefinition, draft_from_xlsform
from surveyapp.instruments.workbook_limits import MAX_ROWS, MAX_WORKBOOK_BYTES, MEGABYTE
from surveyapp.instruments.xlsform import export_xlsform

bp = Blueprint("instruments", __name__, url_prefix="/instruments")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
def list_instruments():
    return _list_page(XLSFormUploadForm())


@bp.get("/versions/<int:version_id>")
def show_version(version_id: int):
    version = db.get_or_404(InstrumentVersion, version_id)
    return render_template("instruments/show.html", version=version, definition=version.definition)


@bp.get("/versions/<int:version_id>/xlsform")
def export_version(version_id: int):
    version = db.get_or_404(InstrumentVersion, version_id)
    return send_file(
        BytesIO(export_xlsform(version.content)),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"{version.instrument.code}-{version.version}.xlsx",
    )


@bp.get("/<code>/compare")
def compare(code: str):
    instrument = db.first_or_404(select(Instrument).filter_by(code=code))
    old = _version_of(instrument, "old", default=instrument.versions[0])
    new = _version_of(instrument, "new", default=instrument.versions[-1])
    return render_template(
        "instruments/compare.html",
        instrument=instrument,
        old=old,
        new=new,
        comparison=compare_versions(old.content, new.content),
    )


@bp.post("/xlsform")
def import_xlsform_draft():
    """Check an XLSForm and hand back the instrument draft (YAML) it makes, or every problem found."""
    form = XLSFormUploadForm()
    if not form.validate_on_submit():
        return _list_with_problems(form, [str(e) for errors in form.errors.values() for e in errors])
    try:
        draft = draft_from_xlsform(form.xlsform.data.read(MAX_WORKBOOK_BYTES + 1))  # enough to see it is too large
    except InvalidDefinition as error:
        return _list_with_problems(form, error.problems, error.status)
    return send_file(
        BytesIO(draft.as_yaml().encode("utf-8")),
        mimetype="application/yaml",
        as_attachment=True,
        download_name=draft.filename,
    )


def _version_of(instrument: Instrument, arg: str, default: InstrumentVersion) -> InstrumentVersion:
    if arg not in request.args:
        return default
    chosen = next((v for v in instrument.versions if v.id == request.args.get(arg, type=int)), None)
    if chosen is None:
        abort(404)
    return chosen


def _list_with_problems(form, problems: list[str], status: int = 422):
    return _list_page(form, problems), status


def _list_page(form, problems: list[str] | None = None) -> str:
    return render_template(
        "instruments/list.html",
        instruments=all_instruments(),
        upload_form=form,
        problems=problems,
        max_megabytes=MAX_WORKBOOK_BYTES // MEGABYTE,
        max_rows=MAX_ROWS,
    )
