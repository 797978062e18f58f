"""Engine settings that the database URL alone cannot express, and committing a unit of work that a busy database
may refuse for a moment.

SQLite allows one writer at a time. Under WAL a transaction begun with a plain (deferred) ``BEGIN`` reads from a
snapshot; when it then writes and another connection has committed since, SQLite answers SQLITE_BUSY_SNAPSHOT at
once, without waiting for ``busy_timeout``: "database is locked", a lost submission. A transaction that will
write therefore begins with ``BEGIN IMMEDIATE``: it takes the write lock first (waiting up to ``busy_timeout``
for it) and never meets that error. A read-only transaction must not take it, or a long report page would hold
up every child's submission, so the choice is made per transaction, when SQLAlchemy begins it:

- inside ``commit_with_retry`` (a unit of work that writes): always a writer;
- in a request: a writer for POST and the other unsafe methods, a reader for GET, HEAD and OPTIONS unless the
  view is marked with ``writes_database`` (a short page that records who looked at it);
- outside a request: a writer in a CLI command (migrations, ``instruments load``, the alerts worker, ...) except
  ``flask shell``, whose open transaction would hold the lock while someone types; a reader otherwise (code
  that pushes an app context of its own, such as the tests, and commits before other connections write).

A view is marked rather than told from inside because the first query of a request (loading the logged-in user)
begins the transaction before the view body runs. A GET page that writes only after a long read (an audited
download) writes through ``commit_with_retry`` instead: if another connection holds or has used the write lock
since the read began, SQLite refuses at once, and the retry begins as a writer. PostgreSQL's row locks and MVCC
need none of this.
"""

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from contextvars import ContextVar
from itertools import count
from typing import TypeVar

import click
import psycopg.errors
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from surveyapp.extensions import db

logger = logging.getLogger(__name__)

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES_ATTRIBUTE = "writes_database"
ATTEMPTS = 5
FIRST_BACK_OFF_SECONDS = 0.05
TRANSIENT_POSTGRES_ERRORS = (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected)
TRANSIENT_SQLITE_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

_in_unit_of_work = ContextVar("in_unit_of_work", default=False)


def configure_engine(engine: Engine) -> None:
    # Error messages and logs never show statement parameters: they would carry children's answers.
    engine.hide_parameters = True
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)


def writes_database(view: Callable) -> Callable:
    """Mark a GET view that writes (an audit row), so that on SQLite its transactions begin as writers."""
    setattr(view, WRITES_ATTRIBUTE, True)
    return view


def commit_with_retry(unit_of_work: Callable[[], T]) -> T:
    """Run ``unit_of_work`` and commit; on a transient error (SQLite busy or locked, PostgreSQL serialization
    failure or deadlock) roll back and run it again, up to ``ATTEMPTS`` times, after a short random pause.

    The unit of work must be safe to run again from the start: everything it did is rolled back before a retry.
    Any other error is raised at once, after the rollback. What was committed is not expired, so that reading
    the result does not begin another transaction (on SQLite, in a POST request, one more wait for the lock).
    """
    in_unit_of_work = _in_unit_of_work.set(True)
    try:
        for attempt in count(1):
            try:
                result = unit_of_work()
                _commit_without_expiring()
                return result
            except DBAPIError as error:
                db.session.rollback()
                if attempt == ATTEMPTS or not is_transient(error):
                    raise
                pause = random.uniform(0, FIRST_BACK_OFF_SECONDS * 2**attempt)
                logger.warning(
                    "transient database error (%s), attempt %d of %d; again in %.2f s",
                    type(error.orig).__name__,
                    attempt,
                    ATTEMPTS,
                    pause,
                )
                time.sleep(pause)
    finally:
        _in_unit_of_work.reset(in_unit_of_work)


def _commit_without_expiring() -> None:
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def is_transient(error: DBAPIError) -> bool:
    """Whether the same transaction may succeed when tried again a moment later."""
    if isinstance(error.orig, TRANSIENT_POSTGRES_ERRORS):
        return True
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in TRANSIENT_SQLITE_CODES  # extended codes such as BUSY_SNAPSHOT


def begins_as_writer() -> bool:
    """Whether a transaction begun now on SQLite takes the write lock at once (see the module's docstring)."""
    if _in_unit_of_work.get():
        return True
    if has_request_context():
        if request.method not in SAFE_METHODS:
            return True
        return getattr(current_app.view_functions.get(request.endpoint), WRITES_ATTRIBUTE, False)
    command = click.get_current_context(silent=True)
    return command is not None and command.command.name != "shell"


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, start transactions, so SAVEPOINT works (SQLAlchemy's pysqlite docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _begin_sqlite_transaction(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if begins_as_writer() else "BEGIN")
