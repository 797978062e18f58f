from sqlalchemy import func, select

from surveyapp.auth.models import Role, User
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.respondents.models import RespondentKind
from surveyapp.sessions.models import SessionJoin, SurveySession


def trainers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role.in_([Role.TRAINER, Role.COORDINATOR]), User.is_active).order_by(User.username)
        )
    )


def newest_versions_for(kind: RespondentKind) -> list[InstrumentVersion]:
    """The newest published version of each instrument answered by ``kind``, by instrument code."""
    versions = db.session.scalars(
        select(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.respondent_kind == kind.value)
        .order_by(Instrument.code, InstrumentVersion.published_at, InstrumentVersion.id)
    )
    return list({version.instrument_id: version for version in versions}.values())


def open_sessions_for(user: User) -> list[SurveySession]:
    """The open sessions ``user`` may set a tablet up for: a trainer's own, every one for managers."""
    query = select(SurveySession).where(SurveySession.is_open).order_by(SurveySession.held_on.desc())
    if user.role == Role.TRAINER:
        query = query.where(SurveySession.trainer_id == user.id)
    return list(db.session.scalars(query))


def joined_count(session_id: int) -> int:
    """Respondents who typed their code at the kiosk for this session."""
    return db.session.execute(
        select(func.count()).select_from(SessionJoin).filter_by(session_id=session_id)
    ).scalar_one()
