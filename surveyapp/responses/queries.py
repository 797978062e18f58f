from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.respondents.models import Respondent
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession


def answered_version_ids(join_code: str, respondent_code: str) -> set[int]:
    """The instrument versions this respondent has already answered at this session."""
    return set(
        db.session.scalars(
            select(Submission.instrument_version_id)
            .join(SurveySession, Submission.session_id == SurveySession.id)
            .join(Respondent, Submission.respondent_id == Respondent.id)
            .where(SurveySession.join_code == join_code, Respondent.code == respondent_code)
        )
    )
