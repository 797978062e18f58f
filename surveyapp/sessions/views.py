from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from surveyapp.alerts import queries as alert_queries
from surveyapp.auth.access import SEES_SCORES
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.instruments.queries import all_versions
from surveyapp.respondents.services import territory_choices
from surveyapp.sessions import queries, services
from surveyapp.sessions.forms import WAVE_LABELS, SessionForm, SessionStateForm
from surveyapp.sessions.models import SurveySession, Wave

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.get("/")
def list_sessions():
    trainer_id = current_user.id if current_user.role == Role.TRAINER else None
    page = services.list_sessions(request.args.get("page", 1, type=int), trainer_id)
    return render_template("sessions/list.html", page=page, wave_labels=WAVE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def new_session():
    form = _session_form()
    if not form.validate_on_submit():
        return render_template("sessions/new.html", form=form), 422 if form.is_submitted() else 200
    session = services.plan_session(
        title=form.title.data, held_on=form.held_on.data, place=form.place.data, wave=Wave(form.wave.data),
        territory_id=form.territory_id.data or None, trainer_id=form.trainer_id.data or None,
        instrument_version_ids=form.instrument_version_ids.data, created_by=current_user,
    )
    db.session.commit()
    flash(_("Session planned. Its join code is %(code)s.", code=session.join_code), "success")
    return redirect(url_for("sessions.show_session", session_id=session.id))


@bp.get("/<int:session_id>")
def show_session(session_id: int):
    session = _session_for_current_user(session_id)
    submissions = queries.submissions_of(session.id) if current_user.has_role(*SEES_SCORES) else None
    return render_template(
        "sessions/show.html", session=session, wave_labels=WAVE_LABELS, state_form=SessionStateForm(),
        submissions=submissions, submission_count=queries.submission_count(session.id),
        reliability=queries.reliability_at(session, submissions) if submissions is not None else None,
        children_needing_attention=alert_queries.open_acute_count(session.id),
        tablets=queries.devices_of(session.id),
    )


@bp.post("/<int:session_id>/close")
def close_session(session_id: int):
    return _set_open(session_id, False)


@bp.post("/<int:session_id>/reopen")
def reopen_session(session_id: int):
    return _set_open(session_id, True)


def _set_open(session_id: int, is_open: bool):
    session = _session_for_current_user(session_id)
    if not SessionStateForm().validate_on_submit():
        abort(400)
    services.set_open(session, is_open)
    db.session.commit()
    return redirect(url_for("sessions.show_session", session_id=session.id))


def _session_for_current_user(session_id: int) -> SurveySession:
    """A trainer sees only the sessions they run."""
    session = db.get_or_404(SurveySession, session_id)
    if current_user.role == Role.TRAINER and session.trainer_id != current_user.id:
        abort(403)
    return session


def _session_form() -> SessionForm:
    form = SessionForm()
    form.territory_id.choices = territory_choices(_("Whole city"))
    form.trainer_id.choices = [SelectChoice(0, _("No trainer"))] + [
        SelectChoice(u.id, u.full_name or u.username) for u in queries.trainers()
    ]
    form.instrument_version_ids.choices = [SelectChoice(v.id, v.label) for v in all_versions()]
    return form
