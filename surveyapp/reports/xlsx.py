"""The report as an Excel workbook: first the summary with its chart, then as an annex the indicator table, every
statistic, the breakdowns, the knowledge questions, each respondent's change (staff reports only) and the notes.

The report workbook is written in openpyxl's write-only mode: each row goes to the file as it is appended, so the
change per respondent (a row per matched respondent and indicator: ~300,000 at 1,000,000 submissions) is never
held as cells. Styles therefore go on each cell as it is written, and column widths and frozen panes are set before
a sheet's first row. The summary's chart is the one drawn for the page (`cache.summary_chart`). The de-identified
long-form data, up to millions of rows, is a workbook of its own, in the same mode (`write_only_xlsx`).
Small one-table workbooks (`table_xlsx`, the trainings report) keep openpyxl's normal mode."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import BinaryIO

from flask_babel import format_datetime
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from surveyapp.reports import formatting as fmt
from surveyapp.reports import tables
from surveyapp.reports.cache import summary_chart
from surveyapp.reports.report import Report

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
SUMMARY_WIDTHS = {1: 6, 2: 50, 3: 18, 4: 18, 5: 45, 6: 45, 7: 16}
CHANGE_COLUMNS = ("pseudonym", "indicator", "before", "after", "change", "rci", "reliable_change")


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook(write_only=True)
    _summary(workbook.create_sheet(_("Summary")), report)
    _indicators(workbook.create_sheet(_("Indicators")), report)
    _statistics(workbook.create_sheet(_("Statistics")), report)
    _breakdowns(workbook.create_sheet(_("Breakdowns")), report)
    _questions(workbook.create_sheet(_("Questions")), report)
    if report.has_change_rows:
        _changes(workbook.create_sheet(_("Change per respondent")), report)
    _notes(workbook.create_sheet(_("Notes")), report)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def _text_cell(sheet, value, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
    """A cell that is text even when it starts with "=" (openpyxl would write a formula: see saved_workbook)."""
    cell = WriteOnlyCell(sheet, value=value)
    if _is_formula(value):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
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
    table = tables.summary_table(report)
    _set_widths(sheet, SUMMARY_WIDTHS)
    sheet.append([_cell(sheet, fmt.text(fmt.PROGRAMME_TITLE), BOLD)])
    sheet.append(
        [
            _cell(
                sheet,
                _(
                    "Summary of the indicator report, generated %(at)s",
                    at=format_datetime(report.generated_at, "short"),
                ),
            )
        ]
    )
    sheet.append([])
    sheet.append([_cell(sheet, column, BOLD) for column in table.columns])
    for row in table.rows:
        sheet.append([_cell(sheet, value.shown, alignment=WRAP) for value in row])
    sheet.append([])
    sheet.append([_cell(sheet, _("The statistics behind each result follow as an annex, in the next sheets."))])
    chart = summary_chart(report)
    if chart is not None:
        sheet.add_image(Image(BytesIO(chart.png)), f"B{len(table.rows) + 8}")


def _indicators(sheet, report: Report) -> None:
    table = tables.indicator_export_table(report)
    wrapped = {2: 60, 8: 60}
    _set_widths(sheet, wrapped)
    sheet.append([_cell(sheet, fmt.text(fmt.PROGRAMME_TITLE), BOLD)])
    sheet.append(
        [_cell(sheet, _("Indicator table, generated {at}").format(at=format_datetime(report.generated_at, "short")))]
    )
    sheet.append([])
    sheet.append(
        [
            _cell(sheet, column, BOLD, WRAP if number in wrapped else None)
            for number, column in enumerate(table.columns, start=1)
        ]
    )
    for row in table.rows:
        sheet.append(
            [
                _cell(sheet, value.raw, alignment=WRAP if number in wrapped else None)
                for number, value in enumerate(row, start=1)
            ]
        )


def _statistics(sheet, report: Report) -> None:
    _header(
        sheet,
        [_("Code"), _("Indicator"), _("Section"), _("Statistic"), _("Value"), _("Shown as")],
        widths={2: 40, 3: 36, 4: 40},
    )
    for entry in report.entries:
        for section, label, value in tables.statistics_rows(entry):
            _append(sheet, [entry.code, fmt.text(entry.title), section, label, value.raw, value.shown])


def _breakdowns(sheet, report: Report) -> None:
    _header(
        sheet,
        [_("Code"), _("Indicator"), _("Breakdown"), _("Group"), "n", _("Value"), _("Shown as")],
        widths={2: 40, 3: 24, 4: 36},
    )
    for entry in report.entries:
        for table in tables.breakdown_tables(entry):
            for group, n, value in table.rows:
                _append(
                    sheet, [entry.code, fmt.text(entry.title), table.title, group.shown, n.raw, value.raw, value.shown]
                )


def _questions(sheet, report: Report) -> None:
    question_tables = [
        (entry, table) for entry in report.entries if (table := tables.question_table(entry)) is not None
    ]
    columns = [_("Code")] + list(question_tables[0][1].columns) if question_tables else []
    _header(sheet, columns, widths={3: 30, 4: 26, 5: 26})
    for entry, table in question_tables:
        for row in table.rows:
            _append(sheet, [entry.code] + [value.raw for value in row])


def _changes(sheet, report: Report) -> None:
    """Each matched respondent's change and RCI per indicator, under this report's pseudonyms, one row at a time."""
    sheet.append([_cell(sheet, column, BOLD) for column in CHANGE_COLUMNS])
    for row in report.change_rows:
        _append(sheet, [row.pseudonym, row.indicator, row.pre, row.post, row.post - row.pre, row.rci, row.category])


def _notes(sheet, report: Report) -> None:
    audience = (
        _("Report for the mayor's office: small groups are hidden.")
        if report.suppress_small
        else _("Staff report: small groups are shown and marked with *.")
    )
    _set_widths(sheet, {1: 120})
    for line in [audience] + fmt.footnotes(report):
        sheet.append([_cell(sheet, line, alignment=WRAP)])


def _header(sheet, columns: Sequence[str], widths: dict[int, int]) -> None:
    """Widths and the frozen header row come first in a write-only sheet, then the bold header."""
    _set_widths(sheet, widths)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.append([_cell(sheet, column, BOLD) for column in columns])


def _set_widths(sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _append(sheet, raws: Iterable) -> None:
    sheet.append([_cell(sheet, raw) for raw in raws])


def _cell(sheet, raw, font: Font | None = None, alignment: Alignment | None = None):
    """A value of a write-only row: numbers stay numbers, anything else is written as text - never as a formula
    (openpyxl writes a text starting with "=" as one: see saved_workbook), so that a typed title cannot run."""
    value = _raw(raw)
    if font is None and alignment is None and not _is_formula(value):
        return value
    return _text_cell(sheet, value, font, alignment)


def write_table(sheet, table: tables.Table, widths: dict[int, int] | None = None) -> None:
    sheet.append(list(table.columns))
    header_row = sheet.max_row
    for row in table.rows:
        sheet.append([_raw(value.raw) for value in row])
    for cell in sheet[header_row]:
        cell.font = BOLD
    for column, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(column)].width = width
        for (cell,) in sheet.iter_rows(min_row=header_row, min_col=column, max_col=column):
            cell.alignment = WRAP


def _raw(raw):
    """Numbers stay numbers; everything else is written as text."""
    return raw if raw is None or isinstance(raw, int | float) else str(raw)
