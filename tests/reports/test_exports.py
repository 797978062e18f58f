"""The downloads: XLSX opened with openpyxl, CSV parsed, PDF text read back, in ky, ru and en."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.reports.models import IndicatorDefinition
from tests.reports.conftest import pdf_text

PROGRAMME_INDICATORS = (
    "children_resilience",
    "children_self_esteem",
    "children_wellbeing",
    "staff_knowledge",
    "parent_knowledge",
)


def download(client, file_format: str, lang: str = "en"):
    response = client.get(f"/reports/download?format={file_format}&lang={lang}")
    assert response.status_code == 200, response.text
    return response


def workbook_text(book) -> str:
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value is not None
    )


def test_the_staff_workbook_has_the_table_the_statistics_and_pseudonymised_changes(
    client, login, programme, respondent_codes
):
    """The long-form data is an export of its own (test_export_jobs.py), not a sheet of the report."""
    login(Role.COORDINATOR)
    response = download(client, "xlsx")
    assert response.headers["Content-Disposition"] == "attachment; filename=indicators-en.xlsx"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Summary",
        "Indicators",
        "Statistics",
        "Breakdowns",
        "Questions",
        "Change per respondent",
        "Notes",
    ]

    rows = list(book["Indicators"].iter_rows(values_only=True))
    header = rows[3]
    table = [dict(zip(header, row)) for row in rows[4:]]
    assert [row["Code"] for row in table] == list(PROGRAMME_INDICATORS)
    resilience = table[0]
    assert resilience["Target"] == 500 and resilience["Measurement method"] == "Survey"
    assert resilience["Matched"] <= resilience["Surveyed before"] <= 60
    assert 0 <= resilience["Result value"] <= 1 and "reliably improved" in resilience["Measured result"]

    statistics = {(row[0], row[3]): row[4] for row in book["Statistics"].iter_rows(min_row=2, values_only=True)}
    assert statistics["children_resilience", "Matched (before and after)"] == resilience["Matched"]
    assert 0 < statistics["children_resilience", "Cronbach's alpha at Baseline"] < 1
    assert statistics["staff_knowledge", "Hake's normalized gain (class averages)"] is not None

    changes = list(book["Change per respondent"].iter_rows(values_only=True))
    assert changes[0] == ("pseudonym", "indicator", "before", "after", "change", "rci", "reliable_change")
    resilience_changes = [row for row in changes[1:] if row[1] == "children_resilience"]
    assert len(resilience_changes) == resilience["Matched"]
    assert all(row[0].startswith("P-") for row in changes[1:])
    assert {row[6] for row in resilience_changes} <= {"improved", "unchanged", "worsened"}
    assert not [code for code in respondent_codes if code in workbook_text(book)]


def test_the_viewers_workbook_has_no_individual_rows_and_hides_small_groups(client, login, programme, respondent_codes):
    login(Role.VIEWER)
    book = load_workbook(io.BytesIO(download(client, "xlsx").data))
    assert "Data" not in book.sheetnames and "Change per respondent" not in book.sheetnames
    breakdowns = list(book["Breakdowns"].iter_rows(min_row=2, values_only=True))
    hidden = [row for row in breakdowns if row[6] == "not shown"]
    assert hidden and all(row[4] is None and row[5] is None for row in hidden)
    assert all(row[4] >= 5 for row in breakdowns if row[6] != "not shown")
    assert not [code for code in respondent_codes if code in workbook_text(book)]


def test_the_csv_is_the_indicator_table(client, login, programme):
    login(Role.VIEWER)
    response = download(client, "csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["Code"] for row in rows] == list(PROGRAMME_INDICATORS)
    assert rows[3]["Target"] == "25" and rows[3]["Measurement method"] == "Survey"
    assert 0 < float(rows[3]["Result value"]) < 100

    russian = list(csv.reader(io.StringIO(download(client, "csv", "ru").data.decode("utf-8-sig"))))
    assert russian[1][1].startswith("Нуждающиеся дети трудовых мигрантов") and russian[1][8] == "Опрос"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ky",
            [
                "Сурамжылоо",
                "Балдарга жаркын келечек",
                "Мээриянын кызматкерлери балдарга жардам берүүдө",
                "өстүрүшөт",
                "Туруктуулук",
            ],
        ),
        ("ru", ["Опрос", "Светлое будущее для детей", "Сотрудники мэрии повышают свой потенциал"]),
        (
            "en",
            [
                "Survey",
                "A bright future for children",
                "Staff of the mayor's office grow their capacity",
                "Reliable change",
            ],
        ),
    ],
)
def test_the_pdf_is_written_in_the_chosen_language(client, login, programme, respondent_codes, lang, expected):
    login(Role.VIEWER)
    response = download(client, "pdf", lang)
    assert response.data.startswith(b"%PDF")
    text = " ".join(pdf_text(response.data).split())
    for phrase in expected:
        assert phrase in text, phrase
    assert not [code for code in respondent_codes if code in text]


def test_an_indicator_title_typed_as_a_formula_stays_text_in_every_sheet(client, login, programme):
    """The workbook is written row by row (write-only), so each cell is made text as it is written: a title
    that a spreadsheet would run (OWASP "CSV Injection") is shown as typed wherever it appears."""
    formula = '=HYPERLINK("http://example.org","x")'
    definition = db.session.scalar(select(IndicatorDefinition).filter_by(code="children_self_esteem"))
    definition.title = {**definition.title, "en": formula}
    db.session.commit()
    login(Role.COORDINATOR)
    book = load_workbook(io.BytesIO(download(client, "xlsx").data))
    cells = {
        sheet.title: [cell for row in sheet.iter_rows() for cell in row if cell.value == formula] for sheet in book
    }
    assert {title for title, found in cells.items() if found} == {"Summary", "Indicators", "Statistics", "Breakdowns"}
    assert {cell.data_type for found in cells.values() for cell in found} == {"s"}
