"""Counting the SQL statements a piece of code sends, to pin a page's or a request's cost in a test."""

from contextlib import contextmanager

from sqlalchemy import event

from surveyapp.extensions import db


@contextmanager
def counted_statements():
    """The SQL statements sent to the database inside the block, as a list filled in as they are sent."""
    statements = []

    def count(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
