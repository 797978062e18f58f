"""The kiosk on a shared tablet or a participant's phone: join, assent (children) or consent (adults),
questionnaires, thank-you, ready for the next person.

Two ways through it, with the same pages and rules:
- without JavaScript, the server leads: the state of the person at the tablet lives in the signed session
  cookie under ``kiosk`` and is wiped when they finish or decline; each questionnaire is one form post;
- with JavaScript, after assent the tablet leads: the questionnaire pages (``take``), the thank-you page
  (``done``) and the offline page hold no child data, so the service worker keeps them for offline use, and
  every finished questionnaire goes through the tablet's queue to the JSON intake (static/kiosk/).
The language is kept per device. A tablet set up for a session (kiosk_device.py) needs no join code.
"""

import uuid
from functools import partial

from flask import Blueprint, abort, redirect, render_template, request, send_from_directory, session, url_for

from surveyapp.auth.forms import LanguageForm
from surveyapp.config import LANGUAGES
from surveyapp.definitions.screens import screens
from surveyapp.errors import DomainError, InvalidAnswers, NotAccepted
from surveyapp.extensions import db
from surveyapp.i18n import KIOSK_LANGUAGE_KEY, kiosk_language
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.responses import consent
from surveyapp.responses.form_answers import answers_from_form
from surveyapp.responses.forms import AssentForm, JoinForm, QuestionnaireForm
from surveyapp.responses.kiosk_pages import (
    DEVICE_COOKIE,
    KIOSK_SCRIPTS,
    KIOSK_STATIC,
    current_device,
    helplines,
    page_data,
)
from surveyapp.responses.queries import answered_version_ids
from surveyapp.responses.questionnaire_page import questionnaire_page
from surveyapp.responses.services import SubmissionRequest, join_session, record_submission
from surveyapp.sessions.models import SurveySession
from surveyapp.throttling import failures_limited, session_failures_limited
from surveyapp.transactions import commit_with_retry

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

STATE_KEY = "kiosk"


def _session_joined() -> str | None:
    """The join code of the session a join is for (the throttling's count per session)."""
    device = current_device()
    return device.session.join_code if device else request.form.get("join_code")


@bp.route("/", methods=["GET", "POST"])
@failures_limited("JOIN_FAILURE_LIMIT")
@session_failures_limited(_session_joined)
def join():
    """The join page; ``?code=`` fills in the session's code (the QR code on the trainer's screen)."""
    session.pop(STATE_KEY, None)
    device = current_device()
    form = JoinForm(join_code=request.args.get("code"))
    if device is not None:
        del form.join_code
    if not form.validate_on_submit():
        return _render("kiosk/join.html", 422 if form.is_submitted() else 200, device, form=form)
    join_code = device.session.join_code if device else form.join_code.data
    try:
        survey_session, respondent = commit_with_retry(partial(join_session, join_code, form.respondent_code.data))
    except DomainError as error:
        return _render("kiosk/join.html", error.status, device, form=form, error=error.message)
    answered = answered_version_ids(survey_session.join_code, respondent.code)
    queue = [
        v.id
        for v in survey_session.instrument_versions
        if v.instrument.respondent_kind == respondent.kind and v.id not in answered
    ]
    if not queue:  # answered already: told as any other refusal, so a guesser learns nothing of who took part
        refusal = NotAccepted()
        return _render("kiosk/join.html", refusal.status, device, form=form, error=refusal.message)
    session[STATE_KEY] = {
        "session_id": survey_session.id,
        "join_code": survey_session.join_code,
        "respondent_code": respondent.code,
        "queue": queue,
        "uuids": {str(version_id): str(uuid.uuid4()) for version_id in queue},
        "consent_text": consent.current_text(respondent.kind).id,
        "has_assent": False,
        "drafts": {},
    }
    return redirect(url_for("kiosk.assent"))


