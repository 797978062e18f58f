"""Consistent backups of the whole database, and restoring one into an empty database (no Flask here).

- SQLite: the online backup API copies the database page by page inside one read transaction, so the copy is the
  database as of one moment even while submissions keep arriving (WAL: writers are not blocked).
- PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot), restored with `pg_restore`; both must be
  of the server's major version or newer.
- Optionally encrypted with a Fernet key (AES-128-CBC + HMAC-SHA256, from the `cryptography` package), which
  authenticates the whole file: a changed or truncated backup is refused at restore, never half-restored. The
  file is encrypted in memory: meant for this programme's database (megabytes), not for hundreds of gigabytes.

A restore refuses a database that already holds tables: it never mixes a backup into live data.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
FERNET_MAGIC = b"gAAAAA"


class BackupError(Exception):
    pass


def new_key() -> str:
    return Fernet.generate_key().decode()


def create_backup(database_url: str, target: Path, key: str | None = None) -> None:
    """Write a backup of `database_url` to `target` (encrypted when `key` is given); `target` must not exist."""
    if target.exists():
        raise BackupError(f"{target} exists already: a backup never overwrites a file.")
    url = make_url(database_url)
    with tempfile.TemporaryDirectory() as work:
        plain = Path(work) / "backup"
        if _is_sqlite(url):
            _sqlite_copy(_sqlite_file(url), plain)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={plain}", _libpq_url(url)])
        data = plain.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(Fernet(key.encode()).encrypt(data) if key else data)


def restore_backup(source: Path, database_url: str, key: str | None = None) -> None:
    """Restore the backup `source` into the empty database `database_url`."""
    url = make_url(database_url)
    data = _decrypted(source.read_bytes(), key)
    expected = SQLITE_MAGIC if _is_sqlite(url) else PG_DUMP_MAGIC
    if not data.startswith(expected):
        raise BackupError(f"{source} is not a backup of a {url.get_backend_name()} database.")
    with tempfile.TemporaryDirectory() as work:
        plain = Path(work) / "backup"
        plain.write_bytes(data)
        if _is_sqlite(url):
            _restore_sqlite(plain, _sqlite_file(url))
        else:
            _restore_postgresql(plain, _libpq_url(url))


def _decrypted(data: bytes, key: str | None) -> bytes:
    if not data.startswith(FERNET_MAGIC):
        return data
    if not key:
        raise BackupError("This backup is encrypted: give its key (BACKUP_KEY).")
    try:
        return Fernet(key.encode()).decrypt(data)
    except InvalidToken:
        raise BackupError("The key does not open this backup, or the file was changed or cut short.") from None


def _sqlite_copy(source: Path, target: Path) -> None:
    origin, copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _restore_sqlite(plain: Path, target: Path) -> None:
    if target.exists() and _sqlite_tables(target):
        raise BackupError(f"{target} already holds tables: restore into an empty database.")
    _sqlite_copy(plain, target)
    target.chmod(0o600)


def _sqlite_tables(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        connection.close()


def _restore_postgresql(plain: Path, libpq_url: str) -> None:
    tables = _run(
        [
            "psql",
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--dbname",
            libpq_url,
            "--command",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        ]
    )
    if tables.strip() != "0":
        raise BackupError("The database already holds tables: restore into an empty database.")
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={libpq_url}", str(plain)])


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is needed (PostgreSQL's client programs, of the server's version).")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _sqlite_file(url: URL) -> Path:
    assert url.database is not None, "the app's SQLite database is a file"
    return Path(url.database)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as libpq reads it (no `+psycopg` driver part)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
