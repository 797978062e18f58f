"""What a child does on the kiosk, step by step (by touch), and what the database holds afterwards (sqlite3)."""

import json
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

INSTRUMENTS = ("who5", "asq", "violence")
"""The seeded session's questionnaires, in its order (server.py)."""

# WHO-5: "More than half of the time" (3) to all five: raw 15, percentage 15 x 4 = 60 > 50, so neither WHO-5 flag
# (<= 28 likely depression, 29-50 poor wellbeing; who5-1.0.yaml, after the WHO 2024 edition).
WHO5_WELL = {"who5_1": 3, "who5_2": 3, "who5_3": 3, "who5_4": 3, "who5_5": 3}
# ASQ: "no" (0) to questions 1-4 and "yes" (1) to question 5, "thoughts of killing yourself right now": an acute
# positive screen whatever 1-4 say (NIMH ASQ tool: Q5 yes = acute; asq-1.0.yaml flag asq_acute). Only a page
# without scripts shows question 5 after four "no".
ASQ_ACUTE = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}
# "Yes" to question 1, so question 5 is asked, and "yes" to it: acute in the NIMH flow, on any page.
ASQ_ACUTE_ASKED = {"asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}
# "No" to questions 1-4: a negative screen, question 5 not asked (NIMH ASQ tool).
ASQ_NEGATIVE = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
# Violence screen: no violence, always safe at home and at school, a trusted adult: none of its referral flags.
VIOLENCE_SAFE = {
    "viol_home_hit": 0,
    "viol_home_fear": 0,
    "viol_school": 0,
    "viol_safe_home": 2,
    "viol_safe_school": 2,
    "viol_trusted_adult": 1,
}
ACUTE_RUN = {"who5": WHO5_WELL, "asq": ASQ_ACUTE_ASKED, "violence": VIOLENCE_SAFE}
CALM_RUN = {"who5": WHO5_WELL, "asq": ASQ_NEGATIVE, "violence": VIOLENCE_SAFE}
HELPLINES = ("111", "112")
"""The default HELPLINES setting (README, configuration)."""
STORE_WAIT_SECONDS = 120
"""How long the outbox may take to reach the server: its back-off is capped at 60 s (queue.js)."""


# ---- The database ---------------------------------------------------------------------------------------------


@dataclass
class StoredSubmission:
    instrument: str
    language: str
    flag_level: str
    answers: dict
    has_alert: bool


def stored_submissions(database: Path, child: str) -> list[StoredSubmission]:
    """The child's submissions as stored by the server, in the order received."""
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT instrument.code, submission.language, submission.flag_level, submission.answers,"
            "       EXISTS (SELECT 1 FROM alert WHERE alert.submission_id = submission.id)"
            " FROM submission"
            " JOIN respondent ON respondent.id = submission.respondent_id"
            " JOIN instrument_version ON instrument_version.id = submission.instrument_version_id"
            " JOIN instrument ON instrument.id = instrument_version.instrument_id"
            " WHERE respondent.code = ? ORDER BY submission.id",
            (child,),
        ).fetchall()
    return [
        StoredSubmission(code, language, flag, json.loads(answers), bool(alert))
        for code, language, flag, answers, alert in rows
    ]


def answers_stored(database: Path, child: str) -> dict:
    """{instrument: answers}; a second submission of one instrument would make the lengths differ."""
    stored = stored_submissions(database, child)
    answers = {submission.instrument: submission.answers for submission in stored}
    assert len(answers) == len(stored), f"more than one submission of an instrument: {[s.instrument for s in stored]}"
    return answers


def wait_until_stored(page: Page, database: Path, child: str, count: int) -> float:
    """Waits until the server holds ``count`` of the child's submissions; returns the seconds it took. Polls
    through the page, so that Playwright keeps serving routes and events meanwhile."""
    started = time.monotonic()
    while len(stored_submissions(database, child)) < count:
        assert time.monotonic() - started < STORE_WAIT_SECONDS, (
            f"{len(stored_submissions(database, child))} of {count} submissions stored after {STORE_WAIT_SECONDS} s"
        )
        page.wait_for_timeout(50)
    return time.monotonic() - started


# ---- Pages with or without JavaScript ---------------------------------------------------------------------------


def choose_language(page: Page, language: str) -> None:
    page.locator(f"form.languages button[name=language][value={language}]").tap()
    expect(page.locator("html")).to_have_attribute("lang", language)


