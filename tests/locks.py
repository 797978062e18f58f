"""Looking at a database's locks from outside, as another connection that may not wait for them."""

import sqlite3

import psycopg
import psycopg.errors


def sqlite_write_lock_is_free(sqlite_file: str) -> bool:
    probe = sqlite3.connect(sqlite_file, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def outbox_is_free(database_url: str) -> bool:
    """Whether another connection could update every e-mail of the outbox at once: on SQLite nobody holds the
    write lock, on PostgreSQL nobody holds a row lock on them."""
    if database_url.startswith("sqlite:"):
        return sqlite_write_lock_is_free(database_url.removeprefix("sqlite:///"))
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as probe:
        try:
            probe.execute("SELECT id FROM outbox_message FOR UPDATE NOWAIT")
        except psycopg.errors.LockNotAvailable:
            return False
        return True
