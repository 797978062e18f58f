"""Reading an XLSForm workbook into sheets of text cells, and the label columns of its languages.

Problems name the sheet, the row as Excel shows it (header = row 1) and the column. The workbook is read as a
stream (openpyxl's read-only mode, its XML through defusedxml), within workbook_limits whatever a sheet declares:
reading stops past MAX_ROWS, cells right of MAX_COLUMNS are not read, a cell past MAX_CELL_CHARS is refused.
"""

import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import islice

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from surveyapp.instruments.workbook_limits import (
    DTD_PROBLEM,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    first_problems,
)
from surveyapp.instruments.xlsform_common import LANGUAGE_NAMES, XLSFormError, label_column, language_suffix

# Appearances that only change the layout, never which questions are asked or what is stored.
PRESENTATION_APPEARANCES = {
    "minimal",
    "horizontal",
    "horizontal-compact",
    "likert",
    "compact",
    "columns",
    "columns-pack",
    "quick",
    "field-list",
    "multiline",
}
TRUE_WORDS = {"yes", "true", "1", "true()"}
FALSE_WORDS = {"no", "false", "0", "false()"}
NOT_A_WORKBOOK = "the file is not an .xlsx workbook: save the XLSForm as .xlsx (Excel 2007 or later)"
# What openpyxl raises on a damaged workbook, at opening or while it streams a sheet (expat's errors are
# SyntaxErrors). With defusedxml installed, openpyxl parses through it, which refuses any entity declaration
# (DefusedXmlException): the XML attacks that workbook_limits.check_workbook keeps out before parsing.
READ_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    SyntaxError,
    OSError,
    NotImplementedError,
)


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    cells: dict[str, str]  # header -> non-empty text


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[SheetRow]

    def has_values(self, column: str) -> bool:
        return any(column in row.cells for row in self.rows)


class Problems(list):
    """Every problem found in a file, collected before raising XLSFormError; past MAX_PROBLEMS only counted."""

    hidden = 0

    def append(self, problem: str) -> None:
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.hidden += 1

    def at(self, sheet: str, row: int, column: str, message: str) -> None:
        self.append(f"{sheet} sheet, row {row}, column '{column}': {message}")

    def sheet(self, sheet: str, message: str) -> None:
        self.append(f"{sheet} sheet: {message}")

    def report(self) -> list[str]:
        return first_problems(self, self.hidden)


def read_workbook(content: bytes) -> dict[str, Sheet]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about Excel features it drops; none matter here
        try:
            workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        except READ_ERRORS as error:
            raise XLSFormError([DTD_PROBLEM if refused_entities(error) else NOT_A_WORKBOOK]) from None
        try:
            return {worksheet.title.strip().lower(): read_sheet(worksheet) for worksheet in workbook.worksheets}
        finally:
            workbook.close()


def read_sheet(worksheet) -> Sheet:
    name = worksheet.title.strip().lower()
    values = sheet_rows(worksheet, name)
    headers = [
        normalise_header(cell_text(cell)) or f"<no header, column {get_column_letter(index + 1)}>"
        for index, cell in enumerate(next(values, ()))
    ]
    rows = []
    for number, row_values in enumerate(values, start=2):
        cells = {header: text for header, value in zip(headers, row_values) if (text := cell_text(value))}
        refuse_long_cells(name, number, cells)
        if cells:
            rows.append(SheetRow(number, cells))
    return Sheet(name, headers, rows)


def refuse_long_cells(sheet: str, row: int, cells: dict[str, str]) -> None:
    for header, text in cells.items():
        if len(text) > MAX_CELL_CHARS:
            raise XLSFormError(
                [
                    (
                        f"{sheet} sheet, row {row}, column '{header}': the text is {len(text):,} characters "
                        f"long; a cell can hold at most {MAX_CELL_CHARS:,}"
                    )
                ]
            )


