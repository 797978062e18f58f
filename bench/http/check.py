"""Exactly-once after a wrk run: every submission answered 201 is stored (0 lost), none is stored twice (0
duplicated), and for surveyapp every positive screen has its alert, the alert's first trail entry and its e-mail
in the outbox. Prints one JSON line.

    .venv/bin/python bench/http/check.py --url <SQLAlchemy URL> --logs <LOG_PREFIX> [--floor]
"""

import argparse
import glob
import json
import uuid
from collections import Counter

from sqlalchemy import create_engine, text

SURVEYAPP_COUNTS = {
    "stored": "SELECT count(*) FROM submission",
    "flagged": "SELECT count(*) FROM submission WHERE flag_level <> 'none'",
    "twice_per_session": "SELECT count(*) - count(DISTINCT session_id || '/' || respondent_id || '/' || "
    "instrument_version_id) FROM submission",
    "flagged_without_alert": "SELECT count(*) FROM submission s LEFT JOIN alert a ON a.submission_id = s.id "
    "WHERE s.flag_level <> 'none' AND a.id IS NULL",
    "alerts_without_created_event": "SELECT count(*) FROM alert a WHERE NOT EXISTS (SELECT 1 FROM alert_event e "
    "WHERE e.alert_id = a.id AND e.kind = 'created')",
    "alerts_without_mail": "SELECT count(*) FROM alert a WHERE NOT EXISTS (SELECT 1 FROM outbox_message m "
    "WHERE m.alert_id = a.id)",
    "submissions_without_scores": "SELECT count(*) FROM submission s WHERE NOT EXISTS (SELECT 1 FROM score c "
    "WHERE c.submission_id = s.id)",
}


def answered_201(prefix: str) -> Counter:
    return Counter(uuid.UUID(line) for path in glob.glob(f"{prefix}*.log") for line in open(path).read().split())


def check(url: str, prefix: str, is_floor: bool) -> dict:
    answered = answered_201(prefix)
    table = "floor_submission" if is_floor else "submission"
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = Counter(
            uuid.UUID(str(value)) for value in connection.scalars(text(f"SELECT client_uuid FROM {table}"))
        )
        counts = {} if is_floor else {name: connection.scalar(text(query)) for name, query in SURVEYAPP_COUNTS.items()}
    engine.dispose()
    return {
        "answered_201": sum(answered.values()),
        "stored_rows": sum(stored.values()),
        "lost": len(set(answered) - set(stored)),
        "duplicated": sum(n - 1 for n in stored.values()) + sum(n - 1 for n in answered.values()),
        **counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--logs", required=True)
    parser.add_argument("--floor", action="store_true")
    args = parser.parse_args()
    print(json.dumps(check(args.url, args.logs, args.floor)))


if __name__ == "__main__":
    main()