@bp.route("/assent", methods=["GET", "POST"])
def assent():
    """The assent text for a child, the consent text for an adult (consent.py): the one the join chose."""
    state = _state()
    form = AssentForm()
    agreement = consent.TEXTS[state["consent_text"]]
    if form.validate_on_submit():
        if request.form.get("answer") != "yes":
            session.pop(STATE_KEY, None)
            return _render("kiosk/declined.html", 200, current_device(), for_adults=agreement.is_for_adults)
        state["has_assent"] = True
        session.modified = True
        return redirect(url_for("kiosk.questionnaire"))
    survey_session = db.session.get(SurveySession, state["session_id"])
    return _render(
        "kiosk/assent.html",
        200,
        current_device(),
        survey_session=survey_session,
        run=_run_for_scripts(state),
        form=form,
        consent=agreement,
    )


@bp.route("/questionnaire", methods=["GET", "POST"])
def questionnaire():
    """The no-JavaScript questionnaire: every question of the current questionnaire on one page."""
    state = _state()
    if not state["has_assent"]:
        return redirect(url_for("kiosk.assent"))
    version = db.get_or_404(InstrumentVersion, state["queue"][0])
    form = QuestionnaireForm(client_uuid=state["uuids"][str(version.id)])
    if not form.validate_on_submit():
        draft = state["drafts"].get(str(version.id), {})
        return _render_questionnaire(form, version, draft, [], 422 if form.is_submitted() else 200)
    answers = answers_from_form(version.definition, request.form)
    if request.form.get("switch_language") in LANGUAGES:
        return _switch_language_keeping(state, version, answers)
    submission_request = _submission_request(state, version, form.client_uuid.data, answers)
    try:
        submission, _created = commit_with_retry(lambda: record_submission(submission_request))
    except InvalidAnswers as error:
        return _render_questionnaire(form, version, answers, error.problems, error.status)
    state["queue"].pop(0)
    state["drafts"].pop(str(version.id), None)
    if submission.flag_level != "none":
        state["needs_support"] = True
    session.modified = True
    return redirect(url_for("kiosk.questionnaire" if state["queue"] else "kiosk.thanks"))


@bp.get("/take/<int:version_id>")
def take(version_id: int):
    """A questionnaire for the tablet's scripts: no child data in it, so it can be kept for offline use."""
    version = db.get_or_404(InstrumentVersion, version_id)
    _use_language_of_url()
    return _render_questionnaire(QuestionnaireForm(), version, {}, [], 200, offline=True)


@bp.get("/done")
def done():
    """The thank-you page of the scripts' run; they show the helplines when a screen was positive or its
    result is not known yet."""
    _use_language_of_url()
    return _render("kiosk/done.html", 200, None, helplines=helplines())


@bp.get("/offline")
def offline():
    _use_language_of_url()
    return _render("kiosk/offline.html", 200, None)


@bp.get("/sw.js")
def service_worker():
    """The service worker is served from /kiosk/ so that its scope is the kiosk (never cached, like every
    kiosk page, so a new version reaches the tablets at once)."""
    return send_from_directory(KIOSK_STATIC, "sw.js", mimetype="text/javascript")


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session[KIOSK_LANGUAGE_KEY] = form.language.data
    return redirect(_kiosk_page(request.form.get("next")))


@bp.get("/thanks")
def thanks():
    """After a positive screen, the child is told that an adult will talk to them and given the helplines.

    The state is wiped, so a reload shows the next child nothing; a language switch on this page asks for the
    helplines again in its address (``?support=1``), so the child who needs them keeps them."""
    state = session.pop(STATE_KEY, None) or {}
    needs_support = state.get("needs_support") or request.args.get("support") == "1"
    return _render(
        "kiosk/thanks.html",
        200,
        current_device(),
        helplines=helplines() if needs_support else [],
        for_adults=_is_for_adults(state),
    )


@bp.post("/start-over")
def start_over():
    """Asks first; only a confirmed start-over deletes the answers of the child at the tablet."""
    if not AssentForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":
        return _render("kiosk/start_over.html", 200, current_device(), form=AssentForm())
    session.pop(STATE_KEY, None)
    return redirect(url_for("kiosk.join"))


