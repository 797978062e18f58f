"""Backup and restore (issue 15, item 7): a backup taken while submissions keep arriving restores into an empty
database with every submission committed before it began, each with its scores; encrypted backups open only with
their key; a restore never writes into a database that holds tables."""

import stat
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from surveyapp.backup.services import BackupError, create_backup, new_key, restore_backup
from surveyapp.extensions import db
from tests.conftest import POSTGRES_SERVER
from tests.factories import mood_instrument

CHILDREN = 80


@contextmanager
def empty_database_like(database_url: str, tmp_path):
    """An empty database of the same kind as the test database."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"{make_url(database_url).database}_restored"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(database_url: str, query: str) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_a_backup_taken_while_submissions_arrive_restores_every_committed_one(
    app, publish, make_session, make_respondent, tmp_path
):
    session = make_session([publish(mood_instrument())])
    codes = [make_respondent().code for _ in range(CHILDREN)]
    join_code, database_url = session.join_code, app.config["SQLALCHEMY_DATABASE_URI"]
    stored_before_backup: list[str] = []
    backup_started, statuses = threading.Event(), []

    def tablets():
        client = app.test_client()
        for code in codes:
            body = {
                "uuid": str(uuid.uuid4()),
                "join_code": join_code,
                "respondent_code": code,
                "instrument": "mood",
                "version": "1.0",
                "language": "ru",
                "assent": True,
                "answers": {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0},
            }
            statuses.append(client.post("/api/submissions", json=body).status_code)
            if statuses[-1] == 201 and not backup_started.is_set():  # committed before the backup began
                stored_before_backup.append(body["uuid"])

    sending = threading.Thread(target=tablets)
    sending.start()
    while len(statuses) < CHILDREN // 4 and sending.is_alive():
        threading.Event().wait(0.01)
    backup = tmp_path / "surveyapp.backup"
    backup_started.set()
    create_backup(database_url, backup)
    sending.join()
    assert statuses == [201] * CHILDREN

    with empty_database_like(database_url, tmp_path) as restored_url:
        restore_backup(backup, restored_url)
        restored = {str(uuid.UUID(str(row[0]))) for row in rows(restored_url, "SELECT client_uuid FROM submission")}
        assert set(stored_before_backup) <= restored
        assert len(restored) <= CHILDREN
        unscored = rows(
            restored_url, "SELECT count(*) FROM submission WHERE id NOT IN (SELECT submission_id FROM score)"
        )
        assert unscored == [(0,)]  # one transaction per submission: none restored without its scores
        assert rows(restored_url, "SELECT version_num FROM alembic_version") == rows(
            database_url, "SELECT version_num FROM alembic_version"
        )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_an_encrypted_backup_opens_with_its_key_only_and_a_changed_one_is_refused(app, app_context, tmp_path):
    database_url, key = app.config["SQLALCHEMY_DATABASE_URI"], new_key()
    backup = tmp_path / "secret.backup"
    create_backup(database_url, backup, key)
    assert b"respondent" not in backup.read_bytes()  # table names of a plain dump or file are not readable

    with empty_database_like(database_url, tmp_path) as restored_url:
        with pytest.raises(BackupError, match="encrypted"):
            restore_backup(backup, restored_url)
        with pytest.raises(BackupError, match="does not open"):
            restore_backup(backup, restored_url, new_key())
        changed = tmp_path / "changed.backup"
        changed.write_bytes(backup.read_bytes()[:-10] + b"AAAAAAAAAA")
        with pytest.raises(BackupError, match="changed or cut short"):
            restore_backup(changed, restored_url, key)
        restore_backup(backup, restored_url, key)
        assert rows(restored_url, "SELECT count(*) FROM alembic_version") == [(1,)]


def test_a_restore_refuses_a_database_that_holds_tables(app, app_context, tmp_path):
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    backup = tmp_path / "surveyapp.backup"
    create_backup(database_url, backup)
    with pytest.raises(BackupError, match="already holds tables"):
        restore_backup(backup, database_url)
    assert db.session.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_a_backup_never_overwrites_a_file_nor_restores_into_another_kind_of_database(app, tmp_path):
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    existing = tmp_path / "existing.backup"
    existing.write_bytes(b"earlier backup")
    with pytest.raises(BackupError, match="exists already"):
        create_backup(database_url, existing)
    assert existing.read_bytes() == b"earlier backup"
    other_kind = (
        "postgresql+psycopg://postgres@127.0.0.1:5432/unused"
        if make_url(database_url).get_backend_name() == "sqlite"
        else f"sqlite:///{tmp_path / 'x.sqlite'}"
    )
    backup = tmp_path / "surveyapp.backup"
    create_backup(database_url, backup)
    with pytest.raises(BackupError, match="is not a backup of a"):
        restore_backup(backup, other_kind)


def test_the_command_writes_a_private_file_in_the_instance_folder(app, runner):
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    path = result.output.split(" (")[0]
    assert "/backups/surveyapp-" in path and result.output.strip().endswith("(not encrypted)")
    assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600
