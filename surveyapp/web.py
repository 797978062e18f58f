"""Request-level glue shared by every feature: error pages and JSON errors, template helpers."""

from flask import Flask, jsonify, render_template, request
from flask_babel import get_locale as babel_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from surveyapp.auth.access import can, may_run
from surveyapp.config import LANGUAGE_NAMES
from surveyapp.errors import ANSWER_PROBLEMS, DomainError
from surveyapp.extensions import db
from surveyapp.i18n import band_label, local_text, scale_label
from surveyapp.respondents.labels import kind_count, kind_label


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """Raised by a view: its transaction is rolled back already (transactions.run_view)."""
        problems = [str(p.message) if hasattr(p, "message") else str(p) for p in error.problems]
        if wants_json():
            body = {"error": error.code, "message": str(error.message), "problems": _problem_dicts(error.problems)}
            return jsonify(body), error.status
        return _error_page(error.message, problems, error.status)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500  # typed optional; Flask never passes an exception without a code here
        if wants_json():
            return jsonify({"error": error.name, "message": error.description}), status
        return _error_page(_http_message(status, error.description), [], status)

    @app.errorhandler(InternalServerError)
    def unexpected_error(error: InternalServerError):
        """An exception that nothing handled. Flask has logged it with its traceback (statement parameters are
        hidden: transactions.configure_engine). A view's exception is rolled back already (transactions.run_view);
        this rollback is for one raised before the view (loading the logged-in user), so that the error page can
        load the user even when the exception left the transaction unusable (PostgreSQL after a failed
        statement)."""
        db.session.rollback()
        return http_error(error)


def _error_page(message: str, problems: list, status: int):
    """On the children's kiosk: the tablet's language (i18n.select_locale) and its layout, with no staff link."""
    return render_template(
        "error.html", message=message, problems=problems, on_kiosk=request.blueprint == "kiosk"
    ), status


def _problem_dicts(problems: list) -> list[dict]:
    return [_answer_problem_dict(p) if hasattr(p, "item_id") else {"message": str(p)} for p in problems]


def _answer_problem_dict(problem) -> dict:
    """A problem with one answer: its words in the request's language, the scoring engine's English details."""
    message = ANSWER_PROBLEMS[problem.code] % {"item": problem.item_id}
    return {"item": problem.item_id, "code": problem.code, "message": message, "details": problem.message}


def _http_message(status: int, description: str | None) -> str:
    messages = {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You do not have permission to open this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        413: _("The file or form is too large."),
        500: _("Something went wrong."),
    }
    return str(messages.get(status) or description or _("Something went wrong."))


def template_globals() -> dict:
    return {
        "current_language": str(babel_locale()),
        "local_text": local_text,
        "zip": zip,
        "can": can,
        "may_run": may_run,
        "kind_label": kind_label,
        "kind_count": kind_count,
        "scale_label": scale_label,
        "band_label": band_label,
        "language_names": LANGUAGE_NAMES,
    }