def _state() -> dict:
    """The child's state; questionnaires already stored (a reply lost on flaky Wi-Fi) are taken off the queue."""
    state = session.get(STATE_KEY)
    if not state:
        abort(redirect(url_for("kiosk.join")))
    if "consent_text" not in state:  # a run begun before texts were named: only the children's existed
        state["consent_text"] = consent.CHILD_ASSENT.id
        session.modified = True
    answered = answered_version_ids(state["join_code"], state["respondent_code"])
    if any(version_id in answered for version_id in state["queue"]):
        state["queue"] = [version_id for version_id in state["queue"] if version_id not in answered]
        session.modified = True
    if not state["queue"]:
        abort(redirect(url_for("kiosk.thanks")))
    return state


def _is_for_adults(state: dict) -> bool:
    agreement = consent.TEXTS.get(state.get("consent_text", ""))
    return agreement is not None and agreement.is_for_adults


def _switch_language_keeping(state: dict, version: InstrumentVersion, answers: dict):
    """The language buttons of the questionnaire send its form, so the answers given so far are kept."""
    state["drafts"][str(version.id)] = answers
    session[KIOSK_LANGUAGE_KEY] = request.form["switch_language"]
    session.modified = True
    return redirect(url_for("kiosk.questionnaire"))


def _run_for_scripts(state: dict) -> dict:
    """What the tablet's scripts need to lead the respondent through the questionnaires after assent, and the
    id of the assent or consent text shown (sent with each questionnaire)."""
    versions = [db.session.get_one(InstrumentVersion, version_id) for version_id in state["queue"]]
    return {
        "join_code": state["join_code"],
        "respondent_code": state["respondent_code"],
        "consent_text": state["consent_text"],
        "for_adults": _is_for_adults(state),
        "queue": [
            {
                "version_id": v.id,
                "instrument": v.instrument.code,
                "version": v.version,
                "client_uuid": state["uuids"][str(v.id)],
            }
            for v in versions
        ],
        "take_url": url_for("kiosk.take", version_id=0).replace("/take/0", "/take/{version_id}"),
        "done_url": url_for("kiosk.done"),
    }


def _submission_request(state: dict, version: InstrumentVersion, client_uuid: str, answers: dict):
    try:
        parsed_uuid = uuid.UUID(client_uuid)
    except ValueError:
        abort(400)
    return SubmissionRequest(
        client_uuid=parsed_uuid,
        join_code=state["join_code"],
        respondent_code=state["respondent_code"],
        instrument=version.instrument.code,
        version=version.version,
        language=kiosk_language(),
        answers=answers,
        has_assent=state["has_assent"],
        device_token=_device_token_of_session(state),
        consent_text=state["consent_text"],
    )


def _device_token_of_session(state: dict) -> str | None:
    device = current_device()
    if device is None or device.session_id != state["session_id"]:
        return None
    return request.cookies.get(DEVICE_COOKIE)


def _render_questionnaire(
    form, version: InstrumentVersion, answers: dict, problems: list, status: int, offline: bool = False
):
    definition = version.definition
    screen_of = {item.id: number for number, screen in enumerate(screens(definition)) for item in screen}
    state = session.get(STATE_KEY) or {}
    language = kiosk_language()
    return _render(
        "kiosk/questionnaire.html",
        status,
        None if offline else current_device(),
        form=form,
        version=version,
        definition=definition,
        answers=answers,
        problems={p.item_id: p for p in problems},
        first_problem=problems[0].item_id if problems else None,
        page=questionnaire_page(definition, answers, language),
        screen_of=screen_of,
        remaining=0 if offline else len(state.get("queue", [])),
        language=language,
        offline=offline,
    )


def _render(
    template: str, status: int, device, survey_session: SurveySession | None = None, run: dict | None = None, **context
):
    return render_template(
        template, kiosk_data=page_data(device, survey_session, run), kiosk_scripts=KIOSK_SCRIPTS, **context
    ), status


def _use_language_of_url() -> None:
    """The cacheable pages name their language in the URL (``?lang=ru``): it becomes the tablet's language."""
    language = request.args.get("lang")
    if language in LANGUAGES:
        session[KIOSK_LANGUAGE_KEY] = language


def _kiosk_page(target: str | None) -> str:
    """Only a kiosk page of this site is a place to go back to after choosing a language."""
    if target and target.startswith("/kiosk/") and not target.startswith("//"):
        return target
    return url_for("kiosk.join")
