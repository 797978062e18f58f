"""The server the browser tests talk to: a real `flask run` process on a fresh SQLite file.

The database is migrated with `flask db upgrade`, loaded with `flask instruments load` and seeded by
tests/seed_data.py once per run (``seed_database``); each server works on a copy of it
(``running_server``), so a test module can start one in another environment (e.g. a short idle time).
"""

import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.kiosk_steps import INSTRUMENTS
from tests.processes import environment, flask_server, prepare_database, seed_session

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
    return environment(f"sqlite:///{database}", settings)


def seed_database(path: Path) -> SeededDatabase:
    env = _environment(path)
    prepare_database(env)
    data = seed_session(env, CHILDREN_PER_DATABASE, list(INSTRUMENTS))
    return SeededDatabase(path, data["join_code"], data["children"])


@contextmanager
def running_server(seeded: SeededDatabase, folder: Path, settings: dict | None = None):
    """`flask run` on a free port, on a copy of the seeded database; ``settings`` add to its environment."""
    database = folder / "kiosk.sqlite"
    with closing(sqlite3.connect(seeded.path)) as source, closing(sqlite3.connect(database)) as copy:
        source.backup(copy)
    with flask_server(_environment(database, settings), folder / "server.log", SERVER_START_SECONDS) as url:
        yield KioskServer(url, database, seeded.join_code, list(seeded.children))
