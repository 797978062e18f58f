from sqlalchemy import func, select

from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.scoring.scale_reliability import reliability_by_scale


def trainers() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_([Role.TRAINER, Role.COORDINATOR]), User.is_active).order_by(User.username)
    ))


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
