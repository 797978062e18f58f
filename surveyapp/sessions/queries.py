from sqlalchemy import distinct, func, select

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


def submissions_of(session_id: int) -> list[Submission]:
    return list(db.session.scalars(
        select(Submission).filter_by(session_id=session_id).order_by(Submission.received_at.desc())
    ))


def submission_count(session_id: int) -> int:
    return db.session.scalar(select(func.count(Submission.id)).filter_by(session_id=session_id))


def joined_count(session_id: int) -> int:
    """Respondents who typed their code at the kiosk for this session."""
    return db.session.scalar(select(func.count()).select_from(SessionJoin).filter_by(session_id=session_id))


def submitted_count(session_id: int) -> int:
    """Respondents with at least one questionnaire stored at this session."""
    return db.session.scalar(select(func.count(distinct(Submission.respondent_id))).filter_by(session_id=session_id))


def reliability_at(session, submissions: list[Submission]) -> list[tuple]:
    """Per instrument version given at the session: the reliability of each of its multi-item scales."""
    return [
        (version, reliability_by_scale(
            version.definition, [s.answers for s in submissions if s.instrument_version_id == version.id]
        ))
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
