"""The kiosk with JavaScript, by touch: after assent the tablet leads, one screen at a time, and every finished
questionnaire goes through the tablet's outbox to the JSON intake."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import (
    ACUTE_RUN,
    CALM_RUN,
    HELPLINES,
    INSTRUMENTS,
    WHO5_WELL,
    answer_run,
    answer_screen_by_screen,
    answers_stored,
    choose_language,
    expect_nothing_of,
    expect_questionnaire,
    give_assent,
    go_back,
    join,
    outbox,
    run_next_child,
    start_run,
    stored_submissions,
    wait_until_stored,
)


@pytest.fixture
def page(open_tablet) -> Page:
    return open_tablet().new_page()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_child_answers_every_questionnaire_by_touch(page, kiosk_server, screenshot, language):
    child = kiosk_server.next_child()
    page.goto("/kiosk/")
    choose_language(page, language)
    join(page, kiosk_server.join_code, child)
    screenshot(page, "assent")
    give_assent(page)
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        expect(page).to_have_url(re.compile(rf"/kiosk/take/\d+\?lang={language}$"))
        expect(page.locator("#questionnaire .question:visible")).to_have_count(1)  # one question per screen
        expect(page.locator(".progress progress")).to_have_count(2)  # this questionnaire and the session
        screenshot(page, f"{instrument}-first-screen")
        answer_screen_by_screen(page, ACUTE_RUN[instrument])
    expect(page).to_have_url(re.compile(rf"/kiosk/done\?lang={language}$"))
    for number in HELPLINES:
        expect(page.locator("#support ul.helplines")).to_contain_text(number)
    screenshot(page, "done")

    wait_until_stored(page, kiosk_server.database, child, len(INSTRUMENTS))
    assert answers_stored(kiosk_server.database, child) == ACUTE_RUN
    stored = stored_submissions(kiosk_server.database, child)
    assert {submission.language for submission in stored} == {language}
    flags = {submission.instrument: (submission.flag_level, submission.has_alert) for submission in stored}
    assert flags == {"who5": ("none", False), "asq": ("acute", True), "violence": ("none", False)}
    assert outbox(page) == []


def test_a_calm_run_ends_without_the_helplines(page, kiosk_server):
    child = kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, child)
    answer_run(page, CALM_RUN)
    expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=ru$"))
    wait_until_stored(page, kiosk_server.database, child, len(INSTRUMENTS))
    expect(page.locator("#done-status")).not_to_be_empty()  # decided: the helplines stay hidden
    expect(page.locator("#support")).to_be_hidden()
    assert answers_stored(kiosk_server.database, child) == CALM_RUN


def test_the_next_child_sees_nothing_of_the_previous_one(page, kiosk_server, screenshot):
    first, second = kiosk_server.next_child(), kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, first)
    answer_run(page, ACUTE_RUN)
    expect(page.locator("#support")).to_be_visible()
    wait_until_stored(page, kiosk_server.database, first, len(INSTRUMENTS))

    go_back(page)  # to the last questionnaire: its answers are gone, and the tablet goes to the join page
    expect(page).to_have_url(re.compile(r"/kiosk/$"))
    expect_nothing_of(page, first)
    screenshot(page, "back-after-done")
    assert first not in page.evaluate("JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")

    run_next_child(page, kiosk_server.join_code, second, first, answer_screen_by_screen)
    expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=ru$"))
    expect(page.locator("#done-status")).not_to_be_empty()
    expect(page.locator("#support")).to_be_hidden()
    screenshot(page, "second-child-done")

    wait_until_stored(page, kiosk_server.database, second, len(INSTRUMENTS))
    assert answers_stored(kiosk_server.database, second) == CALM_RUN
    assert answers_stored(kiosk_server.database, first) == ACUTE_RUN


def test_a_child_who_stops_leaves_no_draft_for_the_next(page, kiosk_server, screenshot):
    first, second = kiosk_server.next_child(), kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, first)
    answer_screen_by_screen(page, WHO5_WELL, stop_after=2)
    page.locator("#start-over button").tap()
    dialog = page.locator("dialog.kiosk-dialog")
    expect(dialog).to_be_visible()
    screenshot(page, "start-over-dialog")
    dialog.locator("button.secondary").tap()  # "Yes, start over"; the first button keeps the answers
    expect(page).to_have_url(re.compile(r"/kiosk/$"))
    expect_nothing_of(page, first)

    join(page, kiosk_server.join_code, second)
    give_assent(page)
    expect_questionnaire(page, "who5")
    expect_nothing_of(page, first)
    answer_screen_by_screen(page, WHO5_WELL)
    expect_questionnaire(page, "asq")
    wait_until_stored(page, kiosk_server.database, second, 1)
    assert stored_submissions(kiosk_server.database, first) == []
    assert answers_stored(kiosk_server.database, second) == {"who5": WHO5_WELL}
