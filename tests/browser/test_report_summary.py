"""The mayor's office reads the indicator report in Kyrgyz: the Indicators page opens with the summary (target,
reach, result, success rule and verdict per indicator, and its chart) above the annex of statistics, and the first
page of the PDF is that summary (rendered to PNG with poppler's pdftoppm, as a reader sees it).

The programme is the demo generator's, small: 40 children (target 500) and 12 parents (target 100) cannot meet
their targets by reach; 30 staff (target 25) may. Screenshots: report-summary-ky.png (the page) and
report-summary-ky-pdf-page1.png (the PDF's first page) in test-artifacts/screenshots/.
"""

import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.server import SeededDatabase, running_server
from tests.browser.staff_steps import log_in
from tests.processes import environment, flask, prepare_database, run_python

PDFTOPPM = Path("/usr/bin/pdftoppm")
KYRGYZ_TITLES = (
    "Эмгек мигранттарынын жардамга муктаж балдары",
    "Балдардын өзүн-өзү баалоосу жогорулайт",
    "Балдардын жыргалчылыгы жакшырат",
    "Мээриянын кызматкерлери балдарга жардам берүүдө",
    "Ата-энелер жана камкорчулар позитивдүү тарбия",
)
"""The programme's indicators in Kyrgyz (reports/services.py PROGRAMME_INDICATORS), in the table's order."""
CERTAINLY_NOT_MET = (0, 1, 2, 4)
"""Children's and parents' indicators: fewer surveyed than their targets, whatever the results."""


@pytest.fixture(scope="module")
def programme_database(tmp_path_factory, chromium_path) -> dict:
    """The demo programme at a small size and the mayor's office's account, whose language is Kyrgyz."""
    path = tmp_path_factory.mktemp("report-db") / "seeded.sqlite"
    env = environment(f"sqlite:///{path}")
    prepare_database(env)
    run_python(flask(["demo", "programme", "--children", "40", "--staff", "30", "--parents", "12"]), env)
    created = run_python(flask(["users", "create", "mayor", "--role", "viewer", "--language", "ky"]), env)
    return {"path": path, "password": re.search(r"Password \(shown once\): (\S+)", created).group(1)}


@pytest.fixture(scope="module")
def kiosk_server(programme_database, tmp_path_factory):
    with running_server(
        SeededDatabase(programme_database["path"], "", []), tmp_path_factory.mktemp("report-server")
    ) as server:
        yield server


@pytest.fixture
def pdftoppm() -> Path:
    if not PDFTOPPM.exists():
        reason = f"pdftoppm is not installed at {PDFTOPPM} (Debian's poppler-utils; `make test` installs it as root)."
        if os.environ.get("SURVEYAPP_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return PDFTOPPM


def test_the_mayors_office_reads_the_summary_first_in_kyrgyz(
    browser, kiosk_server, programme_database, screenshot_folder, pdftoppm, tmp_path
):
    context = browser.new_context(base_url=kiosk_server.url, viewport={"width": 1280, "height": 1400})
    try:
        page = context.new_page()
        log_in(page, "mayor", programme_database["password"])
        expect(page).to_have_url(re.compile(r"/reports/$"))
        expect(page.locator("html")).to_have_attribute("lang", "ky")

        # The summary is the first thing under the downloads, before the annex of statistics.
        expect(page.locator("main h2").first).to_have_id("summary-heading")
        rows = page.locator("section.summary table tbody tr")
        expect(rows).to_have_count(5)
        for number, title in enumerate(KYRGYZ_TITLES):
            expect(rows.nth(number)).to_contain_text(title)
            expect(rows.nth(number).locator(".badge.verdict")).to_have_class(
                re.compile(r"\b(met|not_met|not_enough_data)\b")
            )
        for number in CERTAINLY_NOT_MET:
            expect(rows.nth(number).locator(".badge.verdict")).to_have_class(re.compile(r"\bnot_met\b"))
        expect(rows.nth(0)).to_contain_text("500")  # the target, in words ("500 ...")
        expect(page.locator("section.summary figure.plot img")).to_be_visible()
        assert page.evaluate("""() => {
            const summary = document.querySelector("section.summary"), annex = summary.nextElementSibling;
            return annex.tagName === "H2" && !!(summary.compareDocumentPosition(
                document.querySelector("table.report:not(.summary)")) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
        page.screenshot(path=screenshot_folder / "report-summary-ky.png")  # the top of the page, as opened

        with page.expect_download() as download:
            page.select_option("#report-language", "ky")
            page.locator('button[name="format"][value="pdf"]').click()
        pdf = tmp_path / "indicators-ky.pdf"
        download.value.save_as(pdf)
    finally:
        context.close()

    first_page = PdfReader(BytesIO(pdf.read_bytes())).pages[0]
    text = " ".join(first_page.extract_text().split())
    for title in KYRGYZ_TITLES:
        assert title in text, title
    assert len(first_page.images) == 1  # the summary's chart
    subprocess.run(
        [str(pdftoppm), "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page1")],
        check=True,
        timeout=60,
    )
    shutil.copy(tmp_path / "page1.png", screenshot_folder / "report-summary-ky-pdf-page1.png")
    assert (screenshot_folder / "report-summary-ky-pdf-page1.png").stat().st_size > 20_000
