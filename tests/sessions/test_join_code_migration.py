"""Migration 1a2b3c4d5e66 gives every session of an existing database a secret join code in place of its six
digits (issue 15)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update

from surveyapp.extensions import db
from surveyapp.respondents.codes import ALPHABET, check_character
from surveyapp.sessions.models import SurveySession
from tests.factories import mood_instrument

SIX_DIGITS = ["482913", "105577", "930001"]


def test_the_migration_replaces_six_digit_codes_with_secret_ones(app, app_context, publish, make_session):
    version = publish(mood_instrument())
    ids = [make_session([version]).id for _ in SIX_DIGITS]
    for session_id, code in zip(ids, SIX_DIGITS):
        db.session.execute(update(SurveySession).where(SurveySession.id == session_id).values(join_code=code))
    db.session.commit()
    db.session.close()
    try:
        downgrade(revision="1a2b3c4d5e64")
    finally:
        upgrade()
    codes = db.session.scalars(select(SurveySession.join_code).order_by(SurveySession.id)).all()
    assert len(set(codes)) == len(ids) and not set(codes) & set(SIX_DIGITS)
    for code in codes:  # eleven characters of the alphabet and their check character
        assert len(code) == 12 and set(code) <= set(ALPHABET) and check_character(code[:11]) == code[11]
