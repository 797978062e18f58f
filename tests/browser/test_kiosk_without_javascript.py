"""The kiosk without JavaScript (an old tablet, scripts blocked): the whole path on server-rendered pages."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import (
    ACUTE_ASQ_RUN, HELPLINES, INSTRUMENTS, WHO5_WELL, answer_all_on_one_page, choose_language,
    expect_questionnaire, give_assent, join, send, stored_submissions,
)

YES = {"ky": "Ооба", "ru": "Да"}
"""ASQ question 5's first option in each language, as in the translated instrument."""


def answer_every_questionnaire(page: Page, runs: dict, screenshot=None) -> None:
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        answer_all_on_one_page(page, runs[instrument])
        if screenshot:
            screenshot(page, instrument)
        send(page)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_child_answers_every_questionnaire_and_an_acute_asq_shows_the_helplines(
        open_tablet, kiosk_server, screenshot, language):
    child = kiosk_server.next_child()
    page = open_tablet(java_script_enabled=False).new_page()
    page.goto("/kiosk/")
    choose_language(page, language)
    screenshot(page, "join")
    join(page, kiosk_server.join_code, child)
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    screenshot(page, "assent")
    give_assent(page)
    expect_questionnaire(page, "who5")
    answer_every_questionnaire(page, ACUTE_ASQ_RUN, screenshot)
    expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
    for number in HELPLINES:
        expect(page.locator("section.support ul.helplines")).to_contain_text(number)
    screenshot(page, "thanks")

    stored = stored_submissions(kiosk_server.database, child)
    assert [submission.instrument for submission in stored] == list(INSTRUMENTS)
    assert {submission.instrument: submission.answers for submission in stored} == ACUTE_ASQ_RUN
    assert {submission.language for submission in stored} == {language}
    flags = {submission.instrument: (submission.flag_level, submission.has_alert) for submission in stored}
    assert flags == {"who5": ("none", False), "asq": ("acute", True), "violence": ("none", False)}


def test_the_questionnaire_is_in_the_tablet_language(open_tablet, kiosk_server):
    page = open_tablet(java_script_enabled=False).new_page()
    page.goto("/kiosk/")
    for language in ("ru", "ky"):
        choose_language(page, language)
        join(page, kiosk_server.join_code, kiosk_server.next_child())
        give_assent(page)
        answer_all_on_one_page(page, WHO5_WELL)
        send(page)
        expect_questionnaire(page, "asq")
        expect(page.locator("#q-asq_5 label").first).to_contain_text(YES[language])
        page.goto("/kiosk/")


def go_back(page: Page) -> None:
    """The back button; a page restored from the back/forward cache fires no load event (expect_nothing_of waits
    for the document instead)."""
    page.go_back(wait_until="commit")


def expect_nothing_of(page: Page, child: str) -> None:
    """No code of the child in the page or typed into a field, and no option chosen ("No answer" aside)."""
    page.wait_for_function("document.readyState === 'complete'")
    assert child not in page.content()
    for field in page.locator("input[type=text], input:not([type]), input[type=number], textarea").all():
        assert child not in field.input_value()
    assert page.locator("input:checked:not([value=\"\"])").count() == 0


def test_the_next_child_sees_nothing_of_the_previous_one(open_tablet, kiosk_server, screenshot):
    first, second = kiosk_server.next_child(), kiosk_server.next_child()
    # "Yes" to ASQ question 1 and 5: acute in the NIMH flow, so the first child's thank-you page has the helplines.
    first_run = {**ACUTE_ASQ_RUN, "asq": {"asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}}
    page = open_tablet(java_script_enabled=False).new_page()
    page.goto("/kiosk/")
    choose_language(page, "ru")
    join(page, kiosk_server.join_code, first)
    give_assent(page)
    answer_every_questionnaire(page, first_run)
    expect(page.locator("section.support")).to_be_visible()

    for _ in INSTRUMENTS:
        go_back(page)
        expect_nothing_of(page, first)
    screenshot(page, "back-after-thanks")

    page.goto("/kiosk/")
    expect_nothing_of(page, first)
    join(page, kiosk_server.join_code, second)
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    expect_nothing_of(page, first)
    give_assent(page)
    second_run = {**ACUTE_ASQ_RUN, "asq": {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}}
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        expect_nothing_of(page, first)
        answer_all_on_one_page(page, second_run[instrument])
        send(page)
    expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
    screenshot(page, "second-child-thanks")
    expect(page.locator("section.support")).not_to_be_visible()

    assert {s.instrument: s.answers for s in stored_submissions(kiosk_server.database, second)} == second_run
    assert {s.instrument: s.answers for s in stored_submissions(kiosk_server.database, first)} == first_run
