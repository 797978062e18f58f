"""The Indicators page, its downloads, and the admin's indicator definitions.

Access: admin, coordinator and psychologist see every group (small ones marked) and may download the
de-identified data; trainers and the viewer role (the mayor's office) see the same aggregates with small groups
suppressed and no individual rows. Only an admin edits the indicator definitions.
"""

import base64
from functools import partial
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.audit import services as audit
from surveyapp.auth.access import can
from surveyapp.config import LANGUAGES
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import current_language
from surveyapp.instruments.queries import all_instruments
from surveyapp.reports import cache, formatting, queries, services, tables
from surveyapp.reports.exports import FORMATS, export_report
from surveyapp.reports.forms import DeleteForm, IndicatorForm
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.plots import Plot
from surveyapp.transactions import after_the_view

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
def show_indicators():
    """Page 1, the summary with its chart; then the statistics as an annex."""
    report, charts = cache.report_with_charts(suppress_small=not can("see_small_groups"))
    return render_template(
        "reports/indicators.html",
        report=report,
        summary_plot=charts.summary and _embedded(charts.summary),
        plots=[_embedded(plot) for plot in charts.plots],
        tables=tables,
        fmt=formatting,
        languages=LANGUAGES,
    )


@bp.get("/download")
def download():
    file_format = request.args.get("format", "pdf")
    language = request.args.get("lang") or current_language()
    if file_format not in FORMATS or language not in LANGUAGES:
        abort(404)
    sees_small_groups = can("see_small_groups")
    export = export_report(cache.report_for_export(suppress_small=not sees_small_groups), file_format, language)
    if file_format == "xlsx" and sees_small_groups:
        after_the_view(
            partial(
                audit.record,
                "export_indicator_data",
                current_user._get_current_object(),
                {"format": file_format, "language": language},
            )
        )
    return send_file(
        BytesIO(export.content), mimetype=export.mimetype, as_attachment=True, download_name=export.filename
    )


@bp.get("/definitions")
def list_definitions():
    return render_template(
        "reports/definitions.html",
        definitions=queries.indicator_definitions(),
        fmt=formatting,
        instruments={instrument.code: instrument for instrument in all_instruments()},
        delete_form=DeleteForm(),
    )


@bp.route("/definitions/new", methods=["GET", "POST"])
def new_definition():
    return _edit(None)


@bp.route("/definitions/<int:definition_id>", methods=["GET", "POST"])
def edit_definition(definition_id: int):
    return _edit(db.get_or_404(IndicatorDefinition, definition_id))


@bp.post("/definitions/<int:definition_id>/delete")
def delete_definition(definition_id: int):
    definition = db.get_or_404(IndicatorDefinition, definition_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    services.delete_indicator(definition)
    flash(_("The indicator was deleted."), "success")
    return redirect(url_for("reports.list_definitions"))


def _edit(definition: IndicatorDefinition | None):
    form = IndicatorForm()
    form.set_instrument_choices(all_instruments())
    if definition is not None and not form.is_submitted():
        form.fill_from(definition)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("reports/definition_form.html", form=form, definition=definition), status
    try:
        services.save_indicator(form.to_fields(), definition)
    except DomainError as error:
        db.session.rollback()
        return render_template(
            "reports/definition_form.html", form=form, definition=definition, error=error
        ), error.status
    flash(_("The indicator was saved."), "success")
    return redirect(url_for("reports.list_definitions"))


def _embedded(plot: Plot) -> tuple[str, str]:
    """(title, base64 PNG) for an <img> data URL: the page needs no second request for its charts."""
    return plot.title, base64.b64encode(plot.png).decode("ascii")
