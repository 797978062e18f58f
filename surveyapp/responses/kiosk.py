"""The children's kiosk on a shared tablet: join, assent, questionnaires, thank-you, ready for the next child.

The state of the child at the tablet lives in the signed session cookie under ``kiosk`` and is wiped when the
child finishes or declines, so the next child sees nothing of the previous one. The language is kept per device.
"""
import uuid

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.auth.forms import LanguageForm
from surveyapp.errors import DomainError, InvalidAnswers
from surveyapp.extensions import db
from surveyapp.i18n import KIOSK_LANGUAGE_KEY, kiosk_language
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents import services as respondents
from surveyapp.responses.form_answers import answers_from_form
from surveyapp.responses.forms import AssentForm, JoinForm, QuestionnaireForm
from surveyapp.responses.queries import answered_version_ids
from surveyapp.responses.services import SubmissionRequest, open_session_by_join_code, record_submission

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

STATE_KEY = "kiosk"
HELPLINE_NAMES = {"111": _l("Children's helpline"), "112": _l("Emergency: police, ambulance, fire")}


@bp.after_request
def never_cache(response):
    """A shared tablet's back button or cache must never show the previous child's page."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
def join():
    session.pop(STATE_KEY, None)
    form = JoinForm()
    if not form.validate_on_submit():
        return render_template("kiosk/join.html", form=form), 422 if form.is_submitted() else 200
    try:
        survey_session = open_session_by_join_code(form.join_code.data)
        respondent = respondents.find_by_code(form.respondent_code.data)
    except DomainError as error:
        return render_template("kiosk/join.html", form=form, error=error.message), error.status
    answered = answered_version_ids(survey_session.join_code, respondent.code)
    queue = [v.id for v in survey_session.instrument_versions
             if v.instrument.respondent_kind == respondent.kind and v.id not in answered]
    if not queue:
        message = _("There is no questionnaire left for you at this session. Thank you!")
        return render_template("kiosk/join.html", form=form, error=message), 409
    session[STATE_KEY] = {
        "join_code": survey_session.join_code, "respondent_code": respondent.code,
        "queue": queue, "uuids": {}, "has_assent": False,
    }
    return redirect(url_for("kiosk.assent"))


@bp.route("/assent", methods=["GET", "POST"])
def assent():
    state = _state()
    form = AssentForm()
    if form.validate_on_submit():
        if request.form.get("answer") != "yes":
            session.pop(STATE_KEY, None)
            return render_template("kiosk/declined.html")
        state["has_assent"] = True
        session.modified = True
        return redirect(url_for("kiosk.questionnaire"))
    return render_template("kiosk/assent.html", form=form)


@bp.route("/questionnaire", methods=["GET", "POST"])
def questionnaire():
    state = _state()
    if not state["has_assent"]:
        return redirect(url_for("kiosk.assent"))
    version = db.get_or_404(InstrumentVersion, state["queue"][0])
    client_uuid = state["uuids"].setdefault(str(version.id), str(uuid.uuid4()))
    session.modified = True
    form = QuestionnaireForm(client_uuid=client_uuid)
    if not form.validate_on_submit():
        return _render_questionnaire(form, version, {}, [], 422 if form.is_submitted() else 200)
    answers = answers_from_form(version.definition, request.form)
    try:
        submission, _created = record_submission(_submission_request(state, version, form.client_uuid.data, answers))
    except InvalidAnswers as error:
        return _render_questionnaire(form, version, answers, error.problems, error.status)
    db.session.commit()
    state["queue"].pop(0)
    if submission.flag_level != "none":
        state["needs_support"] = True
    session.modified = True
    return redirect(url_for("kiosk.questionnaire" if state["queue"] else "kiosk.thanks"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session[KIOSK_LANGUAGE_KEY] = form.language.data
    return redirect(url_for("kiosk.join"))


@bp.get("/thanks")
def thanks():
    """After a positive screen, the child is told that an adult will talk to them and given the helplines."""
    state = session.pop(STATE_KEY, None) or {}
    helplines = [(number, name or HELPLINE_NAMES.get(number, "")) for number, name in current_app.config["HELPLINES"]]
    return render_template("kiosk/thanks.html", helplines=helplines if state.get("needs_support") else [])


@bp.post("/start-over")
def start_over():
    if not AssentForm().validate_on_submit():
        abort(400)
    session.pop(STATE_KEY, None)
    return redirect(url_for("kiosk.join"))


def _state() -> dict:
    """The child's state; questionnaires already stored (a reply lost on flaky Wi-Fi) are taken off the queue."""
    state = session.get(STATE_KEY)
    if not state:
        abort(redirect(url_for("kiosk.join")))
    answered = answered_version_ids(state["join_code"], state["respondent_code"])
    if any(version_id in answered for version_id in state["queue"]):
        state["queue"] = [version_id for version_id in state["queue"] if version_id not in answered]
        session.modified = True
    if not state["queue"]:
        abort(redirect(url_for("kiosk.thanks")))
    return state


def _submission_request(state: dict, version: InstrumentVersion, client_uuid: str, answers: dict):
    try:
        parsed_uuid = uuid.UUID(client_uuid)
    except ValueError:
        abort(400)
    return SubmissionRequest(
        client_uuid=parsed_uuid, join_code=state["join_code"], respondent_code=state["respondent_code"],
        instrument=version.instrument.code, version=version.version, language=kiosk_language(),
        answers=answers, has_assent=state["has_assent"],
    )


def _render_questionnaire(form, version: InstrumentVersion, answers: dict, problems: list, status: int):
    problems_by_item = {p.item_id: p for p in problems}
    raw_items = {item["id"]: item for item in version.content["items"]}
    return render_template(
        "kiosk/questionnaire.html", form=form, version=version, definition=version.definition,
        answers=answers, problems=problems_by_item, raw_items=raw_items,
        remaining=len(session[STATE_KEY]["queue"]), language=kiosk_language(),
    ), status
