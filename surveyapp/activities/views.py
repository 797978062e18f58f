"""The programme's activities: planned against reached participants, as counts only (every role, the mayor's
office included)."""

from io import BytesIO

from flask import Blueprint, render_template, request, send_file
from flask_babel import lazy_gettext as _l

from surveyapp.activities.exports import FORMATS, export_progress
from surveyapp.activities.queries import activity_progress
from surveyapp.activities.tables import progress_table
from surveyapp.errors import NotFound
from surveyapp.i18n import current_language

bp = Blueprint("activities", __name__, url_prefix="/activities")


@bp.get("/")
def list_activities():
    return render_template("activities/list.html", table=progress_table(activity_progress()))


@bp.get("/download")
def download():
    file_format = request.args.get("format", "xlsx")
    if file_format not in FORMATS:
        raise NotFound(_l("There is no such download: choose XLSX or CSV."))
    export = export_progress(activity_progress(), file_format, current_language())
    return send_file(
        BytesIO(export.content), mimetype=export.mimetype, as_attachment=True, download_name=export.filename
    )
