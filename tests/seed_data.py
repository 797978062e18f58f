"""A session to answer, made in a process of its own against DATABASE_URL (a migrated database with the shipped
instruments loaded) for the tests that run the app as processes: an open session of the given questionnaires, a
pool of children and, if asked, a psychologist on duty with an e-mail address.
Prints JSON: {"join_code": "...", "children": ["ABCD-EF2", ...]}.

Run as ``python -m tests.seed_data CHILDREN INSTRUMENT... [--psychologist-on-duty]`` from the repository root
(tests.processes.seed_session does).
"""
import argparse
import json
from datetime import date

from sqlalchemy import select

from surveyapp.alerts.roster import put_on_duty
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.queries import newest_version
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind, Sex, Territory
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from wsgi import app


def seed(instruments: list[str], children: int, psychologist_on_duty: bool) -> dict:
    ensure_territories()
    territory = db.session.scalar(select(Territory).order_by(Territory.code))
    session = plan_session(
        title="Test session", held_on=date.today(), place="School 1, Osh", wave=Wave.BASELINE,
        territory_id=territory.id, trainer_id=None,
        instrument_version_ids=[newest_version(code).id for code in instruments],
    )
    codes = [respondents.register(RespondentKind.CHILD, Sex.FEMALE, 2013, territory).code for _ in range(children)]
    if psychologist_on_duty:
        psychologist, _password = create_user("psychologist", Role.PSYCHOLOGIST, email="psychologist@example.org")
        put_on_duty(psychologist, None, is_backup=False)
    db.session.commit()
    return {"join_code": session.join_code, "children": codes}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("children", type=int)
    parser.add_argument("instruments", nargs="+")
    parser.add_argument("--psychologist-on-duty", action="store_true")
    arguments = parser.parse_args()
    with app.app_context():
        print(json.dumps(seed(arguments.instruments, arguments.children, arguments.psychologist_on_duty)))
