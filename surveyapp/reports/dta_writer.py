"""A Stata file (.dta, format 118: Stata 14 and later, UTF-8), written row by row from a `stat_columns.Spool`.

The layout follows Stata's "dta file format" description for release 118: tagged sections (header, map,
variable types, names, sort list, formats, value label names, variable labels, characteristics, data, strLs,
value labels). Numbers are doubles; a missing number is Stata's "." (2 ** 1023); dates are %td (days since
1 January 1960). A text column is a str# as wide as its longest value (the spool measured it), or a strL when
that is over 2,045 bytes: its values go to the strLs section as GSO records, staged in a temporary file while
the rows are written. The map of section offsets is written last, once they are known.
"""

import shutil
import struct
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from itertools import accumulate
from typing import IO, Any, BinaryIO

from surveyapp.reports.stat_columns import Column, Spool

MISSING = 2.0**1023
STATA_EPOCH = date(1960, 1, 1).toordinal()
MAX_STR, STRL, DOUBLE = 2045, 32768, 65526
NAME_BYTES, FORMAT_BYTES, LABEL_BYTES = 129, 57, 321
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAP_ENTRIES = 14


def write_dta(output: BinaryIO, spool: Spool, file_label: str, created: datetime) -> None:
    """``file_label`` and variable labels at most 80 characters (Stata's limit)."""
    columns, types = spool.columns, [_type(column, width) for column, width in zip(spool.columns, spool.widths)]
    offsets = [output.tell()]
    output.write(b"<stata_dta>" + _header(len(columns), spool.count, file_label, created))
    sections = [
        (b"map", bytes(8 * MAP_ENTRIES)),
        (b"variable_types", b"".join(struct.pack("<H", kind) for kind in types)),
        (b"varnames", b"".join(_field(column.name, NAME_BYTES) for column in columns)),
        (b"sortlist", bytes(2 * (len(columns) + 1))),
        (b"formats", b"".join(_field(_format(column, kind), FORMAT_BYTES) for column, kind in zip(columns, types))),
        (b"value_label_names", b"".join(_field(_label_name(column), NAME_BYTES) for column in columns)),
        (b"variable_labels", b"".join(_field(column.label, LABEL_BYTES) for column in columns)),
        (b"characteristics", b""),
    ]
    for tag, content in sections:
        offsets.append(output.tell())
        output.write(b"<%s>%s</%s>" % (tag, content, tag))
    with tempfile.TemporaryFile() as strls:
        offsets.append(output.tell())
        output.write(b"<data>")
        _write_rows(output, strls, columns, types, spool.rows())
        output.write(b"</data>")
        offsets.append(output.tell())
        output.write(b"<strls>")
        strls.seek(0)
        shutil.copyfileobj(strls, output)
        output.write(b"</strls>")
    offsets.append(output.tell())
    output.write(b"<value_labels>" + b"".join(_value_labels(c) for c in columns if c.value_labels) + b"</value_labels>")
    offsets.append(output.tell())
    output.write(b"</stata_dta>")
    offsets.append(output.tell())
    output.seek(offsets[1] + len(b"<map>"))
    output.write(struct.pack(f"<{MAP_ENTRIES}Q", *offsets))
    output.seek(0, 2)


def _header(variables: int, rows: int, file_label: str, created: datetime) -> bytes:
    label = file_label.encode()
    stamp = f"{created.day:02d} {MONTHS[created.month - 1]} {created.year} {created:%H:%M}".encode()
    return (
        b"<header><release>118</release><byteorder>LSF</byteorder>"
        + b"<K>%s</K><N>%s</N>" % (struct.pack("<H", variables), struct.pack("<Q", rows))
        + b"<label>%s%s</label>" % (struct.pack("<H", len(label)), label)
        + b"<timestamp>%s%s</timestamp></header>" % (struct.pack("<B", len(stamp)), stamp)
    )


def _type(column: Column, width: int) -> int:
    if column.kind != "text":
        return DOUBLE
    return max(width, 1) if width <= MAX_STR else STRL


def _format(column: Column, kind: int) -> str:
    if column.kind == "date":
        return "%td"
    if column.kind == "number":
        return f"%9.{column.decimals}f" if column.decimals else "%9.0g"
    return "%9s" if kind == STRL else f"%{kind}s"


def _label_name(column: Column) -> str:
    """A variable's value labels are the set named after it."""
    return column.name if column.value_labels else ""


def _field(text: str, size: int) -> bytes:
    """A fixed-size field, NUL-padded; always NUL-terminated."""
    encoded = text.encode()
    if len(encoded) >= size:
        raise ValueError(f"{text!r} takes more than {size - 1} bytes")
    return encoded.ljust(size, b"\0")


def _write_rows(
    output: BinaryIO, strls: IO[bytes], columns: tuple[Column, ...], types: list[int], rows: Iterator[list[Any]]
) -> None:
    layout = struct.Struct("<" + "".join(_cell_format(kind) for kind in types))
    numbers = [n for n, column in enumerate(columns) if column.kind == "number"]
    dates = [n for n, column in enumerate(columns) if column.kind == "date"]
    long_texts = [n for n, kind in enumerate(types) if kind == STRL]
    for observation, cells in enumerate(rows, start=1):
        for n in numbers:
            if cells[n] is None:
                cells[n] = MISSING
        for n in dates:
            cells[n] = MISSING if cells[n] is None else float(cells[n] - STATA_EPOCH)
        for n in long_texts:
            cells[n] = _strl(strls, cells[n], n + 1, observation)
        output.write(layout.pack(*cells))


def _cell_format(kind: int) -> str:
    if kind == DOUBLE:
        return "d"
    return "Q" if kind == STRL else f"{kind}s"


def _strl(strls: IO[bytes], text: bytes, variable: int, observation: int) -> int:
    """The (v, o) reference of a strL cell (v in the low 2 bytes, o in the next 6); its GSO record staged."""
    if not text:
        return 0
    strls.write(b"GSO" + struct.pack("<IQBI", variable, observation, 130, len(text) + 1) + text + b"\0")
    return variable | observation << 16


def _value_labels(column: Column) -> bytes:
    texts = [label.encode() + b"\0" for label in column.value_labels.values()]
    starts = [0, *accumulate(len(text) for text in texts)][:-1]
    count, length = len(texts), sum(len(text) for text in texts)
    table = struct.pack(
        f"<ii{count}i{count}i", count, length, *starts, *(int(value) for value in column.value_labels)
    ) + b"".join(texts)
    return b"<lbl>" + struct.pack("<i", len(table)) + _field(column.name, NAME_BYTES) + bytes(3) + table + b"</lbl>"
