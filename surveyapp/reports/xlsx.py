"""The report as an Excel workbook: first the summary with its chart, then as an annex the indicator table, every
statistic, the breakdowns, the knowledge questions, each respondent's change (staff reports only) and the notes.
The de-identified long-form data, up to millions of rows, is a workbook of its own, written in openpyxl's
write-only mode (`write_only_xlsx`)."""
from collections.abc import Iterable
from io import BytesIO
from typing import BinaryIO

from flask_babel import format_datetime
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from surveyapp.reports import formatting as fmt
from surveyapp.reports import tables
from surveyapp.reports.plots import summary_plot
from surveyapp.reports.report import Report

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    _summary(workbook.active, report)
    _indicators(workbook.create_sheet(_("Indicators")), report)
    _statistics(workbook.create_sheet(_("Statistics")), report)
    _breakdowns(workbook.create_sheet(_("Breakdowns")), report)
    _questions(workbook.create_sheet(_("Questions")), report)
    if report.change_rows:
        write_table(workbook.create_sheet(_("Change per respondent")), tables.change_table(report))
    _notes(workbook.create_sheet(_("Notes")), report)
    return saved_workbook(workbook)


def table_xlsx(table: tables.Table, widths: dict[int, int] | None = None) -> bytes:
    """A workbook of one table, e.g. the programme's activities."""
    workbook = Workbook()
    workbook.active.title = table.title[:31]
    write_table(workbook.active, table, widths)
    return saved_workbook(workbook)


def write_only_xlsx(title: str, columns: Iterable[str], rows: Iterable[tuple], output: BinaryIO) -> None:
    """One sheet of raw values, streamed: openpyxl's write-only mode keeps no cell in memory once written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_text_cell(sheet, column, BOLD) for column in columns])
    for row in rows:
        sheet.append([_text_cell(sheet, raw) if _is_formula(raw) else raw for raw in row])
    workbook.save(output)


def _is_formula(raw) -> bool:
    return isinstance(raw, str) and raw.startswith("=")


def _text_cell(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    """A cell that is text even when it starts with "=" (openpyxl would write a formula: see saved_workbook)."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def saved_workbook(workbook: Workbook) -> bytes:
    """Against formula injection: no cell is a formula. openpyxl writes a text starting with "=" as a formula, so
    every such cell is turned back into text (shown as typed, never evaluated)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(sheet, report: Report) -> None:
    """The summary as read (the texts shown, not raw values), its chart below it."""
    sheet.title = _("Summary")
    sheet.append([fmt.text(fmt.PROGRAMME_TITLE)])
    sheet.append([_("Summary of the indicator report, generated %(at)s",
                    at=format_datetime(report.generated_at, "short"))])
    sheet["A1"].font = BOLD
    sheet.append([])
    table = tables.summary_table(report)
    sheet.append(list(table.columns))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in table.rows:
        sheet.append([value.shown for value in row])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
    for column, width in {1: 6, 2: 50, 3: 18, 4: 18, 5: 45, 6: 45, 7: 16}.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.append([])
    sheet.append([_("The statistics behind each result follow as an annex, in the next sheets.")])
    plot = summary_plot(report)
    if plot is not None:
        chart = Image(BytesIO(plot.png))
        sheet.add_image(chart, f"B{sheet.max_row + 2}")


def _indicators(sheet, report: Report) -> None:
    sheet.append([fmt.text(fmt.PROGRAMME_TITLE)])
    sheet.append([_("Indicator table, generated {at}").format(at=format_datetime(report.generated_at, "short"))])
    sheet["A1"].font = BOLD
    sheet.append([])
    write_table(sheet, tables.indicator_export_table(report), widths={2: 60, 8: 60})


def _statistics(sheet, report: Report) -> None:
    sheet.append([_("Code"), _("Indicator"), _("Section"), _("Statistic"), _("Value"), _("Shown as")])
    for entry in report.entries:
        for section, label, value in tables.statistics_rows(entry):
            sheet.append([entry.code, fmt.text(entry.title), section, label, _cell(value.raw), value.shown])
    _header(sheet, widths={2: 40, 3: 36, 4: 40})


def _breakdowns(sheet, report: Report) -> None:
    sheet.append([_("Code"), _("Indicator"), _("Breakdown"), _("Group"), "n", _("Value"), _("Shown as")])
    for entry in report.entries:
        for table in tables.breakdown_tables(entry):
            for group, n, value in table.rows:
                sheet.append([entry.code, fmt.text(entry.title), table.title, group.shown, n.raw, _cell(value.raw),
                              value.shown])
    _header(sheet, widths={2: 40, 3: 24, 4: 36})


def _questions(sheet, report: Report) -> None:
    header_written = False
    for entry in report.entries:
        table = tables.question_table(entry)
        if table is None:
            continue
        if not header_written:
            sheet.append([_("Code")] + list(table.columns))
            header_written = True
        for row in table.rows:
            sheet.append([entry.code] + [_cell(value.raw) for value in row])
    _header(sheet, widths={3: 30, 4: 26, 5: 26})


def _notes(sheet, report: Report) -> None:
    audience = (_("Report for the mayor's office: small groups are hidden.") if report.suppress_small
                else _("Staff report: small groups are shown and marked with *."))
    for line in [audience] + fmt.footnotes(report):
        sheet.append([line])
        sheet.cell(sheet.max_row, 1).alignment = WRAP
    sheet.column_dimensions["A"].width = 120


def write_table(sheet, table: tables.Table, widths: dict[int, int] | None = None) -> None:
    sheet.append(list(table.columns))
    header_row = sheet.max_row
    for row in table.rows:
        sheet.append([_cell(value.raw) for value in row])
    for cell in sheet[header_row]:
        cell.font = BOLD
    for column, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(column)].width = width
        for (cell,) in sheet.iter_rows(min_row=header_row, min_col=column, max_col=column):
            cell.alignment = WRAP


def _header(sheet, widths: dict[int, int]) -> None:
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _cell(raw):
    """Numbers stay numbers; everything else is written as text."""
    return raw if raw is None or isinstance(raw, int | float) else str(raw)
