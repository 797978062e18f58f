"""Fixtures. Every test that uses the database runs twice: on SQLite and on PostgreSQL.

PostgreSQL is reached at SURVEYAPP_TEST_POSTGRES_SERVER (default: the local server); each run creates a
database of its own and drops it at the end. SURVEYAPP_TEST_DATABASES=sqlite limits a run to SQLite on a machine
without PostgreSQL.
"""

import os
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
from flask import g, request_started
from flask_migrate import upgrade
from sqlalchemy import select, text

from surveyapp import create_app
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.services import publish_version
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind, Sex, Territory
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from tests.processes import TEST_SECRET_KEY, UNTHROTTLED

POSTGRES_SERVER = os.environ.get("SURVEYAPP_TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")
DATABASES = os.environ.get("SURVEYAPP_TEST_DATABASES", "sqlite,postgresql").split(",")


@contextmanager
def _fresh_postgres_database(name: str = f"surveyapp_test_{os.getpid()}"):
    """A database of this test run's own, so that runs in parallel never meet; dropped at the end."""
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        with _fresh_postgres_database() as url:
            yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
            **UNTHROTTLED,
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables_after_test(request):
    """Each test starts from empty tables: tests commit for real, as requests do."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    """A browser that prefers English, so that assertions read in one language; users pick theirs."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app_context):
    def make(role: Role, username: str | None = None):
        user, password = create_user(username or f"{role.value}-user", role, language="en")
        db.session.commit()
        return user, password

    return make


@pytest.fixture
def login(client, make_user):
    """Log a new user of the given role in on the test client; returns the user."""

    def log_in(role: Role, username: str | None = None):
        user, password = make_user(role, username)
        response = client.post("/auth/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.text
        return user

    return log_in


@pytest.fixture
def publish(app_context):
    def do_publish(data: dict):
        version, _created = publish_version(data)
        db.session.commit()
        return version

    return do_publish


@pytest.fixture
def make_respondent(app_context):
    def make(kind: RespondentKind = RespondentKind.CHILD, sex: Sex = Sex.FEMALE, birth_year: int = 2012):
        ensure_territories()
        territory = db.session.scalar(select(Territory).order_by(Territory.code))
        respondent = respondents.register(kind, sex, birth_year, territory)
        db.session.commit()
        return respondent

    return make


@pytest.fixture
def make_session(app_context):
    def make(versions, wave: Wave = Wave.BASELINE, is_open: bool = True):
        session = plan_session(
            title="Test session",
            held_on=date(2026, 11, 20),
            place="School 5",
            wave=wave,
            territory_id=None,
            trainer_id=None,
            instrument_version_ids=[v.id for v in versions],
        )
        session.is_open = is_open
        db.session.commit()
        return session

    return make


@pytest.fixture(autouse=True)
def _each_request_starts_afresh(request):
    """As in production, each request finds its user from its own session cookie, and its language anew.

    A test's app context (``app_context``) is shared by every request made inside it, since Flask pushes a new
    one only when none is active, and Flask-Login and Flask-Babel keep what they loaded on that context's ``g``:
    without this, a second browser, or a session that a new password has ended, would borrow the first
    request's user.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")

    def forget_previous_request(_sender, **_extra):
        for name in list(g):
            g.pop(name)

    request_started.connect(forget_previous_request, app)
    yield
    request_started.disconnect(forget_previous_request, app)
