"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright against a real server process
(server.py). Each test opens fresh tablet-sized touch contexts; screenshots go to test-artifacts/screenshots/
and the times measured (e.g. how long the outbox takes to drain) are printed at the end of the run.

Without Chromium the tests are skipped with the reason; with SURVEYAPP_REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.browser.server import running_server, seed_database
from tests.processes import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PLAYWRIGHT_ONLY_ARG = "--disable-back-forward-cache"
"""A tablet's Chromium keeps pages for the back button (back/forward cache): so do the tests' browsers."""
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True}
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
TIMEOUT_MS = 30_000
"""Generous: a 2-core machine runs the server, Chromium and the test at once."""

expect.set_options(timeout=TIMEOUT_MS)
_screenshots_taken: list[Path] = []
_timings: list[tuple[str, float]] = []


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's package "
            "(`apt-get install chromium` as root; `make test` does it when run as root)."
        )
        if os.environ.get("SURVEYAPP_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory, chromium_path):
    return seed_database(tmp_path_factory.mktemp("browser-db") / "seeded.sqlite")


@pytest.fixture(scope="session")
def kiosk_server(seeded_database, tmp_path_factory):
    """One server for the run; a module that needs other settings overrides this fixture with running_server."""
    with running_server(seeded_database, tmp_path_factory.mktemp("server")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright(chromium_path):
    with sync_playwright() as driver:
        yield driver


def _launch_options(chromium_path: Path) -> dict:
    return {"executable_path": str(chromium_path), "args": CHROMIUM_ARGS, "ignore_default_args": [PLAYWRIGHT_ONLY_ARG]}


@pytest.fixture(scope="module")
def browser(playwright, chromium_path):
    browser = playwright.chromium.launch(**_launch_options(chromium_path))
    yield browser
    browser.close()


def _closed_after_the_test(open_context):
    """Yields ``open_context`` for the test, each context it opens with the tests' timeout; closes them after."""
    contexts = []

    def open_tracked(*args, **options):
        context = open_context(*args, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_tracked
    for context in contexts:
        context.close()


@pytest.fixture
def open_tablet(browser, kiosk_server):
    """Open a fresh tablet (browser context) at the kiosk server (or at ``base_url``); closed after the test."""

    def open_context(base_url: str | None = None, **options):
        return browser.new_context(**TABLET, base_url=base_url or kiosk_server.url, **options)

    yield from _closed_after_the_test(open_context)


@pytest.fixture
def open_persistent_tablet(playwright, chromium_path, kiosk_server):
    """A tablet whose browser profile (IndexedDB, service worker, storage) lives in ``user_data_dir``: opened
    again on the same folder, it is the same tablet after a restart. Closed after the test if still open."""

    def open_context(user_data_dir: Path, base_url: str | None = None):
        return playwright.chromium.launch_persistent_context(
            user_data_dir, **_launch_options(chromium_path), **TABLET, base_url=base_url or kiosk_server.url
        )

    yield from _closed_after_the_test(open_context)


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
        path = screenshot_folder / f"{test_name}-{len(taken):02d}-{step}.png"
        for attempt in range(3):
            try:
                page.screenshot(path=path, full_page=True)
                return
            except PlaywrightError as error:  # Chromium under load may have no frame to capture yet
                if "Unable to capture screenshot" not in str(error) or attempt == 2:
                    raise
                page.wait_for_timeout(500)

    return take


@pytest.fixture
def record_timing(request):
    """record_timing("what", seconds): printed with the test's name at the end of the run."""

    def record(what: str, seconds: float) -> None:
        _timings.append((f"{request.node.name}: {what}", seconds))

    return record


def pytest_terminal_summary(terminalreporter):
    for what, seconds in _timings:
        terminalreporter.write_line(f"Browser timing: {what}: {seconds:.2f} s")
    if _screenshots_taken:
        terminalreporter.write_line(f"Browser test screenshots: {SCREENSHOTS}")
