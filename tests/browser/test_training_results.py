"""The trainer's results page of a held staff training (tests/seed_data.py --staff-training --with-results): the
trainer logs in, reads each participant's result, the group's and the questions in Kyrgyz (their language), and
downloads the training report.

The seeded answers (of the 15 questions of staff_knowledge_pre/post-1.0): Айгүл 6 right before, 12 after; Бакыт 9
and 14; Нурлан 5 and 11. Percent correct: 40 -> 80, 60 -> 93.3, 33.3 -> 73.3; the group 20/45 = 44.4% before and
37/45 = 82.2% after.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.server import SeededDatabase, running_server
from tests.browser.staff_steps import log_in
from tests.processes import environment, prepare_database, run_python

STAFF = 3


@pytest.fixture(scope="module")
def training(tmp_path_factory, chromium_path) -> dict:
    """A database with a held staff training: its trainer, three staff on its list by name, both tests taken."""
    path = tmp_path_factory.mktemp("results-db") / "seeded.sqlite"
    env = environment(f"sqlite:///{path}")
    prepare_database(env)
    seeded = json.loads(
        run_python(
            ["-m", "tests.seed_data", "0", "who5", "--staff-training", str(STAFF), "--with-results"],
            env,
        ).splitlines()[-1]
    )
    return {**seeded["training"], "database": path}


@pytest.fixture(scope="module")
def kiosk_server(training, tmp_path_factory):
    seeded = SeededDatabase(training["database"], training["pre_join_code"], training["staff"])
    with running_server(seeded, tmp_path_factory.mktemp("results-server")) as server:
        yield server


def test_the_trainer_reads_the_results_of_their_training_and_downloads_the_report(open_tablet, training, screenshot):
    page = open_tablet().new_page()
    log_in(page, training["trainer"], training["password"])
    page.goto(f"/trainings/{training['training_id']}/results")

    expect(page.locator("html")).to_have_attribute("lang", "ky")
    expect(page.locator("h1")).to_contain_text("Child protection for staff")
    participants = page.locator("table.report").nth(1)
    for name, before, after in zip(training["participants"], ("40%", "60%", "33%"), ("80%", "93%", "73%")):
        row = participants.locator("tr", has_text=name)
        expect(row).to_contain_text(before)
        expect(row).to_contain_text(after)
    expect(page.locator("main")).to_contain_text("44%")
    expect(page.locator("main")).to_contain_text("82%")
    # The questions in the language of the page, with their topics, from the instrument files.
    expect(page.locator("main")).to_contain_text("Ата-энесинин камкордугусуз калган балага")
    expect(page.locator("main")).to_contain_text("Камкордук жана көзөмөл (мыйзам)")
    chart = page.locator("figure.plot img")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.naturalWidth") > 0
    screenshot(page, "results-ky")

    page.select_option("#report-language", "ky")
    with page.expect_download() as download:
        page.locator("button[value=pdf]").click()
    assert download.value.suggested_filename.endswith(f"-{training['training_id']}-ky.pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
