"""An item-level export written as CSV, XLSX, SPSS (.sav) or Stata (.dta).

CSV and XLSX are written row by row (memory stays the same whatever the number of rows). SPSS and Stata files
are written by pyreadstat, which takes a whole data frame (ReadStat writes the row count in the header and has no
append): the rows are gathered column by column (8 bytes per number; the strings of a session or a territory
shared), so memory grows with the rows - bench/README.md has the figures.
"""

from array import array
from collections.abc import Iterable
from typing import BinaryIO

import numpy as np
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.definitions.model import local_text
from surveyapp.reports.exports import CSV_TYPE, XLSX_TYPE, write_csv
from surveyapp.reports.item_export import Layout, Variable, Wording
from surveyapp.reports.xlsx import write_only_xlsx

FORMATS = ("csv", "xlsx", "sav", "dta")
MIMETYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "sav": "application/x-spss-sav", "dta": "application/x-stata-dta"}
STREAMED = ("csv", "xlsx")
META_LABELS = {
    "pseudonym": _l("Pseudonym (drawn for this export only)"),
    "session": _l("Session"),
    "wave": _l("Wave"),
    "territory": _l("Territorial administration"),
    "date": _l("Date of the session"),
    "language": _l("Language of the answers"),
}
SAV_LABEL_BYTES, SAV_VALUE_LABEL_BYTES, DTA_LABEL_CHARACTERS = 256, 120, 80
"""The formats' limits; a longer label is cut with "…" (the codebook has it whole)."""


def wording(language: str) -> Wording:
    with force_locale(language):
        return Wording({name: str(label) for name, label in META_LABELS.items()}, _("chosen"), _("not chosen"))


def file_name(layout: Layout, file_format: str) -> str:
    """items-rses-1.0-ky.sav"""
    return f"items-{layout.definition.key}-{layout.language}.{file_format}"


def write_stream(layout: Layout, rows: Iterable[tuple], file_format: str, output: BinaryIO) -> None:
    """CSV (UTF-8 with a byte-order mark, formulas neutralised) or XLSX (openpyxl's write-only mode)."""
    if file_format == "csv":
        write_csv(layout.names, rows, output)
    else:
        write_only_xlsx(layout.definition.key, layout.names, rows, output)


def write_labelled(layout: Layout, rows: Iterable[tuple], file_format: str, path: str) -> None:
    """SPSS or Stata, with variable labels, value labels and (SPSS) the options scored as missing.

    pandas and pyreadstat are imported here, by the export worker only: they add some 50 MB to a process, which
    the web workers need not carry."""
    import pyreadstat

    frame = _frame(layout.variables, rows)
    title = _in_language(layout)
    if file_format == "sav":
        pyreadstat.write_sav(
            frame,
            path,
            file_label=_cut_bytes(title, 64),
            column_labels={v.name: _cut_bytes(v.label, SAV_LABEL_BYTES) for v in layout.variables},
            variable_value_labels={
                v.name: {value: _cut_bytes(label, SAV_VALUE_LABEL_BYTES) for value, label in v.value_labels.items()}
                for v in layout.variables
                if v.value_labels
            },
            missing_ranges={v.name: list(v.missing_values) for v in layout.variables if v.missing_values},
        )
    else:
        pyreadstat.write_dta(
            frame,
            path,
            file_label=_cut_characters(title, DTA_LABEL_CHARACTERS),
            column_labels={v.name: _cut_characters(v.label, DTA_LABEL_CHARACTERS) for v in layout.variables},
            variable_value_labels={v.name: dict(v.value_labels) for v in layout.variables if v.value_labels},
        )


def _in_language(layout: Layout) -> str:
    definition = layout.definition
    return f"{local_text(definition.title, layout.language) or definition.id} ({definition.version})"


def _frame(variables: tuple[Variable, ...], rows: Iterable[tuple]):
    import pandas as pd

    columns = [array("d") if variable.kind == "number" else [] for variable in variables]
    numbers = [isinstance(column, array) for column in columns]
    for values in rows:
        for column, is_number, value in zip(columns, numbers, values):
            column.append(np.nan if is_number and value is None else value)
    return pd.DataFrame(
        {
            variable.name: (np.frombuffer(column, dtype=np.float64) if is_number else pd.Series(column, dtype=object))
            for variable, column, is_number in zip(variables, columns, numbers)
        },
        copy=False,
    )


def _cut_bytes(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", errors="ignore")
    return cut + "…"


def _cut_characters(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
