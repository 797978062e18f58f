"""Joining a session at the kiosk, and recording a submission: validate against the exact instrument version,
score, store and open its alert when the screen is positive - in one transaction."""
import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from surveyapp.alerts import services as alerts
from surveyapp.db import utc_now
from surveyapp.errors import Conflict, Invalid, InvalidAnswers, SessionClosed, UnknownSession
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import Respondent, RespondentKind
from surveyapp.responses import consent
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.engine import score, validate_answers
from surveyapp.sessions import devices
from surveyapp.sessions.models import KioskDevice, SessionJoin, SurveySession

SESSION_FOR = {
    RespondentKind.CHILD: _l("This session is for children. Please ask the person running the session."),
    RespondentKind.STAFF: _l("This session is for staff. Please ask the trainer."),
    RespondentKind.PARENT: _l("This session is for parents. Please ask the trainer."),
}


@dataclass(frozen=True)
class SubmissionRequest:
    client_uuid: uuid.UUID
    join_code: str
    respondent_code: str
    instrument: str
    version: str
    language: str
    answers: dict
    has_assent: bool
    device_token: str | None = None
    """The token of a tablet set up for the session (sessions/devices.py); none when joined by the join code."""
    consent_text: str | None = None
    """The id of the assent or consent text the respondent agreed to (consent.py); none: today's for their kind."""


class WrongInstrumentVersion(Invalid):
    code = "wrong_instrument_version"


class UuidReused(Conflict):
    code = "uuid_reused"


class AlreadySubmitted(Conflict):
    code = "already_submitted"


class NoAssent(Invalid):
    code = "no_assent"


class SessionNotForRespondent(Conflict):
    code = "session_not_for_respondent"

    def __init__(self, session: SurveySession):
        super().__init__(SESSION_FOR[session.respondent_kind])


def join_session(join_code: str, respondent_code: str) -> tuple[SurveySession, Respondent]:
    """The open session and the respondent who joins it at the kiosk, who must be of the kind it is for. The
    join is noted once (the trainer's live count of who joined); joining again changes nothing."""
    session = open_session_by_join_code(join_code)
    respondent = respondents.find_by_code(respondent_code)
    if respondent.kind != session.respondent_kind:
        raise SessionNotForRespondent(session)
    _note_join(session, respondent)
    return session, respondent


def _note_join(session: SurveySession, respondent: Respondent) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: a repeat, or two joins at the same moment, leave the first row."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(SessionJoin).values(
        session_id=session.id, respondent_id=respondent.id, joined_at=utc_now(),
    ).on_conflict_do_nothing())


def record_submission(request: SubmissionRequest) -> tuple[Submission, bool]:
    """Return the stored submission and whether it is new; a re-sent submission returns the stored one."""
    session = open_session_by_join_code(request.join_code)
    respondent = respondents.find_by_code(request.respondent_code)
    agreed_text = consent.text_agreed(request.consent_text, respondent.kind)
    version = _version_given_at(session, request.instrument, request.version, respondent)
    device = _device_at(session, request.device_token)
    stored = db.session.scalar(select(Submission).filter_by(client_uuid=request.client_uuid))
    if stored is not None:
        return _same_as_stored(stored, session, respondent, version, request), False
    if not request.has_assent:
        raise NoAssent(_l("Answers are stored only after the respondent has agreed to take part."))
    problems = validate_answers(version.definition, request.answers)
    if problems:
        raise InvalidAnswers(problems)
    stored = _earlier_submission(request, session, respondent, version)
    if stored is not None:
        return _same_as_stored(stored, session, respondent, version, request), False
    return _store(request, session, respondent, version, device, agreed_text)


def _device_at(session: SurveySession, token: str | None) -> KioskDevice | None:
    """The sending tablet, which must be set up for this very session; noted as seen."""
    if token is None:
        return None
    device = devices.authorised_device(token)
    if device.session_id != session.id:
        raise devices.DeviceNotAuthorised()
    devices.note_seen(device)
    return device


def open_session_by_join_code(join_code: str) -> SurveySession:
    session = db.session.scalar(select(SurveySession).filter_by(join_code=join_code.strip()))
    if session is None:
        raise UnknownSession()
    if not session.is_open:
        raise SessionClosed()
    return session


def _version_given_at(session, instrument: str, version_number: str, respondent: Respondent) -> InstrumentVersion:
    for version in session.instrument_versions:
        if version.instrument.code == instrument and version.version == version_number:
            if version.instrument.respondent_kind != respondent.kind:
                raise WrongInstrumentVersion(_l("This questionnaire is not for this respondent."))
            return version
    raise WrongInstrumentVersion(_l(
        "%(instrument)s version %(version)s is not given at this session.",
        instrument=instrument, version=version_number,
    ))


def _same_as_stored(stored: Submission, session, respondent, version, request) -> Submission:
    if (stored.session_id, stored.respondent_id, stored.instrument_version_id, stored.answers) != (
        session.id, respondent.id, version.id, request.answers
    ):
        raise UuidReused(_l("This submission identifier was already used for different answers."))
    return stored


def _earlier_submission(request, session, respondent, version) -> Submission | None:
    """The respondent's answers to this version at this session, if they are this very submission: a copy sent
    at the same moment and committed after this request's look-up by UUID (PostgreSQL shows each statement
    what was committed before it). Other answers are refused: once per session."""
    earlier = db.session.scalar(select(Submission).filter_by(
        session_id=session.id, respondent_id=respondent.id, instrument_version_id=version.id
    ))
    if earlier is not None and earlier.client_uuid != request.client_uuid:
        raise AlreadySubmitted(_l("This respondent has already answered this questionnaire at this session."))
    return earlier


def _store(request, session, respondent, version, device, agreed_text) -> tuple[Submission, bool]:
    result = score(version.definition, request.answers)
    submission = Submission(
        client_uuid=request.client_uuid, session=session, respondent=respondent, instrument_version=version,
        device=device, consent_text=agreed_text.id,
        language=request.language, answers=request.answers, flag_level=result.flag_level, flags=list(result.flags),
        scores=[
            Score(scale=scale_id, value=s.value, band=s.band, n_answered=s.n_answered, n_items=s.n_items, note=s.note)
            for scale_id, s in result.scales.items()
        ],
    )
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        # Another request with the same identifier won the race: answer as for a re-send.
        stored = db.session.scalar(select(Submission).filter_by(client_uuid=request.client_uuid))
        if stored is None:
            _earlier_submission(request, session, respondent, version)
            raise
        return _same_as_stored(stored, session, respondent, version, request), False
    if result.flag_level != "none":
        alerts.open_alert_for(submission, version.definition, result, utc_now())
    return submission, True
