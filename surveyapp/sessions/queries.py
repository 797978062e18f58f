from sqlalchemy import func, select

from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import KioskDevice, SurveySession
from surveyapp.scoring.scale_reliability import reliability_by_scale


def trainers() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_([Role.TRAINER, Role.COORDINATOR]), User.is_active).order_by(User.username)
    ))


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
