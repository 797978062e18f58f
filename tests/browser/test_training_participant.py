"""A participant of a staff training, by touch: the pre-test, then the post-test once the trainer starts it (closed
until then), with and without JavaScript. An adult reads the adults' consent text, never the children's assent,
and each phase is stored once with the consent text agreed to (tests/seed_data.py --staff-training)."""

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import (
    answer_all_on_one_page,
    answer_screen_by_screen,
    choose_language,
    expect_questionnaire,
    give_assent,
    join,
    send,
    wait_until_stored,
)
from tests.browser.server import SeededDatabase, running_server
from tests.processes import environment, prepare_database, run_python

STAFF = 2
"""One staff member for each test: a submission is once per person and session."""
# Some questions answered, some left out (the knowledge tests have no required question); the correct options
# are in staff_knowledge_pre-1.0.yaml and staff_knowledge_post-1.0.yaml ("correct").
PRE_ANSWERS = {"staff_pre_law_1": 2, "staff_pre_law_2": 1, "staff_pre_abuse_1": 3}
POST_ANSWERS = {"staff_post_law_1": 3, "staff_post_law_2": 4, "staff_post_abuse_1": 2}
ADULT_CONSENT = "adult_consent-1"


@pytest.fixture(scope="module")
def training(tmp_path_factory, chromium_path) -> dict:
    """A database with a staff training (pre-test open, post-test closed) and its staff members."""
    path = tmp_path_factory.mktemp("training-db") / "seeded.sqlite"
    env = environment(f"sqlite:///{path}")
    prepare_database(env)
    seeded = json.loads(
        run_python(["-m", "tests.seed_data", "0", "who5", "--staff-training", str(STAFF)], env).splitlines()[-1]
    )
    return {**seeded["training"], "database": path}


@pytest.fixture(scope="module")
def kiosk_server(training, tmp_path_factory):
    seeded = SeededDatabase(training["database"], training["pre_join_code"], training["staff"])
    with running_server(seeded, tmp_path_factory.mktemp("training-server")) as server:
        yield server


def set_post_test_open(database: Path, session_id: int, is_open: bool) -> None:
    """What the trainer's "start the post-test" does to the session."""
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE survey_session SET is_open = ? WHERE id = ?", (is_open, session_id))


def phases_stored(database: Path, member: str) -> list[tuple[str, str, dict]]:
    """(join code, consent text, answers) of each of the member's submissions, in the order received."""
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT survey_session.join_code, submission.consent_text, submission.answers FROM submission"
            " JOIN respondent ON respondent.id = submission.respondent_id"
            " JOIN survey_session ON survey_session.id = submission.session_id"
            " WHERE respondent.code = ? ORDER BY submission.id",
            (member,),
        ).fetchall()
    return [(join_code, consent, json.loads(answers)) for join_code, consent, answers in rows]


def expect_adult_consent(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    expect(page.locator("h1")).to_have_text("Consent to take part")
    expect(page.locator("#consent-text")).to_contain_text("Center for the protection and development of vulnerable")
    expect(page.locator("#consent-text")).to_contain_text("Taking part is voluntary")
    expect(page.locator("body")).not_to_contain_text("We are asking children")


def expect_addressed_as_an_adult(page: Page) -> None:
    expect(page.locator('[data-for="adults"]')).to_be_visible()
    expect(page.locator('[data-for="children"]')).to_be_hidden()


def expect_post_test_closed_then_open_it(page: Page, server, training: dict, member: str, screenshot) -> None:
    """The QR link of the post-test fills in its code; before the trainer starts it, it is closed."""
    set_post_test_open(server.database, training["post_session_id"], False)
    page.goto(f"/kiosk/?code={training['post_join_code']}")
    expect(page.locator("input[name=join_code]")).to_have_value(training["post_join_code"])
    page.locator("input[name=respondent_code]").fill(member)
    page.locator("#join").tap()
    expect(page.locator(".error-box[role=alert]")).to_contain_text("This session is closed")
    screenshot(page, "post-test-closed")
    set_post_test_open(server.database, training["post_session_id"], True)


@pytest.mark.parametrize("java_script_enabled", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_participant_takes_the_pre_test_then_the_post_test_once_it_is_started(
    open_tablet, kiosk_server, training, screenshot, java_script_enabled
):
    member = kiosk_server.next_child()
    tablet = open_tablet(java_script_enabled=java_script_enabled)
    sent = []  # the bodies the tablet's outbox sent to the JSON intake (with JavaScript)
    tablet.on(
        "request",
        lambda request: (
            sent.append(request.post_data_json)
            if request.method == "POST" and request.url.endswith("/api/submissions")
            else None
        ),
    )
    page = tablet.new_page()

    def answer_and_send(instrument: str, answers: dict) -> None:
        expect_questionnaire(page, instrument)
        if java_script_enabled:
            answer_screen_by_screen(page, answers)
            expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=en$"))
        else:
            answer_all_on_one_page(page, answers)
            send(page)
            expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
        expect_addressed_as_an_adult(page)

    page.goto("/kiosk/")
    choose_language(page, "en")
    join(page, training["pre_join_code"], member)
    expect_adult_consent(page)
    screenshot(page, "consent")
    give_assent(page)
    answer_and_send("staff_knowledge_pre", PRE_ANSWERS)
    screenshot(page, "pre-test-thanks")

    expect_post_test_closed_then_open_it(page, kiosk_server, training, member, screenshot)
    page.locator("#join").tap()
    expect_adult_consent(page)
    give_assent(page)
    answer_and_send("staff_knowledge_post", POST_ANSWERS)
    screenshot(page, "post-test-thanks")

    wait_until_stored(page, kiosk_server.database, member, 2)
    if java_script_enabled:  # the id of the text shown, not the server's default for an adult
        assert {(body["instrument"], body["consent_text"]) for body in sent} == {
            ("staff_knowledge_pre", ADULT_CONSENT),
            ("staff_knowledge_post", ADULT_CONSENT),
        }
    assert phases_stored(kiosk_server.database, member) == [
        (training["pre_join_code"], ADULT_CONSENT, PRE_ANSWERS),
        (training["post_join_code"], ADULT_CONSENT, POST_ANSWERS),
    ]
