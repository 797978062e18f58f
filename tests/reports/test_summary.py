"""Page 1 of the indicator report: per indicator the target, the reach, the result in one sentence, the success
rule in words and whether the target was met; then the statistics as an annex. On the page, the PDF and the XLSX.

The rows are worked by hand from the small datasets of tests/scoring/test_indicators.py (see the working there):
PRE -> POST changes d = 2, 1, 3, 0, 4 (mean 14 -> 16); the reliable-change data with 2 of 5 improved; the
knowledge test X, Y, Z at 60% -> 80% (Hake g = 20 / 40 = 0.5).
"""

import io
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.report import IndicatorEntry, Report
from surveyapp.reports.tables import summary_table
from surveyapp.scoring.indicators import Statistic, evaluate_indicator
from tests.scoring.test_indicators import POST, PRE, data, spec

KNOWLEDGE_PRE, KNOWLEDGE_POST = {"X": 40, "Y": 60, "Z": 80}, {"X": 70, "Y": 80, "Z": 90}
RCI_POST = {"A": 15, "B": 12, "C": 9, "D": 17, "E": 22.5}  # 2 of 5 reliably improved


def entry(indicator_spec, indicator_data) -> IndicatorEntry:
    result = evaluate_indicator(indicator_spec, indicator_data, suppress_small=False)
    return IndicatorEntry(
        code=indicator_spec.code,
        title={"en": f"Indicator {indicator_spec.code}"},
        method={"en": "Survey"},
        scale_label={"en": "Total"},
        result=result,
    )


def shown_rows(*entries) -> list[tuple[str, ...]]:
    report = Report(entries=entries, suppress_small=False, min_cell_size=5, generated_at=datetime.now(UTC))
    with force_locale("en"):
        return [tuple(value.shown for value in row) for row in summary_table(report).rows]


def test_a_mean_change_that_reaches_its_threshold(app_context):
    wellbeing = spec(code="wellbeing", target=5, success_threshold=2)
    assert shown_rows(entry(wellbeing, data())) == [
        (
            "1",
            "Indicator wellbeing",
            "5 children",
            "5 of 5 (100%)",
            "The average score went from 14.0 to 16.0 (+2.0 points).",
            "At least 5 reached, and the average score of those surveyed before and after rose by at least 2 points.",
            "Met",
        )
    ]


def test_a_lower_is_better_scale_states_its_rule_as_a_fall(app_context):
    distress = spec(code="distress", target=5, success_threshold=1.5, higher_is_better=False)
    row = shown_rows(entry(distress, data(pre=POST, post=PRE)))[0]  # 16 -> 14: a fall of 2
    assert row[4:] == (
        "The average score went from 16.0 to 14.0 (-2.0 points).",
        "At least 5 reached, and the average score of those surveyed before and after fell by at least 1.5 points.",
        "Met",
    )


def test_a_share_reliably_improved_that_misses_the_target_by_reach(app_context):
    staff = spec(
        code="staff",
        respondent_kind="staff",
        statistic=Statistic.SHARE_RELIABLY_IMPROVED,
        target=6,
        success_threshold=0.3,
    )
    assert shown_rows(entry(staff, data(post=RCI_POST)))[0][2:] == (
        "6 staff members",
        "5 of 6 (83%)",
        "40% reliably improved (2 of 5).",
        "At least 6 reached, and at least 30% of those surveyed before and after reliably improved.",
        "Not met",
    )


@pytest.mark.parametrize(
    ("statistic", "threshold", "result", "rule"),
    [
        (
            Statistic.HAKE_GAIN,
            0.3,
            "Correct answers went from 60% to 80% on average: 50% of the possible gain (normalized gain 0.50).",
            "At least 3 reached, and the normalized gain of those tested before and after reached at least 0.3.",
        ),
        (
            Statistic.MEAN_KNOWLEDGE_GAIN,
            20,
            "Correct answers went from 60% to 80% on average (+20.0 percentage points).",
            "At least 3 reached, and the correct answers of those tested before and after rose by at least 20 "
            "percentage points on average.",
        ),
    ],
)
def test_knowledge_tests_read_as_correct_answers(app_context, statistic, threshold, result, rule):
    parents = spec(
        code="parents",
        respondent_kind="parent",
        statistic=statistic,
        target=3,
        scale_id="percent",
        success_threshold=threshold,
    )
    knowledge = data(KNOWLEDGE_PRE, KNOWLEDGE_POST)
    assert shown_rows(entry(parents, knowledge))[0][2:] == (
        "3 parents or guardians",
        "3 of 3 (100%)",
        result,
        rule,
        "Met",
    )


