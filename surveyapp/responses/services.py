"""Joining a session at the kiosk, and recording a submission: validate against the exact instrument version,
score, store, and announce a positive screen (signals.py; alerts opens its alert) - in one transaction."""

import uuid
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, func, insert, join, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, defer, make_transient_to_detached

from surveyapp.db import utc_now
from surveyapp.definitions.model import InstrumentDefinition
from surveyapp.errors import Conflict, Invalid, InvalidAnswers, NotAccepted, SessionClosed, TypingMistake
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.respondents import codes
from surveyapp.respondents.models import Respondent
from surveyapp.responses import consent
from surveyapp.responses.models import Score, Submission
from surveyapp.responses.signals import submission_flagged
from surveyapp.scoring.engine import ScoreResult, score, submission_problems
from surveyapp.sessions import devices
from surveyapp.sessions.models import (
    KioskDevice,
    SessionJoin,
    SurveySession,
    session_instrument,
)


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


@cache
def _look_up_statement() -> Select:
    """A submission's look-up, in one statement: the session of the join code, the respondent of the code, the
    version the request names if the session gives it (with its instrument, so that ``version.instrument`` costs no
    statement, and without its content: the definition parsed from it is cached, models.py) and the submission
    already stored under the request's identifier. Built once, on first use: building it costs more than running
    it, and building it at import would configure the mappers before every model module is loaded."""
    return (
        select(SurveySession, Respondent, InstrumentVersion, Submission)
        .outerjoin(
            join(session_instrument, InstrumentVersion).join(
                Instrument,
                and_(Instrument.id == InstrumentVersion.instrument_id, Instrument.code == bindparam("instrument")),
            ),
            and_(
                session_instrument.c.session_id == SurveySession.id, InstrumentVersion.version == bindparam("version")
            ),
        )
        .outerjoin(Respondent, Respondent.code == bindparam("respondent_code"))
        .outerjoin(Submission, Submission.client_uuid == bindparam("client_uuid"))
        .where(SurveySession.join_code == bindparam("join_code"))
        .options(contains_eager(InstrumentVersion.instrument), defer(InstrumentVersion.content))
    )


class WrongInstrumentVersion(Invalid):
    code = "wrong_instrument_version"


class UuidReused(Conflict):
    code = "uuid_reused"


class NoAssent(Invalid):
    code = "no_assent"


def join_session(join_code: str, respondent_code: str) -> tuple[SurveySession, Respondent]:
    """The open session and the respondent who joins it at the kiosk, who must be one it is for (accepts). The
    join is noted once (the trainer's live count of who joined); joining again changes nothing."""
    join_code, respondent_code = _well_formed_codes(join_code, respondent_code)
    row = db.session.execute(
        select(SurveySession, Respondent)
        .outerjoin(Respondent, Respondent.code == respondent_code)
        .where(SurveySession.join_code == join_code)
    ).one_or_none()
    session, respondent = _accepted(*(row or (None, None)))
    _note_join(session, respondent)
    return session, respondent


def _well_formed_codes(join_code: str, respondent_code: str) -> tuple[str, str]:
    """The codes as stored; a typo in either is told at once (its check character), which reveals nothing."""
    join_code, respondent_code = codes.compact(join_code), codes.normalise(respondent_code)
    if not codes.is_well_formed_join_code(join_code):
        raise TypingMistake(session_code=True)
    if not codes.is_well_formed(respondent_code):
        raise TypingMistake()
    return join_code, respondent_code


def _accepted(session: SurveySession | None, respondent: Respondent | None) -> tuple[SurveySession, Respondent]:
    """The session takes the respondent's answers: it is open, and they are of the kind it is for and, when
    both have a territory, of its territory. Otherwise NotAccepted, the same whatever the reason; a closed session
    says so before the respondent's code is looked at."""
    if session is None:
        raise NotAccepted()
    if not session.is_open:
        raise SessionClosed()
    if respondent is None or not _accepts(session, respondent):
        raise NotAccepted()
    return session, respondent


def _accepts(session: SurveySession, respondent: Respondent) -> bool:
    same_territory = (
        None in (session.territory_id, respondent.territory_id) or session.territory_id == respondent.territory_id
    )
    return respondent.kind == session.respondent_kind and same_territory


