"""Test data for the browser tests, made in a process of its own against DATABASE_URL (a migrated database with
the shipped instruments loaded): an open session with the WHO-5, ASQ and violence questionnaires and a pool of
children. Prints JSON: {"join_code": "...", "children": ["ABCD-EF2", ...]}.

Run as ``python -m tests.browser.seed_data N`` from the repository root.
"""
import json
import sys
from datetime import date

from sqlalchemy import select

from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.queries import newest_version
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind, Sex, Territory
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from wsgi import app

INSTRUMENTS = ("who5", "asq", "violence")


def seed(children: int) -> dict:
    ensure_territories()
    territory = db.session.scalar(select(Territory).order_by(Territory.code))
    session = plan_session(
        title="Browser test session", held_on=date.today(), place="School 1, Osh", wave=Wave.BASELINE,
        territory_id=territory.id, trainer_id=None,
        instrument_version_ids=[newest_version(code).id for code in INSTRUMENTS],
    )
    codes = [respondents.register(RespondentKind.CHILD, Sex.FEMALE, 2013, territory).code for _ in range(children)]
    db.session.commit()
    return {"join_code": session.join_code, "children": codes}


if __name__ == "__main__":
    with app.app_context():
        print(json.dumps(seed(int(sys.argv[1]))))
