"""Which language a page is shown in (per device on the children's kiosk, per user for staff), and the words of
the data in it: the scales and bands an instrument file names in each language."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from surveyapp.definitions.model import InstrumentDefinition, local_text

KIOSK_LANGUAGE_KEY = "kiosk_language"
KIOSK_DEFAULT_LANGUAGE = "ky"


def select_locale() -> str:
    if not has_request_context():
        return "en"
    languages = current_app.config["LANGUAGES"]
    if request.blueprint == "kiosk":
        return kiosk_language()
    body_language = _language_of_json_body() if request.blueprint == "api" else None
    if body_language is not None and body_language in languages:
        return body_language
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _language_of_json_body() -> str | None:
    """The JSON intake answers in the language its body names (the respondent's), whatever the browser says."""
    body = request.get_json(silent=True)
    return body.get("language") if isinstance(body, dict) else None


def current_language() -> str:
    """The language being written in: the page's, or the one an export forces (flask_babel.force_locale)."""
    return str(get_locale() or "en")


def scale_label(definition: InstrumentDefinition, scale_id: str) -> str:
    """A scale's name from the instrument file in the current language; the id if the file has no such scale."""
    try:
        return local_text(definition.scale(scale_id).label, current_language())
    except KeyError:
        return scale_id


def band_label(definition: InstrumentDefinition, scale_id: str, band_code: str) -> str:
    """A score band's label ("low" -> "Low (below 15; ...)") from the instrument file in the current language;
    the code if the file has no such band."""
    try:
        bands = definition.scale(scale_id).bands
    except KeyError:
        return band_code
    band = next((band for band in bands if band.code == band_code), None)
    return band_code if band is None else local_text(band.label, current_language())


def kiosk_language() -> str:
    """The tablet's language: chosen on the join page, kept for the next child."""
    return session.get(KIOSK_LANGUAGE_KEY, KIOSK_DEFAULT_LANGUAGE)
