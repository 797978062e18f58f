"""Reading an XLSForm workbook (.xlsx or .xls) with pyxform, the reference XLSForm implementation, so that every
alias, spelling and header form it knows is understood as KoboToolbox and ODK understand it.

pyxform reads the sheets it knows (survey, choices, settings, ...) into rows and then into its form structure
(`workbook_to_json`); it reads no other sheet, so the `surveyapp` sheet written by export_xlsform is read here.
Problems name the sheet, the row as Excel shows it (header = row 1) and the column. Call this only on a file that
passed workbook_limits.check_workbook: the rows are then held to MAX_ROWS, MAX_COLUMNS and MAX_CELL_CHARS.
"""

import copy
import logging
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from itertools import islice

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pyxform import aliases
from pyxform.constants import LIST_NAME_S
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import dealias_and_group_headers
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform
from xlrd import XLRDError
from xlrd import open_workbook as open_xls
from xlrd.compdoc import CompDocError

from surveyapp.instruments.workbook_limits import (
    DTD_PROBLEM,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    OLE2_MAGIC,
    first_problems,
)
from surveyapp.instruments.xlsform_common import CHOICES_SHEET, METADATA_SHEET, SURVEY_SHEET, XLSFormError

logger = logging.getLogger(__name__)

NOT_A_WORKBOOK = "the file is not an .xlsx or .xls workbook, or it is damaged: save the XLSForm again from Excel"
# What openpyxl and xlrd raise on a damaged workbook (expat's errors are SyntaxErrors). With defusedxml installed,
# openpyxl parses through it, which refuses any entity declaration (DefusedXmlException): the XML attacks that
# workbook_limits.check_workbook keeps out before parsing.
READ_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    XLRDError,
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
    AssertionError,  # xlrd asserts on some damaged records
    CompDocError,  # xlrd: a damaged Compound File (.xls)
    struct.error,
    PyXFormError,  # pyxform's own "not a workbook"
)
PYXFORM_ROW = re.compile(r"\[row : (\d+)\]")
PYXFORM_SHEETS = ("survey", "choices", "settings", "external_choices", "entities", "osm")
TRUE_WORDS = {word.lower() for word, flag in aliases.yes_no.items() if flag} | {"1"}
FALSE_WORDS = {word.lower() for word, flag in aliases.yes_no.items() if not flag} | {"0"}


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    cells: dict[str, str]  # header -> non-empty text


@dataclass
class Sheet:
    name: str
    rows: list[SheetRow]


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


@dataclass
class PyxformForm:
    """What pyxform read: its form structure, and where each survey row and choice came from."""

    form: dict
    survey_rows: dict[str, tuple[int, dict]] = field(default_factory=dict)  # name -> (row, dealiased row)
    choice_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (list name, choice name) -> row
    extra_sheets: dict[str, Sheet] = field(default_factory=dict)  # sheets pyxform does not read, by name
    sheets_with_rows: set[str] = field(default_factory=set)  # of the sheets pyxform reads


def read_form(content: bytes) -> PyxformForm:
    """The workbook as pyxform reads and checks it; XLSFormError when pyxform refuses it or a limit is passed."""
    data = read_definition(content)
    check_read_limits(data)
    try:
        form = workbook_to_json(copy.deepcopy(data), warnings=[])
    except PyXFormError as error:
        raise XLSFormError([pyxform_problem(str(error))]) from None
    except Exception:  # pyxform on a hostile workbook: a refusal, never a server error
        logger.exception("pyxform failed on an uploaded XLSForm")
        raise XLSFormError(["pyxform (which KoboToolbox and ODK use) cannot read the form"]) from None
    read = PyxformForm(form)
    read.sheets_with_rows = {name for name in PYXFORM_SHEETS if any(getattr(data, name) or [])}
    read.survey_rows = numbered_survey_rows(data, form.get("default_language", "default"))
    read.choice_rows = numbered_choice_rows(data)
    read.extra_sheets = {METADATA_SHEET: sheet} if (sheet := read_extra_sheet(content, METADATA_SHEET)) else {}
    return read


def pyxform_problem(message: str) -> str:
    """pyxform's message in our words: `[row : 5] Unmatched 'end_group'...` -> `row 5: Unmatched 'end_group'...`,
    without the dump of the row's cells pyxform adds after some messages."""
    first_line = message.strip().split("\n")[0]
    return "pyxform (which KoboToolbox and ODK use) refuses the form: " + PYXFORM_ROW.sub(r"row \1:", first_line)


def read_definition(content: bytes) -> DefinitionData:
    file_type = ".xls" if content.startswith(OLE2_MAGIC) else ".xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about Excel features it drops; none matter here
        try:
            return get_xlsform(BytesIO(content), file_type=file_type)
        except READ_ERRORS as error:
            raise XLSFormError([DTD_PROBLEM if refused_entities(error) else NOT_A_WORKBOOK]) from None


