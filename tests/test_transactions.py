"""surveyapp/transactions.py: which SQLite transactions take the write lock when they begin, and commit_with_retry.

The write lock is observed from outside: a second sqlite3 connection that may not wait tries to take it.
"""

import sqlite3

import click
import psycopg.errors
import pytest
from flask.cli import with_appcontext
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from surveyapp import transactions
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory
from surveyapp.transactions import commit_with_retry
from tests.locks import sqlite_write_lock_is_free


@pytest.fixture
def sqlite_file(database_url) -> str:
    if not database_url.startswith("sqlite:"):
        pytest.skip("the write lock is SQLite's")
    return database_url.removeprefix("sqlite:///")


def lock_free_in_a_new_transaction(sqlite_file: str) -> bool:
    db.session.rollback()
    db.session.execute(text("SELECT 1"))  # begins the transaction
    try:
        return sqlite_write_lock_is_free(sqlite_file)
    finally:
        db.session.rollback()


@pytest.mark.parametrize(
    ("method", "path", "writes"),
    [
        ("GET", "/sessions/", False),
        ("HEAD", "/reports/", False),
        ("GET", "/reports/download", False),  # a long read: its audit row is written after the view
        ("POST", "/sessions/new", True),
        ("POST", "/api/submissions", True),
        ("GET", "/submissions/1", False),  # who looked at the answers is written after the view too
        ("GET", "/alerts/1", False),
        ("GET", "/respondents/1/identity", False),
        ("POST", "/respondents/1/identity", True),
    ],
)
def test_in_a_request_a_transaction_takes_the_write_lock_exactly_when_the_method_writes(
    app, app_context, sqlite_file, method, path, writes
):
    with app.test_request_context(path, method=method):
        assert lock_free_in_a_new_transaction(sqlite_file) is not writes


def test_outside_a_request_and_a_command_a_transaction_only_reads(app_context, sqlite_file):
    assert lock_free_in_a_new_transaction(sqlite_file)


@pytest.mark.parametrize(("command_name", "writes"), [("upgrade", True), ("work", True), ("shell", False)])
def test_a_cli_command_writes_but_an_interactive_shell_does_not_hold_the_lock(
    app, runner, sqlite_file, command_name, writes
):
    seen = []

    @click.command(command_name)
    @with_appcontext
    def command():
        seen.append(lock_free_in_a_new_transaction(sqlite_file))

    result = runner.invoke(command)
    assert result.exit_code == 0, result.output
    assert seen == [not writes]


def test_a_unit_of_work_takes_the_write_lock_even_in_a_get_request(app, app_context, sqlite_file):
    seen = []
    with app.test_request_context("/sessions/", method="GET"):
        db.session.rollback()
        commit_with_retry(lambda: seen.append(lock_free_in_a_new_transaction(sqlite_file)))
    assert seen == [False]


def test_a_write_refused_for_a_stale_snapshot_is_tried_again_and_stored(app, app_context, sqlite_file):
    """The read began before another connection committed: SQLite refuses the write at once (BUSY_SNAPSHOT)."""
    ensure_territories()
    db.session.commit()
    db.session.scalar(select(Territory.name).filter_by(code="T1"))  # a reader's snapshot
    other = sqlite3.connect(sqlite_file, isolation_level=None)
    other.execute("UPDATE territory SET name = 'Renamed elsewhere' WHERE code = 'T2'")
    other.close()
    attempts = []

    def rename():
        attempts.append(1)
        db.session.execute(update(Territory).filter_by(code="T1").values(name="Renamed here"))

    commit_with_retry(rename)
    assert len(attempts) == 2
    db.session.rollback()
    assert db.session.scalar(select(Territory.name).filter_by(code="T1")) == "Renamed here"


def test_a_serialization_failure_is_tried_again_and_stored(app, app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's serialization failure")
    ensure_territories()
    db.session.commit()
    attempts = []

    def rename():
        attempts.append(1)
        if len(attempts) == 1:
            db.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            db.session.scalar(select(Territory.name).filter_by(code="T1"))  # the snapshot
            with db.engine.begin() as other:
                other.execute(update(Territory).filter_by(code="T1").values(name="Renamed elsewhere"))
        db.session.execute(update(Territory).filter_by(code="T1").values(name="Renamed here"))

    commit_with_retry(rename)
    assert len(attempts) == 2
    db.session.rollback()
    assert db.session.scalar(select(Territory.name).filter_by(code="T1")) == "Renamed here"


def test_any_other_database_error_is_raised_at_once_and_rolled_back(app_context):
    ensure_territories()
    db.session.commit()
    attempts = []

    def add_a_second_t1():
        attempts.append(1)
        db.session.add(Territory(code="T1", name="Duplicate"))
        db.session.flush()

    with pytest.raises(IntegrityError):
        commit_with_retry(add_a_second_t1)
    assert len(attempts) == 1
    assert db.session.scalar(select(func.count(Territory.id))) == 7, "the session is usable again"


@pytest.fixture
def sqlite_locked_error(tmp_path) -> sqlite3.OperationalError:
    """A real "database is locked" from the sqlite3 module."""
    path = str(tmp_path / "locked.sqlite")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        sqlite3.connect(path, timeout=0).execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return error
    finally:
        holder.close()
    raise AssertionError("the second connection took the lock")


@pytest.mark.parametrize("kind", ["sqlite_locked", "deadlock", "serialization"])
def test_a_transient_error_is_tried_five_times_with_short_random_pauses_then_raised(
    app_context, monkeypatch, sqlite_locked_error, kind
):
    original = {
        "sqlite_locked": sqlite_locked_error,
        "deadlock": psycopg.errors.DeadlockDetected(),
        "serialization": psycopg.errors.SerializationFailure(),
    }[kind]
    pauses, attempts = [], []
    monkeypatch.setattr(transactions.time, "sleep", pauses.append)

    def always_refused():
        attempts.append(1)
        raise OperationalError("INSERT ...", None, original)

    with pytest.raises(OperationalError):
        commit_with_retry(always_refused)
    assert len(attempts) == 5 and len(pauses) == 4
    # Up to 0.1, 0.2, 0.4 and 0.8 s (0.05 s doubling), random within that.
    assert all(0 <= pause <= 0.05 * 2**attempt for attempt, pause in enumerate(pauses, start=1))
    assert len(set(pauses)) > 1


def test_an_error_message_never_shows_the_values_of_a_statement(app_context):
    ensure_territories()
    db.session.commit()
    db.session.add(Territory(code="T1", name="A name that must not be logged"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    db.session.rollback()
    assert "A name that must not be logged" not in str(raised.value)