def sheet_rows(worksheet, name: str) -> Iterator[tuple]:
    """The sheet's first MAX_ROWS rows; a sheet that goes on past them is refused once they are read."""
    rows = streamed_rows(worksheet, name)
    yield from islice(rows, MAX_ROWS)
    if next(rows, None) is not None:
        raise XLSFormError(
            [
                (
                    f"{name} sheet: it goes on past row {MAX_ROWS:,}; an XLSForm can have at most "
                    f"{MAX_ROWS:,} rows per sheet: delete the rows below the form"
                )
            ]
        )


def streamed_rows(worksheet, name: str) -> Iterator[tuple]:
    """The rows as values, MAX_COLUMNS wide (cells right of them are not read), whatever dimension the sheet
    declares (read-only mode would trust a false one); a damaged sheet is refused."""
    worksheet.reset_dimensions()
    try:
        yield from worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except READ_ERRORS as error:
        raise XLSFormError(
            [
                DTD_PROBLEM
                if refused_entities(error)
                else f"{name} sheet: the sheet is damaged and cannot be read: save the XLSForm again as .xlsx"
            ]
        ) from None


def refused_entities(error: BaseException | None) -> bool:
    """Whether defusedxml refused an entity declaration somewhere down the chain (openpyxl re-raises as ValueError)."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(header: str) -> str:
    """`List Name` -> `list_name`, `Label::Russian (ru)` -> `label::Russian (ru)`, as pyxform reads headers."""
    prefix, separator, rest = header.partition("::")
    return "_".join(prefix.split()).lower() + separator + rest.strip()


def parse_flag(text: str) -> bool | None:
    lowered = text.lower()
    return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else None


def parse_language(suffix: str) -> str | None:
    """`Russian (ru)`, `Russian` or `ru` -> `ru`; None for a language surveyapp does not carry."""
    match = re.fullmatch(r".*\(\s*([A-Za-z-]+)\s*\)", suffix.strip())
    word = (match.group(1) if match else suffix).strip().lower()
    by_name = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
    return word if word in LANGUAGE_NAMES else by_name.get(word)


def unknown_language(suffix: str) -> str:
    known = ", ".join(language_suffix(code) for code in LANGUAGE_NAMES)
    return f"unknown language '{suffix}'; surveyapp carries {known}"


def language_columns(sheet: Sheet, default_language: str | None, problems: Problems) -> dict[str, str]:
    """Label columns with values -> language code; plain `label` is the settings' default_language."""
    columns: dict[str, str] = {}
    for header in sheet.headers:
        if not is_label_column(header) or not sheet.has_values(header):
            continue
        suffix = header.partition("::")[2]
        language = parse_language(suffix) if suffix else default_language
        if language is None:
            message = (
                unknown_language(suffix)
                if suffix
                else "a plain 'label' column needs default_language in the settings sheet, e.g. 'Russian (ru)'"
            )
            problems.at(sheet.name, 1, header, message)
        elif language in columns.values():
            problems.at(sheet.name, 1, header, f"a second label column for {language_suffix(language)}")
        else:
            columns[header] = language
    return columns


def is_label_column(header: str) -> bool:
    return header == "label" or header.startswith("label::")


def read_text(sheet: str, row: SheetRow, columns: dict[str, str], languages: list[str], problems: Problems) -> dict:
    text = {language: row.cells[column] for column, language in columns.items() if column in row.cells}
    for language in languages:
        if language not in text:
            column = next((header for header, code in columns.items() if code == language), label_column(language))
            problems.at(sheet, row.number, column, f"the {language_suffix(language)} label is empty")
    return text


def report_unsupported_columns(sheet: str, row: SheetRow, allowed: set[str], problems: Problems) -> None:
    for column, value in row.cells.items():
        ignored = column.startswith("$") or (column == "appearance" and value in PRESENTATION_APPEARANCES)
        if column not in allowed and not is_label_column(column) and not ignored:
            problems.at(sheet, row.number, column, "surveyapp cannot keep this column here: clear the cell")
