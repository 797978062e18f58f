"""Every download and the CLI: a report as XLSX, PDF or CSV in a chosen language, made at once from the cached
report; the de-identified long-form data as CSV or XLSX, written row by row to a file (an export job)."""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO, TextIOWrapper
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _

from surveyapp.reports import tables
from surveyapp.reports.data_export import COLUMNS
from surveyapp.reports.pdf import report_pdf
from surveyapp.reports.report import Report
from surveyapp.reports.xlsx import report_xlsx, write_only_xlsx

FORMATS = ("pdf", "xlsx", "csv")
DATA_FORMATS = ("data-csv", "data-xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MIMETYPES = {"pdf": "application/pdf", "xlsx": XLSX_TYPE, "csv": CSV_TYPE, "data-csv": CSV_TYPE, "data-xlsx": XLSX_TYPE}


@dataclass(frozen=True)
class Export:
    content: bytes
    mimetype: str
    filename: str


def export_report(report: Report, file_format: str, language: str) -> Export:
    """`csv` is the indicator table."""
    with force_locale(language):
        content = {
            "pdf": report_pdf,
            "xlsx": report_xlsx,
            "csv": lambda r: table_csv(tables.indicator_export_table(r)),
        }[file_format](report)
    return Export(content, MIMETYPES[file_format], f"indicators-{language}.{file_format}")


def data_file_name(file_format: str, language: str) -> str:
    """What the downloaded data file is called: indicator-data-en.csv, indicator-data-en.xlsx."""
    return f"indicator-data-{language}.{file_format.removeprefix('data-')}"


def write_data(rows: Iterable[tuple], file_format: str, language: str, output: BinaryIO) -> None:
    """The de-identified long-form data (rows in data_export.COLUMNS' order), one row at a time: memory stays
    the same whatever the number of rows."""
    if file_format == "data-csv":
        write_csv(COLUMNS, rows, output)
    else:
        with force_locale(language):
            title = _("De-identified data (long form)")
        write_only_xlsx(title, COLUMNS, rows, output)


def write_csv(columns: Iterable[str], rows: Iterable[Sequence], output: BinaryIO) -> None:
    """UTF-8 with a byte-order mark, so that Excel opens Cyrillic text correctly; numbers unformatted."""
    text = TextIOWrapper(output, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows([_csv_cell(raw) for raw in row] for row in rows)
    text.detach()  # flushed; `output` stays open for the caller


def table_csv(table: tables.Table) -> bytes:
    output = BytesIO()
    write_csv(table.columns, ([value.raw for value in row] for row in table.rows), output)
    return output.getvalue()


def _csv_cell(raw):
    """Against formula injection (OWASP "CSV Injection"): a text that a spreadsheet would read as a formula gets a
    leading apostrophe; numbers stay numbers."""
    if raw is None:
        return ""
    if isinstance(raw, str) and raw.startswith(FORMULA_STARTS):
        return "'" + raw
    return raw
