from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from surveyapp.auth.access import MANAGERS
from surveyapp.auth.models import User
from surveyapp.extensions import db
from surveyapp.responses import queries as submissions
from surveyapp.sessions import queries as session_queries
from surveyapp.sessions.models import SurveySession
from surveyapp.trainings.models import Training


@dataclass(frozen=True)
class SessionProgress:
    session: SurveySession
    joined: int
    submitted: int


def trainings_run_by(user: User, page: int):
    """Every training for managers; a trainer's own for a trainer."""
    query = (
        select(Training)
        .options(selectinload(Training.participants))
        .order_by(Training.held_on.desc(), Training.id.desc())
    )
    if not user.has_role(*MANAGERS):
        query = query.filter_by(trainer_id=user.id)
    return db.paginate(query, page=page, per_page=30, error_out=False)


def progress_of(training: Training) -> list[SessionProgress]:
    """The pre-test and the post-test with how many participants joined and submitted at each."""
    return [
        SessionProgress(session, session_queries.joined_count(session.id), submissions.submitted_count(session.id))
        for session in training.test_sessions
    ]
