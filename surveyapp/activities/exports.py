"""The activities table as XLSX or CSV, in a chosen language (the report's writers, formula-safe)."""

from flask_babel import force_locale

from surveyapp.activities.queries import ActivityProgress
from surveyapp.activities.tables import progress_table
from surveyapp.reports.exports import MIMETYPES, Export, table_csv
from surveyapp.reports.xlsx import table_xlsx

FORMATS = ("xlsx", "csv")


def export_progress(progress: list[ActivityProgress], file_format: str, language: str) -> Export:
    with force_locale(language):
        table = progress_table(progress)
        content = table_xlsx(table, widths={1: 70, 2: 24}) if file_format == "xlsx" else table_csv(table)
    return Export(content, MIMETYPES[file_format], f"activities-{language}.{file_format}")
