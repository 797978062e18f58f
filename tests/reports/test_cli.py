"""`flask report indicators` writes the same files as the page's downloads; `flask report seed-indicators`."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.extensions import db
from surveyapp.reports.models import IndicatorDefinition
from tests.reports.conftest import pdf_text


def test_the_report_command_writes_pdf_xlsx_and_csv(runner, programme, respondent_codes, tmp_path):
    pdf, xlsx, table = tmp_path / "report.pdf", tmp_path / "report.xlsx", tmp_path / "table.csv"
    result = runner.invoke(args=["report", "indicators", "--lang", "ky", "--format", "pdf", "--output", str(pdf)])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(pdf.read_bytes()).split())
    assert "Сурамжылоо" in text and "эмоционалдык туруктуулугун өстүрүшөт" in text

    assert (
        runner.invoke(
            args=["report", "indicators", "--lang", "en", "--format", "xlsx", "--output", str(xlsx), "--for-viewer"]
        ).exit_code
        == 0
    )
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert "Data" not in book.sheetnames and book["Indicators"]["A1"].value == "A bright future for children"

    assert (
        runner.invoke(
            args=["report", "indicators", "--format", "csv", "--lang", "ru", "--output", str(table)]
        ).exit_code
        == 0
    )
    content = table.read_text(encoding="utf-8-sig")
    assert "Опрос" in content and len(content.splitlines()) == 6
    assert not [code for code in respondent_codes if code in content]


def test_the_report_command_names_the_file_by_language_and_format(runner, programme, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["report", "indicators", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0 and (tmp_path / "indicators-en.csv").exists()


def test_seeding_the_indicators_is_idempotent(runner, shipped_instruments):
    assert (
        "5 indicator(s) defined, 0 given a success threshold."
        in runner.invoke(args=["report", "seed-indicators"]).output
    )
    assert (
        "0 indicator(s) defined, 0 given a success threshold."
        in runner.invoke(args=["report", "seed-indicators"]).output
    )
    assert db.session.scalar(select(func.count(IndicatorDefinition.id))) == 5


def test_seeding_gives_the_programme_indicators_their_success_threshold_where_none_is_set(runner, shipped_instruments):
    runner.invoke(args=["report", "seed-indicators"])
    wellbeing = db.session.scalar(select(IndicatorDefinition).filter_by(code="children_wellbeing"))
    parents = db.session.scalar(select(IndicatorDefinition).filter_by(code="parent_knowledge"))
    assert (wellbeing.success_threshold, parents.success_threshold) == (10, 0.3)
    wellbeing.success_threshold, parents.success_threshold = None, 0.5  # defined before success rules; edited
    db.session.commit()

    assert (
        "0 indicator(s) defined, 1 given a success threshold."
        in runner.invoke(args=["report", "seed-indicators"]).output
    )
    db.session.refresh(wellbeing)
    db.session.refresh(parents)
    assert (wellbeing.success_threshold, parents.success_threshold) == (10, 0.5)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "update_indicator")) == 1


def test_seeding_needs_the_questionnaires(runner, app_context):
    result = runner.invoke(args=["report", "seed-indicators"])
    assert result.exit_code != 0 and "No questionnaire cyrmr is published." in result.output
