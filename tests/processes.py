"""The app as real processes, for the tests that run it so (tests/browser, tests/concurrency) and bench/tablets.py:
commands run to their end, and `flask run` on a free port until it answers. No pytest here: the bench uses it."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.alerts.conftest import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COMMAND_SECONDS = 300
TEST_SECRET_KEY = "test-only-secret-never-used-in-production-0123456789"
"""Long enough for the app's check of weak keys (surveyapp/security.py), which applies outside tests."""


UNTHROTTLED = {
    setting: "1000000 per minute"
    for setting in ("LOGIN_FAILURE_LIMIT", "JOIN_FAILURE_LIMIT", "INTAKE_FAILURE_LIMIT", "SESSION_FAILURE_LIMIT")
}
"""Tests refuse many requests on purpose; tests/test_throttling.py sets real limits."""


def environment(database_url: str, settings: dict | None = None) -> dict:
    """This process's environment with the app's database, a test-only secret key, no throttling, and
    ``settings``."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        **UNTHROTTLED,
        **(settings or {}),
    }


def flask(arguments: list[str]) -> list[str]:
    """Python's arguments for a flask command of the app (wsgi.py)."""
    return ["-m", "flask", "--app", "wsgi", *arguments]


def run_python(arguments: list[str], env: dict) -> str:
    """Runs Python with ``arguments`` in the project folder to its end; returns what it printed."""
    result = subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=COMMAND_SECONDS
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_database(env: dict) -> None:
    """Migrates the environment's database and publishes the shipped instruments."""
    run_python(flask(["db", "upgrade"]), env)
    run_python(flask(["instruments", "load"]), env)


def seed_session(env: dict, children: int, instruments: list[str], psychologist_on_duty: bool = False) -> dict:
    """An open session of ``instruments`` and ``children`` children (tests/seed_data.py) in the environment's
    prepared database: {"join_code": ..., "children": [...]}."""
    arguments = ["-m", "tests.seed_data", str(children), *instruments]
    if psychologist_on_duty:
        arguments.append("--psychologist-on-duty")
    return json.loads(run_python(arguments, env).splitlines()[-1])


@contextmanager
def running(arguments: list[str], env: dict, log: Path):
    """Python with ``arguments`` in the project folder, its output in ``log``, until the block ends. Then it is
    killed: a worker asked to stop finishes its pass first, minutes with a slow SMTP server."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, *arguments], cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


@contextmanager
def flask_server(env: dict, log: Path, start_seconds: float):
    """`flask run` on a free port of 127.0.0.1 until the block ends; yields its base URL once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(flask(["run", "--host", "127.0.0.1", "--port", str(port)]), env, log) as process:
        _wait_until_serving(url, process, log, start_seconds)
        yield url


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped at start:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/kiosk/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"The server did not answer within {seconds} s:\n{log.read_text()}")
