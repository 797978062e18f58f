"""Setting a tablet up for a session: a trainer signs in on the tablet, chooses the session and is signed out;
the tablet keeps the device token (an HttpOnly cookie, and for its scripts the ready page) until the session
closes."""

import uuid

from flask import Blueprint, current_app, render_template, request, session
from flask_login import current_user, logout_user
from wtforms import SelectChoice

from surveyapp.auth import login_sessions
from surveyapp.extensions import db
from surveyapp.i18n import KIOSK_LANGUAGE_KEY
from surveyapp.responses.kiosk_pages import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_DAYS,
    DEVICE_ID_COOKIE,
    KIOSK_SCRIPTS,
    page_data,
)
from surveyapp.sessions import devices, queries
from surveyapp.sessions.forms import DeviceSetUpForm
from surveyapp.sessions.models import SurveySession

bp = Blueprint("devices", __name__, url_prefix="/kiosk/device")


@bp.route("/", methods=["GET", "POST"])
def set_up_device():
    form = DeviceSetUpForm(session_id=request.args.get("session_id", type=int))
    form.session_id.choices = [
        SelectChoice(s.id, f"{s.title} · {s.place} · {s.held_on.isoformat()}")
        for s in queries.open_sessions_for(current_user)
    ]
    if not form.validate_on_submit():
        return render_template("devices/set_up.html", form=form), 422 if form.is_submitted() else 200
    survey_session = db.session.get_one(SurveySession, form.session_id.data)
    device, token = devices.set_up_device(survey_session, _device_uuid_of_tablet(), current_user)
    login_sessions.end(current_user)
    _sign_staff_out_keeping_tablet_language()
    response = current_app.make_response(
        render_template(
            "devices/ready.html",
            device=device,
            kiosk_scripts=KIOSK_SCRIPTS,
            kiosk_data=page_data(device, device_token=token),
        )
    )
    for name, value in ((DEVICE_COOKIE, token), (DEVICE_ID_COOKIE, str(device.device_uuid))):
        response.set_cookie(
            name,
            value,
            max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _device_uuid_of_tablet() -> uuid.UUID | None:
    try:
        return uuid.UUID(request.cookies.get(DEVICE_ID_COOKIE, ""))
    except ValueError:
        return None


def _sign_staff_out_keeping_tablet_language() -> None:
    language = session.get(KIOSK_LANGUAGE_KEY)
    logout_user()
    session.clear()
    if language:
        session[KIOSK_LANGUAGE_KEY] = language
