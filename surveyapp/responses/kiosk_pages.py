"""What every kiosk page carries: the data the tablet's scripts need, and the helplines.

The scripts (static/kiosk/) read ``data-kiosk`` on the page's body: the tablet's language, idle times, the
translated texts they show, the device token of a tablet set up for a session, the pages to keep for offline
use and, once a child has joined, the run of questionnaires that child answers.
"""

from pathlib import Path

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.config import LANGUAGES
from surveyapp.i18n import kiosk_language
from surveyapp.sessions import devices
from surveyapp.sessions.models import KioskDevice, SurveySession

DEVICE_COOKIE = "kiosk_device"
"""The device token of a tablet set up for a session (HttpOnly)."""
DEVICE_ID_COOKIE = "kiosk_device_id"
"""The tablet's own id, made once when it is first set up and kept across sessions."""
DEVICE_COOKIE_DAYS = 30
KIOSK_STATIC = Path(__file__).resolve().parent.parent / "static" / "kiosk"
KIOSK_SCRIPTS = ("kiosk/expressions.js", "kiosk/conditions.js", "kiosk/queue.js", "kiosk/run.js")
KIOSK_ASSETS = ("style.css", "kiosk/kiosk.css", *KIOSK_SCRIPTS)
"""The static files of every kiosk page (templates/kiosk/base.html); sw.js keeps the same list on install."""
HELPLINE_NAMES = {"111": _l("Children's helpline"), "112": _l("Emergency: police, ambulance, fire")}


def current_device() -> KioskDevice | None:
    """The tablet's device while its session is open."""
    device = devices.device_of_token(request.cookies.get(DEVICE_COOKIE))
    return device if device is not None and device.is_authorised else None


def helplines() -> list[tuple[str, str]]:
    return [(number, name or HELPLINE_NAMES.get(number, "")) for number, name in current_app.config["HELPLINES"]]


def page_data(
    device: KioskDevice | None,
    session: SurveySession | None = None,
    run: dict | None = None,
    device_token: str | None = None,
) -> dict:
    """The ``data-kiosk`` document of a page (see the module docstring)."""
    language = kiosk_language()
    data = {
        "language": language,
        "idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"],
        "idle_warning_seconds": current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
        "api": url_for("api.create_submission"),
        "heartbeat": url_for("api.device_heartbeat"),
        "join_url": url_for("kiosk.join"),
        "offline_url": url_for("kiosk.offline", lang=language),
        "sw": url_for("kiosk.service_worker"),
        "strings": script_strings(),
    }
    if device is not None:
        data["device"] = {
            "id": str(device.device_uuid),
            "session_title": device.session.title,
            "join_code": device.session.join_code,
        }
        if device_token:
            data["device"]["token"] = device_token
        session = session or device.session
    if session is not None:
        data["precache"] = offline_urls(session)
    if run is not None:
        data["run"] = run
    return data


def offline_urls(session: SurveySession) -> list[str]:
    """Every page and file a child at this session needs with the network gone, in every language."""
    pages = [
        url_for("kiosk.take", version_id=version.id, lang=language)
        for version in session.instrument_versions
        for language in LANGUAGES
    ]
    pages += [
        url_for(endpoint, lang=language) for endpoint in ("kiosk.done", "kiosk.offline") for language in LANGUAGES
    ]
    return pages + [url_for("static", filename=asset) for asset in KIOSK_ASSETS]


def script_strings() -> dict[str, str]:
    """The texts the scripts show, in the tablet's language; {n}, {total} and {time} are filled in by them."""
    return {
        "next": _("Next"),
        "back": _("Back"),
        "send": _("Send my answers"),
        "required": _("Please answer this question."),
        "question_of": _("Question {n} of {total}"),
        "questionnaire_of": _("Questionnaire {n} of {total}"),
        "removed_answer": _("Your answer to question {n} was removed because the question no longer applies."),
        "removed_choice": _("Your answer to question {n} was removed because it no longer fits your other answers."),
        "idle_title": _("Are you still there?"),
        "idle_body": _(
            "If nobody touches the screen, your answers will be deleted and the tablet will go back to the start."
        ),
        "continue": _("Continue"),
        "start_over_title": _("Start over?"),
        "start_over_body": _("Your answers to this questionnaire will be deleted."),
        "start_over_yes": _("Yes, start over"),
        "start_over_no": _("No, go back"),
        "waiting": _("Questionnaires waiting to be sent: {n}"),
        "last_sent": _("Last sent at {time}"),
        "refused": _(
            "Questionnaires that could not be stored: {n}. Show this tablet to the adult running the session."
        ),
        "all_sent": _("All answers are sent."),
        "saved_offline": _("Your answers are saved on this tablet and will be sent when the network is back."),
        "invalid": _("This answer is not possible here; please check it."),
        "send_failed": _("Your answers could not be saved. Please show this tablet to the adult running the session."),
        "offline_ready": _("Ready to work without network ({n} pages kept)."),
        "offline_incomplete": _("Not ready to work without network: {n} pages could not be kept. Check the network."),
    }
