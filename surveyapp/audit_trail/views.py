"""The audit trail, read by admins: who saw or changed what, when, filtered, and exported as CSV."""

import json
from io import BytesIO

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext as _

from surveyapp.audit_trail import queries
from surveyapp.audit_trail.forms import EventFilterForm
from surveyapp.auth.services import list_users
from surveyapp.extensions import db
from surveyapp.reports.exports import write_csv

bp = Blueprint("audit", __name__, url_prefix="/audit")
EXPORT_COLUMNS = ("at", "user", "action", "object_type", "object_id", "details")


@bp.get("/")
def list_events():
    form, event_filter = _filter_from_query()
    events, next_before = queries.events_page(event_filter, request.args.get("before", type=int))
    return render_template("audit/list.html", form=form, events=events, next_before=next_before)


@bp.get("/export.csv")
def export_events():
    _form, event_filter = _filter_from_query()
    output = BytesIO()
    write_csv(
        EXPORT_COLUMNS,
        (_export_row(event, username) for event, username in db.session.execute(queries.filtered(event_filter))),
        output,
    )
    output.seek(0)
    return send_file(output, mimetype="text/csv; charset=utf-8", as_attachment=True, download_name="audit-trail.csv")


def _filter_from_query() -> tuple[EventFilterForm, queries.EventFilter]:
    form = EventFilterForm(request.args)
    form.user.choices = [("", _("Anyone"))] + [(str(user.id), user.username) for user in list_users()]
    form.action.choices = [("", _("Any action"))] + [(action, action) for action in queries.actions()]
    if not form.validate():
        return form, queries.EventFilter(user_id=-1)  # an invalid filter shows nothing rather than everything
    return form, queries.EventFilter(
        user_id=int(form.user.data) if form.user.data else None,
        action=form.action.data or None,
        respondent_code=form.respondent.data or None,
        since=form.since.data,
        until=form.until.data,
    )


def _export_row(event, username: str | None) -> tuple:
    return (
        event.at.isoformat(),
        username or "",
        event.action,
        event.object_type,
        event.object_id,
        json.dumps(event.details, ensure_ascii=False),
    )
