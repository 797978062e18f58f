"""An item-level export written as CSV, XLSX, SPSS (.sav) or Stata (.dta), row by row in constant memory.

CSV and XLSX are written as the rows come. SPSS and Stata fix the row count and each text's width in the header:
the rows pass once through a temporary file that measures them (stat_columns.spooled), then sav_writer or
dta_writer writes the file from there. Neither format labels a text value: an item with text choice names
(`yes`, `other`) is written there as numbers (Variable.codes) labelled with the choices, as the codebook says.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.config import LANGUAGES
from surveyapp.definitions.model import InstrumentDefinition, local_text
from surveyapp.reports.dta_writer import write_dta
from surveyapp.reports.exports import CSV_TYPE, XLSX_TYPE, write_csv
from surveyapp.reports.item_export import Layout, Variable, Wording
from surveyapp.reports.sav_writer import write_sav
from surveyapp.reports.stat_columns import Column, spooled
from surveyapp.reports.xlsx import write_only_xlsx

FORMATS = ("csv", "xlsx", "sav", "dta")
MIMETYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "sav": "application/x-spss-sav", "dta": "application/x-stata-dta"}
META_LABELS = {
    "pseudonym": _l("Pseudonym (drawn for this export only)"),
    "session": _l("Session"),
    "wave": _l("Wave"),
    "territory": _l("Territorial administration"),
    "date": _l("Date of the session"),
    "language": _l("Language of the answers"),
}
SAV_LABEL_BYTES, SAV_VALUE_LABEL_BYTES, SAV_FILE_LABEL_BYTES, DTA_LABEL_CHARACTERS = 256, 120, 64, 80
"""The formats' limits; a longer label is cut with "…" (the codebook has it whole)."""


def label_languages(definition: InstrumentDefinition) -> tuple[str, ...]:
    """The languages an export's labels may be in: the service's, then the instrument's own (a French form's `fr`)
    that fit ExportJob.language (5 characters)."""
    return tuple(dict.fromkeys((*LANGUAGES, *(code for code in definition.languages if len(code) <= 5))))


def wording(language: str) -> Wording:
    with force_locale(language):
        return Wording({name: str(label) for name, label in META_LABELS.items()}, _("chosen"), _("not chosen"))


def file_name(layout: Layout, file_format: str) -> str:
    """items-rses-1.0-ky.sav"""
    return f"items-{layout.definition.key}-{layout.language}.{file_format}"


def write_stream(layout: Layout, rows: Iterable[tuple], file_format: str, output: BinaryIO) -> None:
    """CSV (UTF-8 with a byte-order mark, formulas neutralised), XLSX (openpyxl's write-only mode), SPSS or Stata
    (variable labels, value labels and, in SPSS, the options scored as missing); ``output`` is a seekable file."""
    if file_format == "csv":
        write_csv(layout.names, rows, output)
    elif file_format == "xlsx":
        write_only_xlsx(layout.definition.key, layout.names, rows, output)
    else:
        _write_labelled(layout, rows, file_format, output)


def _write_labelled(layout: Layout, rows: Iterable[tuple], file_format: str, output: BinaryIO) -> None:
    title, created, sav = _in_language(layout), datetime.now(UTC), file_format == "sav"
    with spooled(_columns(layout.variables, sav), _coded(layout.variables, rows)) as spool:
        if sav:
            write_sav(output, spool, _cut_bytes(title, SAV_FILE_LABEL_BYTES).encode(), created)
        else:
            write_dta(output, spool, _cut_characters(title, DTA_LABEL_CHARACTERS), created)


def _columns(variables: tuple[Variable, ...], sav: bool) -> tuple[Column, ...]:
    """The variables as the writers take them, labels cut to the format's limits (Stata has none for values)."""

    def cut_label(label: str) -> str:
        return _cut_bytes(label, SAV_LABEL_BYTES) if sav else _cut_characters(label, DTA_LABEL_CHARACTERS)

    def cut_value_label(label: str) -> str:
        return _cut_bytes(label, SAV_VALUE_LABEL_BYTES) if sav else label

    return tuple(
        Column(
            variable.name,
            cut_label(variable.label),
            "number" if variable.codes else variable.kind,
            {_code(variable, value): cut_value_label(label) for value, label in variable.value_labels.items()},
            tuple(_code(variable, value) for value in variable.missing_values),
            variable.decimals,
        )
        for variable in variables
    )


def _coded(variables: tuple[Variable, ...], rows: Iterable[tuple]) -> Iterator[tuple]:
    """The rows with each text choice name replaced by its number."""
    coded = [(index, variable) for index, variable in enumerate(variables) if variable.codes]
    for row in rows:
        if coded:
            cells = list(row)
            for index, variable in coded:
                cells[index] = None if cells[index] is None else _code(variable, cells[index])
            row = tuple(cells)
        yield row


def _code(variable: Variable, value: int | str) -> int:
    return variable.codes[value] if isinstance(value, str) else value


def _in_language(layout: Layout) -> str:
    definition = layout.definition
    return f"{local_text(definition.title, layout.language) or definition.id} ({definition.version})"


def _cut_bytes(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", errors="ignore")
    return cut + "…"


def _cut_characters(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