def join(page: Page, join_code: str, child: str) -> None:
    page.locator("input[name=join_code]").fill(join_code)
    page.locator("input[name=respondent_code]").fill(child)
    page.locator("#join").tap()


def give_assent(page: Page) -> None:
    page.locator("button[name=answer][value=yes]").tap()


def expect_questionnaire(page: Page, instrument: str) -> None:
    expect(page.locator(f"form#questionnaire[data-instrument={instrument}]")).to_be_visible()


def go_back(page: Page) -> None:
    """The back button; a page restored from the back/forward cache fires no load event (expect_nothing_of waits
    for the document instead)."""
    page.go_back(wait_until="commit")


def expect_nothing_of(page: Page, child: str) -> None:
    """No code of the child in the page or typed into a field, and no option chosen ("No answer" aside)."""
    # A function, not a bare expression: Playwright evaluates a bare expression again at each poll, which the
    # kiosk's Content-Security-Policy (no 'unsafe-eval') refuses when the page is not complete at the first look.
    page.wait_for_function("() => document.readyState === 'complete'")
    assert child not in page.content()
    for field in page.locator("input[type=text], input:not([type]), input[type=number], textarea").all():
        assert child not in field.input_value()
    assert page.locator('input:checked:not([value=""])').count() == 0


def start_run(page: Page, join_code: str, child: str, language: str = "ru") -> None:
    page.goto("/kiosk/")
    choose_language(page, language)
    join(page, join_code, child)
    give_assent(page)


def run_next_child(page: Page, join_code: str, child: str, previous: str, answer_questionnaire) -> None:
    """The next child joins (on the join page), assents and answers the calm run, ``answer_questionnaire(page,
    answers)`` on each questionnaire; no page on the way shows anything of the ``previous`` child."""
    join(page, join_code, child)
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    expect_nothing_of(page, previous)
    give_assent(page)
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        expect_nothing_of(page, previous)
        answer_questionnaire(page, CALM_RUN[instrument])


# ---- Without JavaScript: every question on one page --------------------------------------------------------------


def answer_all_on_one_page(page: Page, answers: dict) -> None:
    for item, value in answers.items():
        page.locator(f'#questionnaire input[name="{item}"][value="{value}"]').tap()


def send(page: Page) -> None:
    page.locator("#send").tap()


def answer_on_one_page_and_send(page: Page, answers: dict) -> None:
    answer_all_on_one_page(page, answers)
    send(page)


# ---- With JavaScript: one screen at a time ---------------------------------------------------------------------

MAX_SCREENS = 60
"""More screens than any shipped questionnaire has: a loop that never reaches Send fails instead of hanging."""


def tap_option(page: Page, item: str, value: int) -> None:
    page.locator(f"#q-{item} label").filter(has=page.locator(f'input[value="{value}"]')).tap()
    expect(page.locator(f'#q-{item} input[value="{value}"]')).to_be_checked()


def answer_screen_by_screen(page: Page, answers: dict, before_send=None, stop_after: int | None = None) -> None:
    """Taps the given answers screen by screen (questions without one are left empty), Next after each screen
    and Send on the last; ``before_send()`` runs just before Send. Returns once the next page is loading, or
    on the screen after ``stop_after`` screens."""
    start_url = page.url
    # Until run.js has made the screens, every question of the page is visible.
    expect(page.locator("form#questionnaire[data-screens-ready]")).to_be_attached()
    for screen in range(MAX_SCREENS):
        if screen == stop_after:
            return
        shown = page.locator("#questionnaire .question:visible")
        expect(shown.first).to_be_visible()
        items = [question.get_attribute("data-item") for question in shown.all()]
        for item in items:
            if item in answers:
                tap_option(page, item, answers[item])
        if page.locator("#next").is_visible():
            page.locator("#next").tap()
            expect(page.locator(f"#q-{items[0]}")).to_be_hidden()
            continue
        if before_send:
            before_send()
        page.locator("#send").tap()
        page.wait_for_url(lambda url: url != start_url)
        return
    raise AssertionError(f"No Send button after {MAX_SCREENS} screens")


def answer_run(page: Page, run: dict) -> None:
    for instrument in INSTRUMENTS:
        expect_questionnaire(page, instrument)
        answer_screen_by_screen(page, run[instrument])


def outbox(page: Page) -> list[dict]:
    """The tablet's outbox (IndexedDB), as queue.js lists it: [{uuid, state, body}]."""
    return page.evaluate("window.SurveyKiosk.queue.entries()")