def _note_join(session: SurveySession, respondent: Respondent) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: a repeat, or two joins at the same moment, leave the first row."""
    db.session.execute(
        _insert(SessionJoin)
        .values(
            session_id=session.id,
            respondent_id=respondent.id,
            joined_at=utc_now(),
        )
        .on_conflict_do_nothing()
    )


def record_submission(request: SubmissionRequest) -> tuple[Submission, bool]:
    """Return the stored submission and whether it is new; a re-sent submission returns the stored one."""
    session, respondent, version, stored = _look_up(request)
    agreed_text = consent.text_agreed(request.consent_text, respondent.kind)
    version = _version_for(respondent, version, request)
    device = _device_at(session, request.device_token)
    if stored is not None:
        return _same_as_stored(stored, session, respondent, version, request), False
    if not request.has_assent:
        raise NoAssent(_l("Answers are stored only after the respondent has agreed to take part."))
    problems = submission_problems(version.definition, request.answers)
    if problems:
        raise InvalidAnswers(problems)
    return _store(request, session, respondent, version, device, agreed_text)


def _look_up(
    request: SubmissionRequest,
) -> tuple[SurveySession, Respondent, InstrumentVersion | None, Submission | None]:
    join_code, respondent_code = _well_formed_codes(request.join_code, request.respondent_code)
    row = db.session.execute(
        _look_up_statement(),
        {
            "join_code": join_code,
            "respondent_code": respondent_code,
            "instrument": request.instrument,
            "version": request.version,
            "client_uuid": request.client_uuid,
        },
    ).one_or_none()
    session, respondent, version, stored = row or (None, None, None, None)
    return *_accepted(session, respondent), version, stored


def _version_for(
    respondent: Respondent, version: InstrumentVersion | None, request: SubmissionRequest
) -> InstrumentVersion:
    """The version looked up, when it is given at the session and meant for this kind of respondent."""
    if version is None:
        raise WrongInstrumentVersion(
            _l(
                "%(instrument)s version %(version)s is not given at this session.",
                instrument=request.instrument,
                version=request.version,
            )
        )
    if version.instrument.respondent_kind != respondent.kind:
        raise NotAccepted()
    return version


def _device_at(session: SurveySession, token: str | None) -> KioskDevice | None:
    """The sending tablet, which must be set up for this very session; noted as seen."""
    if token is None:
        return None
    device = devices.authorised_device(token)
    if device.session_id != session.id:
        raise devices.DeviceNotAuthorised()
    devices.note_seen(device)
    return device


def _same_as_stored(stored: Submission, session, respondent, version, request) -> Submission:
    if (stored.session_id, stored.respondent_id, stored.instrument_version_id, stored.answers) != (
        session.id,
        respondent.id,
        version.id,
        request.answers,
    ):
        raise UuidReused(_l("This submission identifier was already used for different answers."))
    return stored


def _store(request, session, respondent, version, device, agreed_text) -> tuple[Submission, bool]:
    """INSERT ... ON CONFLICT DO NOTHING: a copy of this submission, or other answers of the respondent to this
    version at this session, stored since the look-up leave nothing inserted; the request is then answered as a
    re-send, or refused. PostgreSQL makes the insert wait for a transaction inserting the same identifier or the
    same answers, and shows the next statement what that one committed; SQLite lets in one writer at a time
    (database.py)."""
    result = score(version.definition, request.answers)
    columns = {
        "client_uuid": request.client_uuid,
        "session_id": session.id,
        "respondent_id": respondent.id,
        "instrument_version_id": version.id,
        "device_id": device.id if device else None,
        "consent_text": agreed_text.id,
        "language": request.language,
        "answers": request.answers,
        "flag_level": result.flag_level,
        "flags": list(result.flags),
        "received_at": utc_now(),
    }
    scores = [
        {
            "scale": scale_id,
            "value": s.value,
            "band": s.band,
            "n_answered": s.n_answered,
            "n_items": s.n_items,
            "note": s.note,
        }
        for scale_id, s in result.scales.items()
    ]
    submission_id = _insert_with_scores(columns, scores)
    if submission_id is None:
        return _stored_since_look_up(request, session, respondent, version), False
    submission = _as_read(
        Submission(
            id=submission_id,
            session=session,
            respondent=respondent,
            instrument_version=version,
            device=device,
            **columns,
        )
    )
    if result.flag_level != "none":
        _announce_flagged(submission, version.definition, result)
    return submission, True


class FlaggedWithoutReceiver(RuntimeError):
    """A positive screen that nothing would act on: refused rather than stored without its alert."""


def _announce_flagged(submission: Submission, definition: InstrumentDefinition, result: ScoreResult) -> None:
    """Tell alerts (signals.py) in this transaction; with no receiver connected the submission is not stored."""
    if not submission_flagged.send(submission, definition=definition, result=result, now=utc_now()):
        raise FlaggedWithoutReceiver("no receiver of submission_flagged: surveyapp.alerts.services is not imported")


def _insert_with_scores(columns: dict, scores: list[dict]) -> int | None:
    """The new submission's id, or None when a conflict kept it out (and its scores with it). PostgreSQL takes
    the submission and its scores in one statement; SQLite, in the same process, gains nothing by it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql" and scores:
        arrays = {f"score_{name}": [row[name] for row in scores] for name in SCORE_COLUMNS}
        return db.session.execute(_submission_and_scores_statement(), {**columns, **arrays}).scalar()
    submission_id = db.session.scalar(_submission_statement(dialect), columns)
    if submission_id is not None and scores:
        db.session.execute(SCORE_INSERT, [{"submission_id": submission_id, **row} for row in scores])
    return submission_id


