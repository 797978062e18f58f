"""A trainer's results of one training: the page, and the training report to download (PDF or XLSX in ky, ru or en).

A trainer sees only the trainings they run (managers every one). Both show participants by name, so each view
and each download is audited, as reads of a respondent's identity are.
"""

import base64
from functools import partial
from io import BytesIO

from flask import Blueprint, render_template, request, send_file
from flask_babel import lazy_gettext as _l

from surveyapp.audit import services as audit
from surveyapp.config import LANGUAGES
from surveyapp.errors import Invalid
from surveyapp.i18n import current_language
from surveyapp.trainings import result_tables
from surveyapp.trainings.report_files import FORMATS, training_report
from surveyapp.trainings.result_chart import chart_title, questions_chart
from surveyapp.trainings.results import training_result
from surveyapp.trainings.views import training_run_by_current_user
from surveyapp.transactions import after_the_view

bp = Blueprint("training_results", __name__, url_prefix="/trainings")


@bp.get("/<int:training_id>/results")
def show_results(training_id: int):
    training = training_run_by_current_user(training_id)
    result = training_result(training)
    chart = base64.b64encode(questions_chart(result)).decode("ascii") if result.gain.n_matched else None
    after_the_view(partial(audit.record, "view_training_results", training))
    return render_template(
        "trainings/results.html", result=result, tables=result_tables, chart=chart, chart_title=chart_title()
    )


@bp.get("/<int:training_id>/report")
def download_report(training_id: int):
    file_format = request.args.get("format", "pdf")
    language = request.args.get("lang") or current_language()
    if file_format not in FORMATS or language not in LANGUAGES:
        raise Invalid(_l("Choose a PDF or XLSX file in Kyrgyz (ky), Russian (ru) or English (en)."))
    training = training_run_by_current_user(training_id)
    export = training_report(training_result(training), file_format, language)
    after_the_view(
        partial(audit.record, "export_training_report", training, {"format": file_format, "language": language})
    )
    return send_file(
        BytesIO(export.content), mimetype=export.mimetype, as_attachment=True, download_name=export.filename
    )
