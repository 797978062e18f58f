"""What a child does on the kiosk, step by step, and what the database holds afterwards (read with sqlite3)."""
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

INSTRUMENTS = ("who5", "asq", "violence")
"""The order of the seeded session (seed_data.py)."""

# WHO-5: "More than half of the time" (3) to all five: raw 15, percentage 15 x 4 = 60 > 50, so neither WHO-5 flag
# (<= 28 likely depression, 29-50 poor wellbeing; who5-1.0.yaml, after the WHO 2024 edition).
WHO5_WELL = {"who5_1": 3, "who5_2": 3, "who5_3": 3, "who5_4": 3, "who5_5": 3}
# ASQ: "no" (0) to questions 1-4 and "yes" (1) to question 5, "thoughts of killing yourself right now": an acute
# positive screen whatever 1-4 say (NIMH ASQ tool: Q5 yes = acute; asq-1.0.yaml flag asq_acute).
ASQ_ACUTE = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}
# Violence screen: no violence, always safe at home and at school, a trusted adult: none of its referral flags.
VIOLENCE_SAFE = {"viol_home_hit": 0, "viol_home_fear": 0, "viol_school": 0, "viol_safe_home": 2,
                 "viol_safe_school": 2, "viol_trusted_adult": 1}
ACUTE_ASQ_RUN = {"who5": WHO5_WELL, "asq": ASQ_ACUTE, "violence": VIOLENCE_SAFE}
HELPLINES = ("111", "112")
"""The default HELPLINES setting (README, configuration)."""


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
            " WHERE respondent.code = ? ORDER BY submission.id", (child,),
        ).fetchall()
    return [StoredSubmission(code, language, flag, json.loads(answers), bool(alert))
            for code, language, flag, answers, alert in rows]


def instruments_stored(database: Path, child: str) -> list[str]:
    return sorted(submission.instrument for submission in stored_submissions(database, child))


def choose_language(page: Page, language: str) -> None:
    page.locator(f"form.languages button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def join(page: Page, join_code: str, child: str) -> None:
    page.locator("input[name=join_code]").fill(join_code)
    page.locator("input[name=respondent_code]").fill(child)
    page.locator("#join").click()


def give_assent(page: Page) -> None:
    page.locator("button[name=answer][value=yes]").click()


def expect_questionnaire(page: Page, instrument: str) -> None:
    expect(page.locator(f"form#questionnaire[data-instrument={instrument}]")).to_be_visible()


def choose(page: Page, item: str, value: int) -> None:
    page.locator(f'#questionnaire input[name="{item}"][value="{value}"]').check()


def answer_all_on_one_page(page: Page, answers: dict) -> None:
    """The page without JavaScript: every question at once, then "Send my answers"."""
    for item, value in answers.items():
        choose(page, item, value)


def send(page: Page) -> None:
    page.locator("#send").click()