SUBMISSION_COLUMNS = (
    "client_uuid",
    "session_id",
    "respondent_id",
    "instrument_version_id",
    "device_id",
    "consent_text",
    "language",
    "answers",
    "flag_level",
    "flags",
    "received_at",
)
SCORE_COLUMNS = ("scale", "value", "band", "n_answered", "n_items", "note")
SCORE_INSERT = insert(Score.__table__)


@cache
def _submission_statement(dialect: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id, built once per kind of database (building a statement
    costs more than running it)."""
    table = Submission.__table__
    return (
        _insert_for(dialect)(table)
        .values({name: bindparam(name) for name in SUBMISSION_COLUMNS})
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )


@cache
def _submission_and_scores_statement():
    """WITH new_submission AS (INSERT INTO submission ... ON CONFLICT DO NOTHING RETURNING id) INSERT INTO score
    SELECT new_submission.id, ... FROM new_submission, unnest(<one array per score column>): nothing of it when
    the submission is kept out. PostgreSQL only. Arrays rather than VALUES rows: a statement with VALUES is
    compiled again for every request (SQLAlchemy cannot cache it), which cost more than the statement saved."""
    new = _submission_statement("postgresql").cte("new_submission")
    table = Score.__table__
    rows = (
        func.unnest(*(bindparam(f"score_{name}", type_=postgresql.ARRAY(table.c[name].type)) for name in SCORE_COLUMNS))
        .table_valued(*SCORE_COLUMNS)
        .render_derived("new_score")
    )
    return (
        insert(table)
        .add_cte(new)
        .from_select(["submission_id", *SCORE_COLUMNS], select(new.c.id, *rows.c).join_from(new, rows, true()))
        .returning(table.c.submission_id)
    )


def _stored_since_look_up(request, session, respondent, version) -> Submission:
    """What kept the insert out: the same submission (a re-send), or other answers of the respondent to this
    version at this session (refused: once per session)."""
    stored = db.session.scalars(
        select(Submission).where(
            or_(
                Submission.client_uuid == request.client_uuid,
                and_(
                    Submission.session_id == session.id,
                    Submission.respondent_id == respondent.id,
                    Submission.instrument_version_id == version.id,
                ),
            )
        )
    ).all()
    same_uuid = [submission for submission in stored if submission.client_uuid == request.client_uuid]
    if not same_uuid:
        raise NotAccepted()
    return _same_as_stored(same_uuid[0], session, respondent, version, request)


def _insert(table):
    """An insert that can say ON CONFLICT, for the session's database."""
    return _insert_for(db.session.get_bind().dialect.name)(table)


def _insert_for(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _as_read(submission: Submission) -> Submission:
    """The row just inserted, in the session as if read back, without a statement (the alert refers to it).
    merge() rather than add(): after a rolled-back attempt (commit_with_retry) SQLite may give the same id again."""
    make_transient_to_detached(submission)
    return db.session.merge(submission, load=False)
