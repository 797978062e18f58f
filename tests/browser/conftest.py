"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright against a real server process.

The database is a fresh SQLite file, migrated with `flask db upgrade`, loaded with `flask instruments load` and
seeded by tests/browser/seed_data.py, all once per run; the server (`flask run` on a free port) works on a copy
of it. A module that needs the server in another environment starts its own (``running_server``).
Each test opens fresh tablet-sized touch contexts. Screenshots go to test-artifacts/screenshots/.

Without Chromium the tests are skipped with the reason; with SURVEYAPP_REQUIRE_BROWSER=1 (CI) they fail instead.
"""
import json
import os
import re
import shutil
import socket
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
from playwright.sync_api import expect, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
PLAYWRIGHT_ONLY_ARG = "--disable-back-forward-cache"
"""A tablet's Chromium keeps pages for the back button (back/forward cache): so do the tests' browsers."""
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True}
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TIMEOUT_MS = 30_000
"""Generous: a 2-core machine runs the server, Chromium and the test at once."""
SERVER_START_SECONDS = 60
CHILDREN_PER_DATABASE = 40

expect.set_options(timeout=TIMEOUT_MS)


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


def _environment(database: Path, extra: dict | None = None) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "browser-tests-only",
            **(extra or {})}


def _run(args: list[str], database: Path) -> str:
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=_environment(database),
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = (f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's package "
                  "(`apt-get install chromium` as root; `make test` does it when run as root).")
        if os.environ.get("SURVEYAPP_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory) -> SeededDatabase:
    path = tmp_path_factory.mktemp("browser-db") / "seeded.sqlite"
    _run(["-m", "flask", "--app", "wsgi", "db", "upgrade"], path)
    _run(["-m", "flask", "--app", "wsgi", "instruments", "load"], path)
    data = json.loads(_run(["-m", "tests.browser.seed_data", str(CHILDREN_PER_DATABASE)], path))
    return SeededDatabase(path, data["join_code"], data["children"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
def running_server(seeded_database: SeededDatabase, folder: Path, settings: dict | None = None):
    """`flask run` on a free port, on a copy of the seeded database; ``settings`` add to its environment."""
    database = folder / "kiosk.sqlite"
    with closing(sqlite3.connect(seeded_database.path)) as source, closing(sqlite3.connect(database)) as copy:
        source.backup(copy)
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT, env=_environment(database, settings), stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, process, log)
        yield KioskServer(url, database, seeded_database.join_code, list(seeded_database.children))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def kiosk_server(seeded_database, tmp_path_factory, chromium_path) -> KioskServer:
    """One server for the run; a module that needs other settings overrides this fixture with running_server."""
    with running_server(seeded_database, tmp_path_factory.mktemp("server")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright(chromium_path):
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright, chromium_path):
    browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS,
                                         ignore_default_args=[PLAYWRIGHT_ONLY_ARG])
    yield browser
    browser.close()


@pytest.fixture
def open_tablet(browser, kiosk_server):
    """Open a fresh tablet (browser context) at the kiosk server; closed after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**TABLET, base_url=kiosk_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_folder() -> Path:
    """Emptied once per run, so that what is in it is this run's."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    _screenshots_taken.append(SCREENSHOTS)
    return SCREENSHOTS


@pytest.fixture
def screenshot(request, screenshot_folder):
    """screenshot(page, "assent") saves <test name>-<nn>-assent.png, numbered in the order taken."""
    test_name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    taken = []

    def take(page, step: str) -> None:
        taken.append(step)
        page.screenshot(path=screenshot_folder / f"{test_name}-{len(taken):02d}-{step}.png", full_page=True)

    return take


_screenshots_taken: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    if _screenshots_taken:
        terminalreporter.write_line(f"Browser test screenshots: {SCREENSHOTS}")
