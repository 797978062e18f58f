"""The training report, the work plan's evidence for each training: PDF or XLSX, written in the chosen language."""

from flask_babel import force_locale

from surveyapp.reports.exports import MIMETYPES, Export
from surveyapp.trainings.report_pdf import training_report_pdf
from surveyapp.trainings.report_xlsx import training_report_xlsx
from surveyapp.trainings.results import TrainingResult

FORMATS = ("pdf", "xlsx")


def training_report(result: TrainingResult, file_format: str, language: str) -> Export:
    with force_locale(language):
        content = {"pdf": training_report_pdf, "xlsx": training_report_xlsx}[file_format](result)
    filename = f"training-{result.held_on.isoformat()}-{result.training_id}-{language}.{file_format}"
    return Export(content, MIMETYPES[file_format], filename)
