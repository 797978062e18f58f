"""What the SPSS and Stata writers (sav_writer, dta_writer) take: the columns of a file and its rows, spooled.

Both formats fix, in the header before the first row, how many rows there are and how many bytes each text
column holds; neither is known before the last row has been read. So the rows pass once through a temporary
file (marshal, a batch at a time) that measures them, and are written from there: memory stays the same
whatever the number of rows. Pure: no Flask, no database.
"""

import marshal
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Literal

BATCH = 1000

Kind = Literal["number", "text", "date"]
KINDS: tuple[Kind, ...] = ("number", "text", "date")
NUMBER_TYPES = (int, float, type(None))
"""Exactly these: a bool or a text in a number column is an error, not a number."""
Cell = float | int | bytes | None
"""A number as int or float (None: missing); a date as its proleptic Gregorian ordinal (date.toordinal); a text as
UTF-8 bytes (b"": empty or unanswered)."""


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: Kind
    value_labels: Mapping[int, str] = field(default_factory=dict)
    missing_values: tuple[int, ...] = ()
    """Values that mean "no answer" although one was chosen (SPSS's user-missing values)."""
    decimals: int = 2
    """Decimals SPSS and Stata show (a display format only: the value is written in full)."""


class Spool:
    """The rows, encoded and measured, in a temporary file; read back by `rows()`."""

    def __init__(self, columns: tuple[Column, ...], rows: Iterable[tuple], file: IO[bytes]) -> None:
        self.columns = columns
        self.count = 0
        self.widths = [0] * len(columns)
        """The longest text of each text column, in bytes (0 for other columns)."""
        self._file = file
        self._kinds = {kind: [n for n, column in enumerate(columns) if column.kind == kind] for kind in KINDS}
        batch: list[list[Cell]] = []
        for row in rows:
            batch.append(self._encoded(row))
            if len(batch) == BATCH:
                marshal.dump(batch, file)
                batch = []
        marshal.dump(batch, file)
        marshal.dump([], file)  # the end

    def _encoded(self, row: tuple) -> list[Cell]:
        """The row's cells as `Cell` says, each text measured. One loop per kind: this runs for every cell."""
        cells, widths = list(row), self.widths
        if len(cells) != len(widths):
            raise ValueError(f"a row of {len(cells)} cells for {len(widths)} columns")
        for index in self._kinds["number"]:
            if type(cells[index]) not in NUMBER_TYPES:
                raise ValueError(f"{cells[index]!r} is not a number")
        for index in self._kinds["text"]:
            value = cells[index]
            encoded = cells[index] = b"" if value is None else str(value).encode()
            if len(encoded) > widths[index]:
                widths[index] = len(encoded)
        for index in self._kinds["date"]:
            cells[index] = _ordinal(cells[index])
        self.count += 1
        return cells

    def rows(self) -> Iterator[list[Any]]:
        """The rows as `Cell` says, in their order."""
        self._file.seek(0)
        while batch := marshal.load(self._file):
            yield from batch


@contextmanager
def spooled(columns: tuple[Column, ...], rows: Iterable[tuple]) -> Iterator[Spool]:
    """The rows spooled to a temporary file, removed on leaving the `with` block."""
    with tempfile.TemporaryFile() as file:
        yield Spool(columns, rows, file)


def _ordinal(value: object) -> int | None:
    if value is None:
        return None
    return (value if isinstance(value, date) else date.fromisoformat(str(value))).toordinal()
