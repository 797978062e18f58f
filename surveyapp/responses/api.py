"""JSON intake for tablets that queue answers offline and send them when the network is back.

No cookie authenticates a request here (so CSRF does not apply): the session's secret join code and the
respondent's code in the body do, exactly as on the kiosk pages, with the tablet's device token when it has one.
A session and a code that do not go together are refused with one answer, whatever the reason
(errors.NotAccepted). The reply says no score and no flag level; after a positive screen it asks the tablet to
show the child the helplines and that an adult will talk to them, as the kiosk does.
Error messages are in the language the body names (i18n.select_locale): the language of the respondent's pages.
"""

import uuid
from functools import partial

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l

from surveyapp.config import LANGUAGES
from surveyapp.errors import Invalid
from surveyapp.responses.services import SubmissionRequest, record_submission
from surveyapp.scoring.engine import is_unstorable
from surveyapp.sessions import devices
from surveyapp.throttling import failures_limited, session_failures_limited
from surveyapp.transactions import commit_with_retry

bp = Blueprint("api", __name__, url_prefix="/api")

REQUIRED_FIELDS = {
    "uuid": str,
    "join_code": str,
    "respondent_code": str,
    "instrument": str,
    "version": str,
    "language": str,
    "assent": bool,
    "answers": dict,
}
MISSING_OR_NOT = {
    str: _l("'%(name)s' is missing or is not a text."),
    bool: _l("'%(name)s' is missing or is not true or false."),
    dict: _l("'%(name)s' is missing or is not a JSON object."),
}


UNSTORABLE = _l("'%(name)s' holds a control character or a lone surrogate, which cannot be stored.")


class MalformedSubmission(Invalid):
    code = "malformed_submission"


def _session_named() -> str | None:
    """The join code a body names (the throttling's count per session)."""
    body = request.get_json(silent=True)
    join_code = body.get("join_code") if isinstance(body, dict) else None
    return join_code if isinstance(join_code, str) else None


@bp.post("/submissions")
@failures_limited("INTAKE_FAILURE_LIMIT")
@session_failures_limited(_session_named)
def create_submission():
    submission, created = commit_with_retry(partial(record_submission, _parse(request.get_json(silent=True))))
    body = {
        "uuid": str(submission.client_uuid),
        "received_at": submission.received_at.isoformat(),
        "status": "stored" if created else "already_stored",
        "show_helplines": submission.flag_level != "none",
    }
    return jsonify(body), 201 if created else 200


@bp.post("/devices/heartbeat")
def device_heartbeat():
    """A set-up tablet says it is alive and how many finished questionnaires still wait on it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("waiting"), int) or body["waiting"] < 0:
        raise MalformedSubmission(_l("The body must be a JSON object with 'device_token' and 'waiting' (a count)."))
    devices.note_seen(devices.authorised_device(_optional_text(body, "device_token")), body["waiting"])
    return "", 204


def _parse(body) -> SubmissionRequest:
    if not isinstance(body, dict):
        raise MalformedSubmission(_l("The request body must be a JSON object."))
    problems = [
        MISSING_OR_NOT[kind] % {"name": name}
        for name, kind in REQUIRED_FIELDS.items()
        if not isinstance(body.get(name), kind)
    ]
    problems += [
        UNSTORABLE % {"name": name}
        for name, value in body.items()
        if isinstance(value, str) and any(is_unstorable(char) for char in value)
    ]
    if problems:
        raise MalformedSubmission(_l("The submission is incomplete."), problems)
    try:
        client_uuid = uuid.UUID(body["uuid"])
    except ValueError:
        raise MalformedSubmission(_l("'uuid' is not a UUID.")) from None
    if body["language"] not in LANGUAGES:
        raise MalformedSubmission(_l("'language' must be one of %(languages)s.", languages=", ".join(LANGUAGES)))
    return SubmissionRequest(
        client_uuid=client_uuid,
        join_code=body["join_code"],
        respondent_code=body["respondent_code"],
        instrument=body["instrument"],
        version=body["version"],
        language=body["language"],
        answers=body["answers"],
        has_assent=body["assent"],
        device_token=_optional_text(body, "device_token"),
        consent_text=_optional_text(body, "consent_text"),
    )


def _optional_text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedSubmission(_l("'%(name)s' must be a text.", name=name))
    return value
