"""A trainer plans a staff training in the browser, with and without JavaScript: the staff's questionnaires only,
the pre-test's and the post-test's in the order the trainer chose, and the training page with both join codes
(tests/seed_data.py --trainer; a third staff questionnaire, tests/factories.py's two-question quiz, is published
so that an order can differ from the order listed)."""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import SeededDatabase, running_server
from tests.browser.staff_steps import log_in
from tests.factories import knowledge_instrument
from tests.processes import environment, flask, prepare_database, run_python

PRE_TEST = "Staff knowledge test (before training) (1.0)"
POST_TEST = "Staff knowledge test (after training) (1.0)"
QUIZ = "Quiz (1.0)"
"""The English titles of staff_knowledge_pre, staff_knowledge_post (the shipped files) and staff_quiz."""
CHILDREN_TITLE = "WHO-5"


@pytest.fixture(scope="module")
def planning_database(tmp_path_factory, chromium_path) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("planning-db")
    database = folder / "seeded.sqlite"
    env = environment(f"sqlite:///{database}")
    prepare_database(env)
    quiz = folder / "staff_quiz-1.0.yaml"
    quiz.write_text(json.dumps(knowledge_instrument()), encoding="utf-8")
    run_python(flask(["instruments", "load", str(quiz)]), env)
    seeded = json.loads(
        run_python(["-m", "tests.seed_data", "0", "who5", "--trainer", "trainer"], env).splitlines()[-1]
    )
    return database, seeded


@pytest.fixture(scope="module")
def kiosk_server(planning_database, tmp_path_factory):
    database, seeded = planning_database
    with running_server(
        SeededDatabase(database, seeded["join_code"], []), tmp_path_factory.mktemp("planning-server")
    ) as server:
        yield server


def stored_tests(database: Path, title: str) -> dict[str, tuple[bool, list[str]]]:
    """{wave: (is open, [instrument code, ...] in the session's order)} of the training's sessions."""
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT survey_session.wave, survey_session.is_open, instrument.code FROM training"
            " JOIN survey_session ON survey_session.training_id = training.id"
            " JOIN session_instrument ON session_instrument.session_id = survey_session.id"
            " JOIN instrument_version ON instrument_version.id = session_instrument.instrument_version_id"
            " JOIN instrument ON instrument.id = instrument_version.instrument_id"
            " WHERE training.title = ? ORDER BY survey_session.id, session_instrument.position",
            (title,),
        ).fetchall()
    tests: dict[str, tuple[bool, list[str]]] = {}
    for wave, is_open, code in rows:
        tests.setdefault(wave, (bool(is_open), []))[1].append(code)
    return tests


def stored_join_code(database: Path, title: str, wave: str) -> str:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(
            "SELECT survey_session.join_code FROM survey_session"
            " JOIN training ON training.id = survey_session.training_id"
            " WHERE training.title = ? AND survey_session.wave = ?",
            (title, wave),
        ).fetchone()[0]


def give_in_order(page: Page, test: str, order: dict[str, int]) -> None:
    """In the fieldset of ``test`` (pre_test or post_test): each questionnaire's place, the others not given."""
    fieldset = page.locator(f"fieldset#{test}")
    for title, number in order.items():
        fieldset.get_by_label(title, exact=True).select_option(str(number))


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with JavaScript"])
def test_a_trainer_plans_a_staff_training_with_its_tests_in_a_chosen_order(
    open_tablet, kiosk_server, planning_database, screenshot, javascript
):
    database, seeded = kiosk_server.database, planning_database[1]
    title = f"Child protection for staff ({'with' if javascript else 'without'} JavaScript)"
    page = open_tablet(java_script_enabled=javascript).new_page()
    log_in(page, seeded["trainer"]["username"], seeded["trainer"]["password"])

    page.get_by_role("link", name="Trainings").first.click()
    page.get_by_role("link", name="Plan a training").click()
    page.get_by_role("button", name="Staff", exact=True).click()
    offered = page.locator("fieldset#pre_test label")
    expect(offered).to_have_text([POST_TEST, PRE_TEST, QUIZ])
    assert CHILDREN_TITLE not in page.content()

    page.get_by_label("Title").fill(title)
    page.get_by_label("Date").fill("2026-12-10")
    page.get_by_label("Place").fill("Mayor's office, Osh")
    give_in_order(page, "pre_test", {QUIZ: 1, PRE_TEST: 2})
    give_in_order(page, "post_test", {QUIZ: 1, POST_TEST: 2})
    screenshot(page, "planning-form")
    page.get_by_role("button", name="Plan the training").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("tr#pre-test ol li")).to_have_text([QUIZ, PRE_TEST])
    expect(page.locator("tr#post-test ol li")).to_have_text([QUIZ, POST_TEST])
    expect(page.get_by_role("button", name="Start the post-test")).to_be_visible()
    screenshot(page, "training-page")
    assert stored_tests(database, title) == {
        "baseline": (True, ["staff_quiz", "staff_knowledge_pre"]),
        "post": (False, ["staff_quiz", "staff_knowledge_post"]),
    }

    page.locator("tr#pre-test").get_by_role("link", name="Show the join screen").click()
    stored = stored_join_code(database, title, "baseline")
    expect(page.locator("p.join-code")).to_have_text(f"{stored[:4]}-{stored[4:8]}-{stored[8:]}")  # as read out
    expect(page.locator("img.qr-code")).to_be_visible()
    screenshot(page, "join-screen")