def refused_entities(error: BaseException | None) -> bool:
    """Whether defusedxml refused an entity declaration somewhere down the chain (openpyxl re-raises as ValueError)."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def check_read_limits(data: DefinitionData) -> None:
    """MAX_ROWS, MAX_COLUMNS and MAX_CELL_CHARS on the rows as read (a sheet may lie about its dimension)."""
    for name in PYXFORM_SHEETS:
        rows = getattr(data, name) or []
        header = (getattr(data, f"{name}_header") or [{}])[0]
        if len(rows) + 1 > MAX_ROWS:
            raise XLSFormError(
                [
                    f"{name} sheet: it goes on past row {MAX_ROWS:,}; an XLSForm can have at most {MAX_ROWS:,} "
                    "rows per sheet: delete the rows below the form"
                ]
            )
        if len(header) > MAX_COLUMNS:
            raise XLSFormError(
                [f"{name} sheet: it has {len(header)} columns; an XLSForm can have at most {MAX_COLUMNS}"]
            )
        for number, row in enumerate(rows, start=2):
            refuse_long_cells(name, number, row)


def refuse_long_cells(sheet: str, row: int, cells: dict) -> None:
    for header, text in cells.items():
        if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
            raise XLSFormError(
                [
                    f"{sheet} sheet, row {row}, column '{header}': the text is {len(text):,} characters long; a "
                    f"cell can hold at most {MAX_CELL_CHARS:,}"
                ]
            )


def numbered_survey_rows(data: DefinitionData, default_language: str) -> dict[str, tuple[int, dict]]:
    """Survey rows by name, dealiased as pyxform reads them; the numbers as Excel shows them."""
    rows = dealiased(SURVEY_SHEET, data.survey, data.survey_header, aliases.survey_header, default_language)
    numbered: dict[str, tuple[int, dict]] = {}
    for number, row in enumerate(rows, start=2):
        if isinstance(row.get("name"), str):
            numbered.setdefault(row["name"], (number, row))
    return numbered


def numbered_choice_rows(data: DefinitionData) -> dict[tuple[str, str], int]:
    rows = dealiased(CHOICES_SHEET, data.choices, data.choices_header, aliases.list_header, "default")
    return {
        (str(row.get(LIST_NAME_S)), str(row.get("name"))): number for number, row in enumerate(rows, start=2) if row
    }


def dealiased(sheet: str, rows, header, header_aliases: dict, default_language: str) -> list[dict]:
    """pyxform's own reading of the headers (`Label::English (en)`, `label:English`, `bind:relevant`, ...)."""
    if not rows:
        return []
    return list(
        dealias_and_group_headers(
            sheet_name=sheet,
            sheet_data=copy.deepcopy(rows),
            sheet_header=header,
            header_aliases=header_aliases,
            header_columns=set(),
            default_language=default_language,
        ).data
    )


# ---- sheets pyxform does not read ---------------------------------------------------------------------------


def read_extra_sheet(content: bytes, name: str) -> Sheet | None:
    """A sheet pyxform skips (the `surveyapp` sheet), as text cells under its headers; None when absent."""
    try:
        rows = xls_rows(content, name) if content.startswith(OLE2_MAGIC) else xlsx_rows(content, name)
    except READ_ERRORS:
        raise XLSFormError([f"{name} sheet: the sheet is damaged and cannot be read"]) from None
    if rows is None:
        return None
    headers = [cell_text(value) for value in next(rows, ())]
    sheet_rows = []
    for number, values in enumerate(rows, start=2):
        cells = {header: text for header, value in zip(headers, values) if header and (text := cell_text(value))}
        refuse_long_cells(name, number, cells)
        if cells:
            sheet_rows.append(SheetRow(number, cells))
    return Sheet(name, sheet_rows)


def xlsx_rows(content: bytes, name: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    try:
        titles = {title.strip().lower(): title for title in workbook.sheetnames}
        if name not in titles:
            return None
        worksheet = workbook[titles[name]]
        worksheet.reset_dimensions()  # read-only mode would trust a false dimension
        return iter(list(islice(worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), MAX_ROWS)))
    finally:
        workbook.close()


def xls_rows(content: bytes, name: str):
    book = open_xls(file_contents=content, on_demand=True)
    titles = {title.strip().lower(): title for title in book.sheet_names()}
    if name not in titles:
        return None
    sheet = book.sheet_by_name(titles[name])
    return iter([sheet.row_values(row)[:MAX_COLUMNS] for row in range(min(sheet.nrows, MAX_ROWS))])


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_flag(text: str) -> bool | None:
    """yes/no as pyxform reads it (`yes`, `TRUE()`, `false`, ...), and `1`/`0`; None for anything else."""
    lowered = text.strip().lower()
    return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else None
