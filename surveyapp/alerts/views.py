from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from surveyapp.alerts import queries, roster, services
from surveyapp.alerts.forms import AcknowledgeForm, ActionForm, CloseForm, DutyForm, RemoveDutyForm
from surveyapp.alerts.labels import ACTION_LABELS, EVENT_LABELS, OUTCOME_LABELS, STATE_LABELS
from surveyapp.alerts.models import ActionKind, Alert, Duty, Outcome
from surveyapp.audit import services as audit
from surveyapp.auth.access import can, ensure_serves_territory, territory_scope
from surveyapp.auth.models import User
from surveyapp.auth.views import role_label
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.forms import territory_choices
from surveyapp.respondents.models import Territory
from surveyapp.responses.labels import LEVEL_LABELS
from surveyapp.transactions import after_the_view

bp = Blueprint("alerts", __name__, url_prefix="/alerts")

LABELS = {
    "level_labels": LEVEL_LABELS,
    "state_labels": STATE_LABELS,
    "event_labels": EVENT_LABELS,
    "action_labels": ACTION_LABELS,
    "outcome_labels": OUTCOME_LABELS,
}


@bp.get("/")
def inbox():
    shown = request.args.get("state", "open")
    if shown not in queries.INBOX_FILTERS:
        abort(404)
    page = queries.inbox(
        request.args.get("page", 1, type=int),
        queries.INBOX_FILTERS[shown],
        escalated_only=not can("see_every_alert"),
        territory_id=territory_scope(current_user),
    )
    return render_template(
        "alerts/inbox.html",
        page=page,
        shown=shown,
        filters=queries.INBOX_FILTERS,
        undelivered=queries.with_undelivered_mail([a.id for a in page.items]),
        now=utc_now(),
        **LABELS,
    )


@bp.get("/<int:alert_id>")
def show_alert(alert_id: int):
    return _render_alert(_alert_for_current_user(alert_id), 200)


@bp.post("/<int:alert_id>/acknowledge")
def acknowledge(alert_id: int):
    alert = _alert_for_current_user(alert_id)
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    services.acknowledge(alert, current_user._get_current_object(), utc_now())
    flash(_("Acknowledged. Record what you do, then close the alert with its outcome."), "success")
    return redirect(url_for("alerts.show_alert", alert_id=alert.id))


@bp.post("/<int:alert_id>/actions")
def record_action(alert_id: int):
    alert = _alert_for_current_user(alert_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_alert(alert, 422, action_form=form)
    services.record_action(
        alert, current_user._get_current_object(), ActionKind(form.action.data), form.note.data or "", utc_now()
    )
    return redirect(url_for("alerts.show_alert", alert_id=alert.id))


@bp.post("/<int:alert_id>/close")
def close(alert_id: int):
    alert = _alert_for_current_user(alert_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return _render_alert(alert, 422, close_form=form)
    services.close(
        alert, current_user._get_current_object(), Outcome(form.outcome.data), form.note.data or "", utc_now()
    )
    flash(_("The alert is closed."), "success")
    return redirect(url_for("alerts.show_alert", alert_id=alert.id))


@bp.route("/duty", methods=["GET", "POST"])
def duty_roster():
    form = _duty_form()
    if form.validate_on_submit():
        territory = db.session.get(Territory, form.territory_id.data) if form.territory_id.data else None
        roster.put_on_duty(db.get_or_404(User, form.user_id.data), territory, form.is_backup.data)
        return redirect(url_for("alerts.duty_roster"))
    return render_template(
        "alerts/duty.html", form=form, roster=roster.roster(), remove_form=RemoveDutyForm()
    ), 422 if form.is_submitted() else 200


@bp.post("/duty/<int:duty_id>/remove")
def remove_duty(duty_id: int):
    duty = db.get_or_404(Duty, duty_id)
    if not RemoveDutyForm().validate_on_submit():
        abort(400)
    roster.take_off_duty(duty)
    return redirect(url_for("alerts.duty_roster"))


def _alert_for_current_user(alert_id: int) -> Alert:
    """Coordinators are a contact only once an alert has been escalated."""
    alert = db.get_or_404(Alert, alert_id)
    ensure_serves_territory(alert.territory_id)
    if not (can("see_every_alert") or alert.is_escalated):
        abort(403)
    return alert


def _render_alert(alert: Alert, status: int, **forms):
    """The alert page; for psychologists and admins with the child's identity and answers, each read audited."""
    respondent = alert.submission.respondent
    identity = respondents.read_identity(respondent, {"alert": alert.id}) if can("see_identity") else None
    after_the_view(partial(audit.record, "view_alert", alert))
    forms = {"acknowledge_form": AcknowledgeForm(), "action_form": ActionForm(), "close_form": CloseForm(), **forms}
    return render_template(
        "alerts/show.html",
        alert=alert,
        session=alert.submission.session,
        respondent=respondent,
        identity=identity,
        definition=alert.submission.instrument_version.definition,
        mail=queries.mail_of(alert.id),
        **forms,
        **LABELS,
    ), status


def _duty_form() -> DutyForm:
    form = DutyForm()
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.full_name or u.username} ({role_label(u.role)})") for u in roster.candidates()
    ]
    form.territory_id.choices = territory_choices(_("Whole city"))
    return form
