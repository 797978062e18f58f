"""Configuration from the environment, with safe defaults and no secret in the repository."""

from pathlib import Path

from sqlalchemy import text

import surveyapp.app
from surveyapp import create_app
from surveyapp.config import config_from_environment, secret_key_from_instance
from surveyapp.extensions import db
from tests.processes import TEST_SECRET_KEY


def test_the_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = config_from_environment(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'surveyapp.sqlite'}"


def test_a_postgresql_url_uses_psycopg_3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://survey@db.example/surveyapp")
    assert config_from_environment(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://survey@db.example/surveyapp"
    )


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path):
    first, second = secret_key_from_instance(str(tmp_path)), secret_key_from_instance(str(tmp_path))
    key_file = Path(tmp_path) / "secret_key"
    assert first == second and len(first) == 64
    assert key_file.stat().st_mode & 0o077 == 0


def test_a_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config_from_environment(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
    assert not (Path(tmp_path) / "secret_key").exists()


def test_a_secret_key_given_to_create_app_writes_no_key_file(tmp_path, monkeypatch):
    """Issue 17: create_app wrote instance/secret_key even when the caller passed a key."""
    monkeypatch.delenv("SECRET_KEY", raising=False)

    def must_not_be_called(_instance_path):
        raise AssertionError("the instance's key file was read or written")

    for module in (surveyapp.app, surveyapp.config):
        monkeypatch.setattr(module, "secret_key_from_instance", must_not_be_called)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": TEST_SECRET_KEY})
    assert app.config["SECRET_KEY"] == TEST_SECRET_KEY


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": TEST_SECRET_KEY})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
