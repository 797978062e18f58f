"""One entry point for every download and the CLI: a report as XLSX, PDF or CSV, in a chosen language."""
import csv
from dataclasses import dataclass
from io import StringIO

from flask_babel import force_locale

from surveyapp.reports import tables
from surveyapp.reports.pdf import report_pdf
from surveyapp.reports.report import Report
from surveyapp.reports.xlsx import report_xlsx

FORMATS = ("pdf", "xlsx", "csv", "data-csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "data-csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    mimetype: str
    filename: str


def export_report(report: Report, file_format: str, language: str) -> Export:
    """`csv` is the indicator table; `data-csv` the de-identified long-form data (empty in a viewer's report)."""
    with force_locale(language):
        content = {
            "pdf": report_pdf,
            "xlsx": report_xlsx,
            "csv": lambda r: table_csv(tables.indicator_export_table(r)),
            "data-csv": lambda r: table_csv(tables.data_table(r)),
        }[file_format](report)
    stem = "indicator-data" if file_format == "data-csv" else "indicators"
    extension = "csv" if file_format == "data-csv" else file_format
    return Export(content, MIMETYPES[file_format], f"{stem}-{language}.{extension}")


def table_csv(table: tables.Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Cyrillic text correctly; numbers unformatted."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(value.raw) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(raw):
    """Against formula injection (OWASP "CSV Injection"): a text that a spreadsheet would read as a formula gets a
    leading apostrophe; numbers stay numbers."""
    if raw is None:
        return ""
    if isinstance(raw, str) and raw.startswith(FORMULA_STARTS):
        return "'" + raw
    return raw
