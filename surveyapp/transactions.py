"""Where a unit of work ends, and how a SQLite transaction takes the write lock.

Every unit of work ends in one place, ``run_in_transaction``: it is committed when it returns and rolled back,
all of it, when it raises (as Indico's request handler ends each request: commit after the view, roll back on any
exception, so that an error page never flushes half a change). Its callers:

- each request, through ``run_view`` (the application's ``dispatch_request``): the view is the unit. POST and the
  other unsafe methods commit after the view. GET, HEAD and OPTIONS never commit: their transaction is rolled back
  after the view, so a page cannot write by accident. The one write a page makes, the audit of who read what, is
  handed to ``after_the_view`` and written once the view has returned, in a short transaction of its own;
- each CLI command, around what it changes (a command that publishes several files: once per file);
- ``commit_with_retry``, the one other place: the children's answers (the kiosk, the tablets' JSON intake), the
  workers and the audits of reads, tried again when a busy database refuses them for a moment (its docstring
  says why).

SQLite allows one writer at a time. Under WAL a transaction begun with a plain (deferred) ``BEGIN`` reads from a
snapshot; when it then writes and another connection has committed since, SQLite answers SQLITE_BUSY_SNAPSHOT at
once, without waiting for ``busy_timeout``: "database is locked", a lost submission. A transaction that will
write therefore begins with ``BEGIN IMMEDIATE``: it takes the write lock first (waiting up to ``busy_timeout``
for it) and never meets that error. A read-only transaction must not take it, or a long report page would hold
up every child's submission, so the choice is made per transaction, when SQLAlchemy begins it:

- inside ``commit_with_retry``: always a writer (so the audit of a read, written after the read, is one);
- in a request: a writer for POST and the other unsafe methods, a reader for GET, HEAD and OPTIONS;
- outside a request: a writer in a CLI command (migrations, ``instruments load``, the alerts worker, ...) except
  ``flask shell``, whose open transaction would hold the lock while someone types; a reader otherwise (code
  that pushes an app context of its own, such as the tests, and commits before other connections write).

The first query of a request (loading the logged-in user) begins its transaction before the view runs, so the
method decides, not the view. PostgreSQL's row locks and MVCC need none of this.
"""

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

import click
import psycopg.errors
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from surveyapp.extensions import db

logger = logging.getLogger(__name__)

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AFTER_THE_VIEW = "writes_after_the_view"
"""The attribute of ``g`` that holds, while a view runs, what it hands to ``after_the_view``."""
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


def run_in_transaction(unit_of_work: Callable[[], T]) -> T:
    """Run ``unit_of_work`` and commit what it wrote; on any exception roll all of it back and raise it again.

    What was committed is not expired, so that reading the result does not begin another transaction (on SQLite,
    in a POST request, one more wait for the lock).
    """
    try:
        result = unit_of_work()
        _commit_without_expiring()
    except BaseException:
        db.session.rollback()
        raise
    return result


def run_view(view: Callable[[], T]) -> T:
    """The request's one transaction around its view, then what the view handed to ``after_the_view``."""
    written_after: list[Callable[[], object]] = []
    setattr(g, AFTER_THE_VIEW, written_after)
    try:
        result = _read_only(view) if request.method in SAFE_METHODS else run_in_transaction(view)
    finally:
        g.pop(AFTER_THE_VIEW)
    for unit_of_work in written_after:
        commit_with_retry(unit_of_work)
    return result


def _read_only(view: Callable[[], T]) -> T:
    try:
        return view()
    finally:
        db.session.rollback()


def after_the_view(unit_of_work: Callable[[], object]) -> None:
    """In a view, write ``unit_of_work`` once the view has returned, through ``commit_with_retry``: how a page
    records who read what although its own transaction never commits (and, on SQLite, never holds the write lock
    while it reads). Nothing is written when the view raises: the page was not shown. Outside a view (a command,
    a test) there is nothing to wait for: it joins the current unit of work at once."""
    written_after = g.get(AFTER_THE_VIEW) if has_request_context() else None
    if written_after is None:
        unit_of_work()
    else:
        written_after.append(unit_of_work)


def commit_with_retry(unit_of_work: Callable[[], T]) -> T:
    """Run ``unit_of_work`` in a transaction (``run_in_transaction``); on a transient error (SQLite busy or locked,
    PostgreSQL serialization failure or deadlock) run it again, up to ``ATTEMPTS`` times, after a short random
    pause. Any other error is raised at once.

    Why the intake ends its work here rather than in the request's transaction: the children's answers arrive in
    bursts (every tablet's queue at the end of a session), and a moment's lock must not turn one into an error
    for a child's questionnaire. Its unit of work is safe to run again from the start: everything it did is rolled
    back before a retry, and the client UUID makes a repeated submission one. The workers and the audits of reads
    meet the same bursts. A whole view is never retried: it may flash a message or show a generated code.
    """
    in_unit_of_work = _in_unit_of_work.set(True)
    try:
        for attempt in range(1, ATTEMPTS):
            try:
                return run_in_transaction(unit_of_work)
            except DBAPIError as error:
                if not is_transient(error):
                    raise
                _pause_before_retrying(error, attempt)
        return run_in_transaction(unit_of_work)
    finally:
        _in_unit_of_work.reset(in_unit_of_work)


def _pause_before_retrying(error: DBAPIError, attempt: int) -> None:
    pause = random.uniform(0, FIRST_BACK_OFF_SECONDS * 2**attempt)
    logger.warning(
        "transient database error (%s), attempt %d of %d; again in %.2f s",
        type(error.orig).__name__,
        attempt,
        ATTEMPTS,
        pause,
    )
    time.sleep(pause)


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
        return request.method not in SAFE_METHODS
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
