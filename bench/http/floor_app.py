"""The floor: a minimal Flask app that stores the same JSON body in one table of the same database, one transaction
per request, and answers as surveyapp does. What surveyapp adds (validation, look-up, scoring, alerts, the ORM)
is what a request costs above this.

    FLOOR_DATABASE=postgresql://postgres@127.0.0.1:5432/bench_a_floor   (or a SQLite file path)
    .venv/bin/gunicorn -w 4 -b 127.0.0.1:8001 --chdir bench/http floor_app:app
    .venv/bin/python bench/http/floor_app.py --create        # the table, once, before gunicorn starts
"""

import json
import os
import sqlite3
import sys
import uuid
from datetime import datetime, timezone

import psycopg
from flask import Flask, jsonify, request

DATABASE = os.environ.get("FLOOR_DATABASE", "")
IS_POSTGRES = DATABASE.startswith("postgresql://")
TABLE = (
    "CREATE TABLE IF NOT EXISTS floor_submission (id {id}, client_uuid {uuid} NOT NULL UNIQUE, "
    "body TEXT NOT NULL, received_at TIMESTAMP NOT NULL)"
)
INSERT = (
    "INSERT INTO floor_submission (client_uuid, body, received_at) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT DO NOTHING RETURNING id"
).format(p="%s" if IS_POSTGRES else "?")

app = Flask(__name__)
_connection = None


def connection():
    """One connection per worker process, opened after the fork."""
    global _connection
    if _connection is None:
        if IS_POSTGRES:
            _connection = psycopg.connect(DATABASE)
        else:
            _connection = sqlite3.connect(DATABASE, isolation_level=None)
            _connection.execute("PRAGMA journal_mode = WAL")
            _connection.execute("PRAGMA busy_timeout = 5000")
    return _connection


@app.post("/api/submissions")
def create_submission():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("uuid"), str):
        return jsonify({"error": "malformed_submission"}), 400
    client_uuid = uuid.UUID(body["uuid"])
    received_at = datetime.now(timezone.utc).replace(tzinfo=None)
    database = connection()
    if IS_POSTGRES:
        with database.transaction():
            stored = database.execute(INSERT, (client_uuid, json.dumps(body), received_at)).fetchone()
    else:
        database.execute("BEGIN IMMEDIATE")
        stored = database.execute(INSERT, (str(client_uuid), json.dumps(body), received_at.isoformat())).fetchone()
        database.execute("COMMIT")
    reply = {
        "uuid": str(client_uuid),
        "received_at": received_at.isoformat(),
        "status": "stored" if stored else "already_stored",
        "show_helplines": False,
    }
    return jsonify(reply), 201 if stored else 200


def create_table() -> None:
    database = connection()
    database.execute(
        TABLE.format(
            id="BIGSERIAL PRIMARY KEY" if IS_POSTGRES else "INTEGER PRIMARY KEY", uuid="UUID" if IS_POSTGRES else "TEXT"
        )
    )
    if IS_POSTGRES:
        database.commit()


if __name__ == "__main__" and sys.argv[1:] == ["--create"]:
    create_table()
