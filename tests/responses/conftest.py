"""Sessions for each kind of respondent: children, staff or parents."""

import pytest

from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.sessions.models import SurveySession
from tests.factories import knowledge_instrument, mood_instrument


def parent_quiz() -> dict:
    return {**knowledge_instrument(), "id": "parent_quiz", "respondent_kind": "parent"}


@pytest.fixture
def session_for(publish, make_session):
    """session_for(kind): an open session of one questionnaire, for respondents of that kind."""
    instruments = {
        RespondentKind.CHILD: mood_instrument,
        RespondentKind.STAFF: knowledge_instrument,
        RespondentKind.PARENT: parent_quiz,
    }

    def make(kind: RespondentKind) -> SurveySession:
        session = make_session([publish(instruments[kind]())])
        session.respondent_kind = kind
        db.session.commit()
        return session

    return make
