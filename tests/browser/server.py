"""The server the browser tests talk to: a real `flask run` process on a fresh SQLite file.

The database is migrated with `flask db upgrade`, loaded with `flask instruments load` and seeded by
tests/browser/seed_data.py once per run (``seed_database``); each server works on a copy of it
(``running_server``), so a test module can start one in another environment (e.g. a short idle time).
"""
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.alerts.conftest import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_SECONDS = 60
CHILDREN_PER_DATABASE = 40


@dataclass
class SeededDatabase:
    path: Path
    join_code: str
    children: list[str]


@dataclass
class KioskServer:
    url: str
    database: Path
    join_code: str
    children: list[str] = field(repr=False)

    def next_child(self) -> str:
        """A registered child's code that no other test of this server has used."""
        return self.children.pop()


def _environment(database: Path, settings: dict | None = None) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "browser-tests-only",
            **(settings or {})}


def _run(args: list[str], database: Path) -> str:
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=_environment(database),
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def seed_database(path: Path) -> SeededDatabase:
    _run(["-m", "flask", "--app", "wsgi", "db", "upgrade"], path)
    _run(["-m", "flask", "--app", "wsgi", "instruments", "load"], path)
    data = json.loads(_run(["-m", "tests.browser.seed_data", str(CHILDREN_PER_DATABASE)], path))
    return SeededDatabase(path, data["join_code"], data["children"])


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server stopped at start:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/kiosk/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"The server did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()}")


@contextmanager
def running_server(seeded: SeededDatabase, folder: Path, settings: dict | None = None):
    """`flask run` on a free port, on a copy of the seeded database; ``settings`` add to its environment."""
    database = folder / "kiosk.sqlite"
    with closing(sqlite3.connect(seeded.path)) as source, closing(sqlite3.connect(database)) as copy:
        source.backup(copy)
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT, env=_environment(database, settings), stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, process, log)
        yield KioskServer(url, database, seeded.join_code, list(seeded.children))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