def test_a_result_that_cannot_be_computed_has_not_enough_data(app_context):
    resilience = spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED, target=5, success_threshold=0.3)
    row = shown_rows(entry(resilience, data(items=[[1, 1], [1, 1], [1, 1]])))[0]  # no alpha: no RCI
    assert (row[4], row[6]) == ("Not enough data to compute this result.", "Not enough data")


def test_without_a_threshold_the_rule_is_reach_alone(app_context):
    one = spec(target=1, success_threshold=None)
    assert shown_rows(entry(one, data()))[0][2:4] == ("1 child", "5 of 1 (500%)")
    assert shown_rows(entry(one, data()))[0][5:] == ("At least 1 reached (surveyed at least once).", "Met")


@pytest.fixture
def staff_target_met(programme):
    """The staff knowledge indicator made certain to be met: 8 staff trained (7 or 8 matched) against a target of
    5, and a threshold of -100 points that any gain reaches. The others keep targets above the small programme."""
    staff = db.session.scalar(select(IndicatorDefinition).filter_by(code="staff_knowledge"))
    staff.target, staff.success_threshold = 5, -100
    db.session.commit()


def test_the_page_opens_with_the_summary_and_puts_the_statistics_in_an_annex(
    client, login, staff_target_met, respondent_codes
):
    login(Role.VIEWER)
    page = client.get("/reports/").text
    summary, annex = page.index('<h2 id="summary-heading">Summary</h2>'), page.index("<h2>Annex: statistics</h2>")
    assert summary < page.index("Target met?") < page.index("At least 500 reached") < annex
    assert page.index("Reached, against the target") < annex  # the summary's chart
    assert page.count('<span class="badge verdict met">Met</span>') == 1
    assert page.count('<span class="badge verdict not_met">Not met</span>') == 4
    assert not [code for code in respondent_codes if code in page]


@pytest.mark.parametrize(("role", "sees_link"), [(Role.ADMIN, True), (Role.COORDINATOR, False)])
def test_only_who_may_edit_the_definitions_gets_the_link(client, login, programme, role, sees_link):
    login(role)
    assert ("Edit the indicator definitions" in client.get("/reports/").text) == sees_link


def test_the_first_pdf_page_is_the_summary_in_kyrgyz_with_its_chart(client, login, staff_target_met, respondent_codes):
    login(Role.VIEWER)
    reader = PdfReader(io.BytesIO(client.get("/reports/download?format=pdf&lang=ky").data))
    first, second = (" ".join(page.extract_text().split()) for page in reader.pages[:2])
    with force_locale("ky"):
        met, not_met, annex = gettext("Met"), gettext("Not met"), gettext("Annex: statistics")
    assert "Мээриянын кызматкерлери балдарга жардам берүүдө потенциалын жогорулатышат" in first
    assert "Ата-энелер жана камкорчулар" in first
    assert first.count(not_met) == 4
    assert first.count(met) - (first.count(not_met) if met in not_met else 0) == 1
    assert len(reader.pages[0].images) == 1  # the chart
    assert annex not in first and annex in second
    assert not [code for code in respondent_codes if code in first]


def test_the_workbook_opens_on_the_summary_with_its_chart(client, login, staff_target_met):
    login(Role.COORDINATOR)
    book = load_workbook(io.BytesIO(client.get("/reports/download?format=xlsx&lang=en").data))
    sheet = book.worksheets[0]
    assert sheet.title == "Summary" and book.sheetnames[1] == "Indicators"
    rows = list(sheet.iter_rows(min_row=4, max_row=9, values_only=True))
    assert rows[0] == ("No.", "Indicator", "Target", "Reached", "Result", "Success rule", "Target met?")
    assert [row[6] for row in rows[1:]] == ["Not met", "Not met", "Not met", "Met", "Not met"]
    assert rows[4][2] == "5 staff members" and rows[1][2] == "500 children"
    assert len(sheet._images) == 1


def test_the_csv_gives_the_threshold_and_the_verdict(client, login, staff_target_met):
    login(Role.VIEWER)
    lines = client.get("/reports/download?format=csv&lang=en").data.decode("utf-8-sig").splitlines()
    header, staff = lines[0].split(","), lines[4].split(",")
    assert header[-2:] == ["Success threshold", "Target met"]
    assert float(staff[-2]) == -100 and staff[-1] == "met"


def test_a_summary_without_indicators_says_so(client, login, shipped_instruments):
    login(Role.VIEWER)
    reader = PdfReader(io.BytesIO(client.get("/reports/download?format=pdf&lang=en").data))
    assert "No indicator is defined yet." in reader.pages[0].extract_text()
