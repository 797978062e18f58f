"""A tablet left alone goes back to the join page and forgets the child's unfinished answers, so the next child
finds nothing. This module's server has a short idle time (KIOSK_IDLE_SECONDS, KIOSK_IDLE_WARNING_SECONDS)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.kiosk_steps import (
    ACUTE_RUN,
    INSTRUMENTS,
    WHO5_WELL,
    answer_all_on_one_page,
    answer_run,
    answer_screen_by_screen,
    expect_nothing_of,
    expect_questionnaire,
    give_assent,
    join,
    start_run,
    stored_submissions,
    wait_until_stored,
)
from tests.browser.server import running_server

IDLE_SECONDS = 4
WARNING_SECONDS = 3
RESET_WITHIN_MS = (IDLE_SECONDS + WARNING_SECONDS + 20) * 1000
"""Generous: timers of a page on a busy 2-core machine run late."""
JOIN_PAGE = re.compile(r"/kiosk/$")


@pytest.fixture(scope="module")
def kiosk_server(seeded_database, tmp_path_factory):
    settings = {"KIOSK_IDLE_SECONDS": str(IDLE_SECONDS), "KIOSK_IDLE_WARNING_SECONDS": str(WARNING_SECONDS)}
    with running_server(seeded_database, tmp_path_factory.mktemp("idle-server"), settings) as server:
        yield server


def test_an_idle_questionnaire_warns_then_goes_back_to_the_start_without_the_answers(
    open_tablet, kiosk_server, screenshot, record_timing
):
    child = kiosk_server.next_child()
    page = open_tablet().new_page()
    start_run(page, kiosk_server.join_code, child)
    expect_questionnaire(page, "who5")
    answer_screen_by_screen(page, WHO5_WELL, stop_after=2)
    take_url = page.url
    last_touch = time.monotonic()

    warning = page.locator("dialog.kiosk-dialog")
    expect(warning).to_be_visible(timeout=RESET_WITHIN_MS)
    expect(warning.locator(".countdown")).to_be_visible()
    screenshot(page, "idle-warning")
    expect(page).to_have_url(JOIN_PAGE, timeout=RESET_WITHIN_MS)
    record_timing(
        f"idle reset after the last touch (set: {IDLE_SECONDS} s + {WARNING_SECONDS} s warning)",
        time.monotonic() - last_touch,
    )
    expect_nothing_of(page, child)
    assert child not in page.evaluate("JSON.stringify(sessionStorage)")

    page.goto(take_url)  # the questionnaire again: the run is forgotten, so the tablet goes to the join page
    expect(page).to_have_url(JOIN_PAGE)
    assert stored_submissions(kiosk_server.database, child) == []

    join(page, kiosk_server.join_code, kiosk_server.next_child())  # the next child starts afresh
    give_assent(page)
    expect_questionnaire(page, "who5")
    expect_nothing_of(page, child)
    expect(page.locator("#q-who5_1")).to_be_visible()


def test_continue_keeps_the_answers(open_tablet, kiosk_server):
    child = kiosk_server.next_child()
    page = open_tablet().new_page()
    start_run(page, kiosk_server.join_code, child)
    expect_questionnaire(page, "who5")
    answer_screen_by_screen(page, WHO5_WELL, stop_after=1)
    warning = page.locator("dialog.kiosk-dialog")
    expect(warning).to_be_visible(timeout=RESET_WITHIN_MS)
    warning.locator("button").first.tap()  # "Continue"
    expect(warning).to_have_count(0)
    expect(page.locator("#q-who5_2")).to_be_visible()
    answer_screen_by_screen(page, WHO5_WELL)
    expect_questionnaire(page, "asq")
    wait_until_stored(page, kiosk_server.database, child, 1)
    assert [submission.answers for submission in stored_submissions(kiosk_server.database, child)] == [WHO5_WELL]


def test_the_done_page_goes_back_to_the_start_so_the_next_child_does_not_see_the_helplines(open_tablet, kiosk_server):
    child = kiosk_server.next_child()
    page = open_tablet().new_page()
    start_run(page, kiosk_server.join_code, child)
    answer_run(page, ACUTE_RUN)
    expect(page.locator("#support")).to_be_visible()
    expect(page).to_have_url(JOIN_PAGE, timeout=RESET_WITHIN_MS)
    wait_until_stored(page, kiosk_server.database, child, len(INSTRUMENTS))


def test_without_javascript_an_idle_questionnaire_goes_back_to_the_start(open_tablet, kiosk_server):
    child = kiosk_server.next_child()
    page = open_tablet(java_script_enabled=False).new_page()
    start_run(page, kiosk_server.join_code, child)
    expect_questionnaire(page, "who5")
    answer_all_on_one_page(page, {"who5_1": 3, "who5_2": 3})
    expect(page).to_have_url(JOIN_PAGE, timeout=RESET_WITHIN_MS)
    expect_nothing_of(page, child)
    page.goto("/kiosk/questionnaire")
    expect(page).to_have_url(JOIN_PAGE)
    assert stored_submissions(kiosk_server.database, child) == []
