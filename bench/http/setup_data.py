"""Prepare a database for the HTTP ingest benchmark: migrated, the mood test instrument published, one open session,
a psychologist on duty with an e-mail address (so that a positive screen opens an alert and queues an e-mail), and
--respondents children registered in bulk. Writes the session's join code and the children's codes to --codes
(first line the join code, then one code a line) for wrk's Lua script.

    PYTHONPATH=<code folder> .venv/bin/python bench/http/setup_data.py --url <database URL> --codes <file>

The surveyapp imported is the one on PYTHONPATH, so the same script prepares "before" and "after".
"""

import argparse
import sys
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert

from surveyapp import create_app
from surveyapp.alerts import roster
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.respondents import codes
from surveyapp.respondents.models import Respondent, RespondentKind, Sex

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.setup import open_session_giving  # noqa: E402
from tests.factories import mood_instrument  # noqa: E402  (the test instrument, from the repository's tests)

BATCH = 10_000


def unique_codes(count: int) -> list[str]:
    found = set()
    while len(found) < count:
        found.add(codes.new_code())
    return sorted(found)


def prepare(url: str, respondents: int) -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        session = open_session_giving(mood_instrument(), "HTTP bench")
        psychologist, _password = create_user("bench_psychologist", Role.PSYCHOLOGIST, email="duty@example.org")
        roster.put_on_duty(psychologist, None, is_backup=False)
        db.session.commit()
        children = unique_codes(respondents)
        now = utc_now()
        for start in range(0, len(children), BATCH):
            db.session.execute(
                insert(Respondent),
                [
                    {
                        "code": code,
                        "kind": RespondentKind.CHILD,
                        "sex": Sex.FEMALE,
                        "birth_year": 2012,
                        "created_at": now,
                    }
                    for code in children[start : start + BATCH]
                ],
            )
        db.session.commit()
        join_code = session.join_code
        db.engine.dispose()
    return [join_code, *children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--codes", required=True, type=Path)
    parser.add_argument("--respondents", type=int, default=200_000)
    args = parser.parse_args()
    args.codes.write_text("\n".join(prepare(args.url, args.respondents)) + "\n")


if __name__ == "__main__":
    main()
