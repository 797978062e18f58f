import io

import segno
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from surveyapp.alerts import queries as alert_queries
from surveyapp.auth.access import can, ensure_may_run, may_run
from surveyapp.extensions import db
from surveyapp.i18n import band_label, scale_label
from surveyapp.respondents.forms import territory_choices
from surveyapp.responses import queries as submission_queries
from surveyapp.responses.labels import LEVEL_LABELS
from surveyapp.sessions import queries, services
from surveyapp.sessions.forms import (
    RESPONDENT_GROUPS,
    WAVE_LABELS,
    SessionForm,
    SessionStateForm,
    activity_choices,
    chosen_kind,
    questionnaire_choices,
    trainer_choices,
)
from surveyapp.sessions.models import SurveySession, Wave

bp = Blueprint("sessions", __name__, url_prefix="/sessions")

QR_SVG_OPTIONS = {"scale": 10, "border": 4, "light": "white", "xmldecl": False, "omitsize": True}
"""The QR code on the join screen: white quiet zone, sized by the page."""


@bp.get("/")
def list_sessions():
    trainer_id = None if can("see_every_session") else current_user.id
    page = services.list_sessions(request.args.get("page", 1, type=int), trainer_id)
    return render_template("sessions/list.html", page=page, wave_labels=WAVE_LABELS, groups=RESPONDENT_GROUPS)


@bp.route("/new", methods=["GET", "POST"])
def new_session():
    kind = chosen_kind(request.args.get("kind"))
    if kind is None:
        status = 400 if request.method == "POST" or "kind" in request.args else 200
        return render_template("sessions/new.html", groups=RESPONDENT_GROUPS, form=None), status
    form = _session_form(kind)
    if not form.validate_on_submit():
        return render_template("sessions/new.html", groups=RESPONDENT_GROUPS, kind=kind, form=form), (
            422 if form.is_submitted() else 200
        )
    session = services.plan_session(
        title=form.title.data,
        held_on=form.held_on.data,
        place=form.place.data,
        wave=Wave(form.wave.data),
        territory_id=form.territory_id.data or None,
        trainer_id=form.trainer_id.data or None,
        instrument_version_ids=form.questionnaires.data,
        respondent_kind=kind,
        activity_id=form.activity_id.data or None,
        created_by=current_user,
    )
    flash(_("Session planned. Its join code is %(code)s.", code=session.join_code_shown), "success")
    return redirect(url_for("sessions.show_session", session_id=session.id))


@bp.get("/<int:session_id>")
def show_session(session_id: int):
    session = db.get_or_404(SurveySession, session_id)
    if not (can("see_scores") or may_run(current_user, session.trainer_id)):
        abort(403)
    sees_scores = can("see_scores")
    submissions = (
        submission_queries.submissions_page(
            session.id,
            older_than=request.args.get("older_than", type=int),
            newer_than=request.args.get("newer_than", type=int),
        )
        if sees_scores
        else None
    )
    return render_template(
        "sessions/show.html",
        session=session,
        wave_labels=WAVE_LABELS,
        groups=RESPONDENT_GROUPS,
        state_form=SessionStateForm(),
        submissions=submissions,
        submission_count=submission_queries.submission_count(session.id),
        versions=_versions_shown(submissions.items) if submissions is not None else None,
        level_labels=LEVEL_LABELS,
        scale_label=scale_label,
        band_label=band_label,
        children_needing_attention=alert_queries.open_acute_count(session.id),
        tablets=submission_queries.devices_of(session.id),
    )


@bp.get("/<int:session_id>/reliability")
def show_reliability(session_id: int):
    """Cronbach's alpha of the session's scales: on a page of its own, as it reads every answer of the session."""
    session = db.get_or_404(SurveySession, session_id)
    return render_template(
        "sessions/reliability.html",
        session=session,
        reliability=submission_queries.reliability_at(session),
        scale_label=scale_label,
    )


@bp.get("/<int:session_id>/join-screen")
def join_screen(session_id: int):
    """For a projector: the join code in large digits, its QR code, and who has joined and submitted so far."""
    session = _session_run_by_current_user(session_id)
    return render_template(
        "sessions/join_screen.html",
        session=session,
        kiosk_url=_kiosk_url(session),
        state_form=SessionStateForm(),
        joined=queries.joined_count(session.id),
        submitted=submission_queries.submitted_count(session.id),
    )


@bp.get("/<int:session_id>/join-qr-code.svg")
def join_qr_code(session_id: int):
    session = _session_run_by_current_user(session_id)
    svg = io.BytesIO()
    segno.make_qr(_kiosk_url(session)).save(svg, kind="svg", **QR_SVG_OPTIONS)
    return Response(svg.getvalue(), mimetype="image/svg+xml")


@bp.post("/<int:session_id>/close")
def close_session(session_id: int):
    return _set_open(session_id, False)


@bp.post("/<int:session_id>/reopen")
def reopen_session(session_id: int):
    return _set_open(session_id, True)


def _set_open(session_id: int, is_open: bool):
    session = _session_run_by_current_user(session_id)
    if not SessionStateForm().validate_on_submit():
        abort(400)
    services.set_open(session, is_open)
    if session.training_id is not None:
        return redirect(url_for("trainings.show_training", training_id=session.training_id))
    return redirect(url_for("sessions.show_session", session_id=session.id))


def _session_run_by_current_user(session_id: int) -> SurveySession:
    """Managers run every session; a trainer only those they are the trainer of."""
    session = db.get_or_404(SurveySession, session_id)
    ensure_may_run(session.trainer_id)
    return session


def _versions_shown(submissions) -> dict[int, tuple]:
    """The label and definition of each instrument version on the page, by id: parsed once, not once per row."""
    versions = {submission.instrument_version for submission in submissions}
    return {version.id: (version.label, version.definition) for version in versions}


def _kiosk_url(session: SurveySession) -> str:
    """The kiosk's join page with the session's code filled in."""
    return url_for("kiosk.join", code=session.join_code, _external=True)


def _session_form(kind) -> SessionForm:
    form = SessionForm()
    form.territory_id.choices = territory_choices(_("Whole city"))
    form.trainer_id.choices = [SelectChoice(0, _("No trainer"))] + trainer_choices()
    form.activity_id.choices = activity_choices()
    form.questionnaires.choices = questionnaire_choices(kind)
    return form
