"""Hardening every response and the files that hold children's data (issue 15).

- Response headers: a Content-Security-Policy that allows the app's own scripts, styles and images only (no
  inline script or style, nothing framed), `nosniff`, no referrer leaving the site, and HSTS when the service is
  public over https.
- `Cache-Control: no-store` on every page and download: nearly every page shows a child's answers, a code or an
  alert, and a shared tablet or office computer must not keep them. The static files (scripts, styles, fonts;
  no data) stay cacheable.
- The instance folder (secret key, SQLite database, exports) is created readable by its owner alone, and so is
  the SQLite file, before SQLite creates it with the process's umask.
- A weak SECRET_KEY is refused outside development and tests: whoever knows it can sign a session cookie as
  any user.
- Input that cannot be stored is refused at the door with a 400 rather than a 500 from the database: a NUL or
  other control character or a lone surrogate in a query or form field (PostgreSQL cannot store NUL), JSON
  nested too deeply for the parser. Children's answers are the exception: the scoring engine refuses such a
  text answer item by item (`invalid_text`), so the kiosk shows the question to fix and keeps the others.
"""

from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from surveyapp.scoring.engine import is_unstorable

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",  # the report's charts are embedded as data: URIs
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
MIN_SECRET_KEY_LENGTH = 32
ANSWER_FORMS = frozenset({"kiosk.questionnaire"})
"""Endpoints whose fields are a child's answers, checked by the scoring engine item by item."""


class WeakSecretKey(RuntimeError):
    pass


def harden(app: Flask) -> None:
    check_secret_key(app)
    _private_instance_files(app)
    app.json = TolerantJSONProvider(app)
    app.before_request(_refuse_unstorable_fields)
    app.after_request(_security_headers)


class TolerantJSONProvider(DefaultJSONProvider):
    """JSON nested deeper than Python's parser can follow is a malformed body (Flask answers ValueError with 400),
    not a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def check_secret_key(app: Flask) -> None:
    if app.debug or app.testing:
        return
    key = app.config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 8:
        raise WeakSecretKey(
            f"SECRET_KEY must be a random string of at least {MIN_SECRET_KEY_LENGTH} characters "
            "(e.g. python -c 'import secrets; print(secrets.token_hex(32))'); leave it unset to have one "
            "generated in the instance folder."
        )


def _private_instance_files(app: Flask) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    instance.chmod(0o700)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database_file = Path(url.database)
        database_file.touch(mode=0o600, exist_ok=True)
        database_file.chmod(0o600)


def _refuse_unstorable_fields() -> None:
    if request.endpoint in ANSWER_FORMS:
        return
    for key, value in (*request.args.items(multi=True), *request.form.items(multi=True)):
        if any(is_unstorable(char) for char in key + value):
            abort(400, _("A field holds an invisible control character that cannot be stored: please type it again."))


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if _served_over_https():
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def _served_over_https() -> bool:
    return request.is_secure or current_app.config["PUBLIC_URL"].startswith("https://")
