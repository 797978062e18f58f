"""The kiosk without JavaScript (an old tablet, scripts blocked): the whole path on server-rendered pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import (
    ACUTE_RUN,
    ASQ_ACUTE,
    CALM_RUN,
    HELPLINES,
    INSTRUMENTS,
    WHO5_WELL,
    answer_all_on_one_page,
    answer_on_one_page_and_send,
    answers_stored,
    choose_language,
    expect_nothing_of,
    expect_questionnaire,
    give_assent,
    go_back,
    join,
    run_next_child,
    send,
    start_run,
    stored_submissions,
)

ACUTE_RUN_WITHOUT_JS = {**ACUTE_RUN, "asq": ASQ_ACUTE}
YES = {"ky": "Ооба", "ru": "Да"}
"""ASQ question 5's first option in each language, as in the translated instrument."""


@pytest.fixture
def page(open_tablet) -> Page:
    return open_tablet(java_script_enabled=False).new_page()


def answer_every_questionnaire(page: Page, run: dict, screenshot=None) -> None:
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        answer_all_on_one_page(page, run[instrument])
        if screenshot:
            screenshot(page, instrument)
        send(page)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_child_answers_every_questionnaire_and_an_acute_asq_shows_the_helplines(
    page, kiosk_server, screenshot, language
):
    child = kiosk_server.next_child()
    page.goto("/kiosk/")
    choose_language(page, language)
    screenshot(page, "join")
    join(page, kiosk_server.join_code, child)
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    screenshot(page, "assent")
    give_assent(page)
    answer_every_questionnaire(page, ACUTE_RUN_WITHOUT_JS, screenshot)
    expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
    for number in HELPLINES:
        expect(page.locator("section.support ul.helplines")).to_contain_text(number)
    screenshot(page, "thanks")

    assert answers_stored(kiosk_server.database, child) == ACUTE_RUN_WITHOUT_JS
    stored = stored_submissions(kiosk_server.database, child)
    assert [submission.instrument for submission in stored] == list(INSTRUMENTS)
    assert {submission.language for submission in stored} == {language}
    flags = {submission.instrument: (submission.flag_level, submission.has_alert) for submission in stored}
    assert flags == {"who5": ("none", False), "asq": ("acute", True), "violence": ("none", False)}


def test_the_questionnaire_is_in_the_tablet_language(page, kiosk_server):
    page.goto("/kiosk/")
    for language in ("ru", "ky"):
        choose_language(page, language)
        join(page, kiosk_server.join_code, kiosk_server.next_child())
        give_assent(page)
        answer_on_one_page_and_send(page, WHO5_WELL)
        expect_questionnaire(page, "asq")
        expect(page.locator("#q-asq_5 label").first).to_contain_text(YES[language])
        page.goto("/kiosk/")


def test_the_next_child_sees_nothing_of_the_previous_one(page, kiosk_server, screenshot):
    first, second = kiosk_server.next_child(), kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, first)
    answer_every_questionnaire(page, ACUTE_RUN)
    expect(page.locator("section.support")).to_be_visible()

    for _ in INSTRUMENTS:
        go_back(page)
        expect_nothing_of(page, first)
    screenshot(page, "back-after-thanks")

    page.goto("/kiosk/")
    expect_nothing_of(page, first)
    run_next_child(page, kiosk_server.join_code, second, first, answer_on_one_page_and_send)
    expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
    screenshot(page, "second-child-thanks")
    expect(page.locator("section.support")).not_to_be_visible()

    assert answers_stored(kiosk_server.database, second) == CALM_RUN
    assert answers_stored(kiosk_server.database, first) == ACUTE_RUN
