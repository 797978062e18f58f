"""Which language a page is shown in: per device on the children's kiosk, per user for staff."""
from flask import current_app, has_request_context, request, session
from flask_login import current_user

KIOSK_LANGUAGE_KEY = "kiosk_language"
KIOSK_DEFAULT_LANGUAGE = "ky"


def select_locale() -> str:
    if not has_request_context():
        return "en"
    languages = current_app.config["LANGUAGES"]
    if request.blueprint == "kiosk":
        return kiosk_language()
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def local_text(text: dict, language: str) -> str:
    """A text in the chosen language, falling back to Russian, then to any language the text has."""
    return text.get(language) or text.get("ru") or next(iter(text.values()), "")


def kiosk_language() -> str:
    """The tablet's language: chosen on the join page, kept for the next child."""
    return session.get(KIOSK_LANGUAGE_KEY, KIOSK_DEFAULT_LANGUAGE)
