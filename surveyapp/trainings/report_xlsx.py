"""The training report as an Excel workbook, written with the indicator report's helpers (reports.xlsx, which also
keeps any text typed by a trainer from being read as a formula): the training and its group result, the
participant list and the questions, numbers kept as numbers."""

from flask_babel import gettext as _
from openpyxl import Workbook

from surveyapp.reports.xlsx import WRAP, saved_workbook, write_table
from surveyapp.trainings import result_tables
from surveyapp.trainings.results import TrainingResult

SHEET_NAME_LENGTH = 31
"""Excel's limit."""


def training_report_xlsx(result: TrainingResult) -> bytes:
    workbook = Workbook()
    _training(workbook.active, result)
    write_table(
        _sheet(workbook, _("Participants")),
        result_tables.participant_table(result),
        widths={1: 32, 2: 32, 3: 12, 4: 14, 5: 14},
    )
    write_table(
        _sheet(workbook, _("Questions")),
        result_tables.question_table(result),
        widths={2: 30, 3: 70, 4: 14, 5: 14, 6: 14},
    )
    return saved_workbook(workbook)


def _training(sheet, result: TrainingResult) -> None:
    sheet.title = _("Training")[:SHEET_NAME_LENGTH]
    write_table(sheet, result_tables.details_table(result), widths={1: 45, 2: 30, 3: 30, 4: 24, 5: 20, 6: 30, 7: 30})
    sheet.append([])
    sheet.append([result_tables.headline(result)])
    sheet.append([])
    write_table(sheet, result_tables.group_table(result))
    sheet.append([])
    for line in result_tables.explanations():
        sheet.append([line])
        sheet.cell(sheet.max_row, 1).alignment = WRAP


def _sheet(workbook: Workbook, title: str):
    return workbook.create_sheet(title[:SHEET_NAME_LENGTH])
