from dataclasses import dataclass

from sqlalchemy import distinct, func, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from surveyapp.activities.models import Activity
from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import KioskDevice, SessionJoin, SurveySession
from surveyapp.scoring.scale_reliability import reliability_by_scale


def trainers() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_([Role.TRAINER, Role.COORDINATOR]), User.is_active).order_by(User.username)
    ))


def newest_versions_for(kind: RespondentKind) -> list[InstrumentVersion]:
    """The newest published version of each instrument answered by ``kind``, by instrument code."""
    versions = db.session.scalars(
        select(InstrumentVersion).join(Instrument).where(Instrument.respondent_kind == kind.value)
        .order_by(Instrument.code, InstrumentVersion.published_at, InstrumentVersion.id)
    )
    return list({version.instrument_id: version for version in versions}.values())


def work_plan_activities() -> list[Activity]:
    return list(db.session.scalars(select(Activity).order_by(Activity.position, Activity.id)))


def open_sessions_for(user: User) -> list[SurveySession]:
    """The open sessions ``user`` may set a tablet up for: a trainer's own, every one for managers."""
    query = select(SurveySession).where(SurveySession.is_open).order_by(SurveySession.held_on.desc())
    if user.role == Role.TRAINER:
        query = query.where(SurveySession.trainer_id == user.id)
    return list(db.session.scalars(query))


SUBMISSIONS_PER_PAGE = 50


@dataclass(frozen=True)
class SubmissionPage:
    """One page of a session's submissions, newest first, with the ids that open the pages on either side."""
    items: list[Submission]
    newer_than: int | None
    """Open the newer page with ``?newer_than=<this id>``; None on the newest page."""
    older_than: int | None
    """Open the older page with ``?older_than=<this id>``; None on the oldest page."""


def submissions_page(session_id: int, *, older_than: int | None = None, newer_than: int | None = None,
                     per_page: int = SUBMISSIONS_PER_PAGE) -> SubmissionPage:
    """The submissions after (older) or before (newer) the one given, keyset-paged on (received_at, id) so that a
    page far down costs what the first does; each with its scores, respondent and version in three statements."""
    position = tuple_(Submission.received_at, Submission.id)
    query = (
        select(Submission).filter_by(session_id=session_id)
        .options(selectinload(Submission.scores), joinedload(Submission.respondent),
                 selectinload(Submission.instrument_version))
        .limit(per_page + 1)
    )
    if newer_than is not None:
        rows = list(db.session.scalars(
            query.where(position > _position_of(session_id, newer_than)).order_by(Submission.received_at, Submission.id)
        ))
        more = len(rows) > per_page
        items = rows[:per_page][::-1]
        return SubmissionPage(items, items[0].id if items and more else None, items[-1].id if items else None)
    if older_than is not None:
        query = query.where(position < _position_of(session_id, older_than))
    rows = list(db.session.scalars(query.order_by(Submission.received_at.desc(), Submission.id.desc())))
    items = rows[:per_page]
    return SubmissionPage(items, items[0].id if items and older_than is not None else None,
                          items[-1].id if len(rows) > per_page else None)


def _position_of(session_id: int, submission_id: int):
    """(received_at, id) of one of the session's submissions, as a row value; NULL (no rows match) for any other."""
    received_at = select(Submission.received_at).filter_by(id=submission_id, session_id=session_id)
    return tuple_(received_at.scalar_subquery(), submission_id)


def submission_count(session_id: int) -> int:
    return db.session.scalar(select(func.count(Submission.id)).filter_by(session_id=session_id))


def joined_count(session_id: int) -> int:
    """Respondents who typed their code at the kiosk for this session."""
    return db.session.scalar(select(func.count()).select_from(SessionJoin).filter_by(session_id=session_id))


def submitted_count(session_id: int) -> int:
    """Respondents with at least one questionnaire stored at this session."""
    return db.session.scalar(select(func.count(distinct(Submission.respondent_id))).filter_by(session_id=session_id))


def reliability_at(session) -> list[tuple]:
    """Per instrument version given at the session: the reliability of each of its multi-item scales, over every
    answer set stored at the session (one statement that reads only the answers)."""
    answer_sets = {version.id: [] for version in session.instrument_versions}
    rows = db.session.execute(
        select(Submission.instrument_version_id, Submission.answers).filter_by(session_id=session.id)
    )
    for version_id, answers in rows:
        answer_sets.setdefault(version_id, []).append(answers)
    return [
        (version, reliability_by_scale(version.definition, answer_sets[version.id]))
        for version in session.instrument_versions
    ]


def devices_of(session_id: int) -> list[tuple[KioskDevice, int]]:
    """Each tablet set up for the session with the number of its submissions the server has stored."""
    stored = func.count(Submission.id)
    rows = db.session.execute(
        select(KioskDevice, stored).outerjoin(Submission, Submission.device_id == KioskDevice.id)
        .where(KioskDevice.session_id == session_id).group_by(KioskDevice.id).order_by(KioskDevice.set_up_at)
    )
    return [(device, count) for device, count in rows]
