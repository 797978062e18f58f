"""An SPSS system file (.sav), bytecode-compressed, UTF-8, written row by row from a `stat_columns.Spool`.

The layout follows the "System File Format" chapter of the GNU PSPP Developers Guide: the file header, one
variable record per 8-byte slot of a case, value labels (records 3 and 4), the machine records (subtypes 3 and 4),
long variable names (13), very long strings (14), the character encoding (20), then the compressed cases. Text
columns are as wide as their longest value (the spool measured it); one wider than 255 bytes is a "very long
string", stored as segments of 255 bytes. Names in the variable records are short names (V1, V2...); the long
names record gives each variable its real name.
"""

import math
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from surveyapp.reports.stat_columns import Column, Spool

SYSMIS = -sys.float_info.max
HIGHEST = sys.float_info.max
LOWEST = math.nextafter(-sys.float_info.max, 0.0)
BIAS = 100
SPSS_EPOCH = datetime(1582, 10, 14).toordinal()
"""SPSS dates count seconds from 14 October 1582."""
SEGMENT_BYTES, SEGMENT_STEP, MAX_SHORT_STRING = 255, 252, 255
FORMAT_A, FORMAT_F, FORMAT_DATE = 1, 5, 20
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BLANK = b" " * 8
CODE_PADDING, CODE_RAW, CODE_BLANK, CODE_SYSMIS = 0, 253, 254, 255


@dataclass(frozen=True)
class _Variable:
    column: Column
    short_number: int
    """Its short name is V<short_number>, the next segments' V<short_number + 1>..."""
    segments: tuple[int, ...]
    """The width of each segment: (0,) for a number or a date, the text's byte widths otherwise."""
    width: int
    """A text's width in bytes (its longest value, at least 1)."""
    index: int
    """Its first 8-byte slot in a case, counted from 1 (how value label records point at it)."""


def write_sav(output: BinaryIO, spool: Spool, file_label: bytes, created: datetime) -> None:
    """``file_label`` at most 64 bytes; value labels at most 255 bytes, variable labels at most 65,535. SPSS takes
    at most three missing values per variable: a column's first three are declared (the codebook lists all)."""
    variables = _variables(spool)
    slots = sum(_slots(width) for variable in variables for width in variable.segments)
    output.write(_header(slots, spool.count, file_label, created))
    for variable in variables:
        output.write(_variable_records(variable))
    for variable in variables:
        if variable.column.value_labels:
            output.write(_value_labels(variable))
    output.write(_machine_records())
    output.write(_text_record(13, "\t".join(f"V{v.short_number}={v.column.name}" for v in variables).encode()))
    long_strings = [v for v in variables if len(v.segments) > 1]
    if long_strings:
        widths = "".join(f"V{v.short_number}={v.width:05d}\0\t" for v in long_strings)
        output.write(_text_record(14, widths.encode()))
    output.write(_text_record(20, b"UTF-8"))
    output.write(struct.pack("<ii", 999, 0))
    _write_cases(output, variables, spool.rows())


def _variables(spool: Spool) -> list[_Variable]:
    variables, index, short_names = [], 1, 0
    for column, width in zip(spool.columns, spool.widths):
        segments = _segments(width) if column.kind == "text" else (0,)
        variables.append(_Variable(column, short_names + 1, segments, max(width, 1), index))
        short_names += len(segments)
        index += sum(_slots(segment) for segment in segments)
    return variables


def _segments(width: int) -> tuple[int, ...]:
    width = max(width, 1)
    if width <= MAX_SHORT_STRING:
        return (width,)
    count = (width + SEGMENT_STEP - 1) // SEGMENT_STEP
    return (SEGMENT_BYTES,) * (count - 1) + (width - (count - 1) * SEGMENT_STEP,)


def _slots(width: int) -> int:
    return 1 if width == 0 else (width + 7) // 8


def _header(slots: int, cases: int, file_label: bytes, created: datetime) -> bytes:
    product = b"@(#) SPSS DATA FILE surveyapp"
    day = f"{created.day:02d} {MONTHS[created.month - 1]} {created.year % 100:02d}".encode()
    return struct.pack(
        "<4s60siiiiid9s8s64s3x",
        b"$FL2",
        product.ljust(60),
        2,
        slots,
        1,
        0,
        cases,
        float(BIAS),
        day,
        created.strftime("%H:%M:%S").encode(),
        file_label.ljust(64),
    )


def _variable_records(variable: _Variable) -> bytes:
    column = variable.column
    records = []
    for number, width in enumerate(variable.segments):
        first = number == 0
        label = column.label.encode() if first else b""
        missing = column.missing_values[:3] if first else ()
        display = _format(column, width)
        name = f"V{variable.short_number + number}".encode()
        record = struct.pack("<iiiiii8s", 2, width, bool(label), len(missing), display, display, name.ljust(8))
        if label:
            record += struct.pack("<i", len(label)) + label + b"\0" * (-len(label) % 4)
        record += b"".join(struct.pack("<d", value) for value in missing)
        continuation = struct.pack("<iiiiii8s", 2, -1, 0, 0, 0, 0, BLANK)
        records.append(record + continuation * (_slots(width) - 1))
    return b"".join(records)


def _format(column: Column, width: int) -> int:
    if column.kind == "text":
        return FORMAT_A << 16 | width << 8
    if column.kind == "date":
        return FORMAT_DATE << 16 | 11 << 8
    return FORMAT_F << 16 | (8 + column.decimals) << 8 | column.decimals


def _value_labels(variable: _Variable) -> bytes:
    labels = variable.column.value_labels
    record = struct.pack("<ii", 3, len(labels))
    for value, label in labels.items():
        text = label.encode()
        record += struct.pack("<dB", value, len(text)) + text + b" " * (-(1 + len(text)) % 8)
    return record + struct.pack("<iii", 4, 1, variable.index)


def _machine_records() -> bytes:
    integers = struct.pack("<iiii8i", 7, 3, 4, 8, 1, 0, 0, -1, 1, 1, 2, 65001)
    floats = struct.pack("<iiii3d", 7, 4, 8, 3, SYSMIS, HIGHEST, LOWEST)
    return integers + floats


def _text_record(subtype: int, text: bytes) -> bytes:
    return struct.pack("<iiii", 7, subtype, 1, len(text)) + text


def _write_cases(output: BinaryIO, variables: list[_Variable], rows: Iterator[list[Any]]) -> None:
    """Bytecode compression: blocks of eight one-byte codes, each block followed by the 8-byte values its
    CODE_RAW codes stand for. A whole number from -99 to 151 is its code minus BIAS; eight spaces CODE_BLANK;
    a missing number CODE_SYSMIS. The codes run on from one case to the next; the last block is padded."""
    codes, raw = bytearray(), list[bytes]()
    layout = [(variable.column.kind, variable.segments) for variable in variables]
    for row in rows:
        for (kind, segments), cell in zip(layout, row):
            if kind == "text":
                _text_codes(cell, segments, codes, raw)
            elif cell is None:
                codes.append(CODE_SYSMIS)
            else:
                value = float(cell) if kind == "number" else (cell - SPSS_EPOCH) * 86400.0
                if value.is_integer() and -BIAS < value <= 251 - BIAS:
                    codes.append(int(value) + BIAS)
                else:
                    codes.append(CODE_RAW)
                    raw.append(struct.pack("<d", value))
        _write_blocks(output, codes, raw)
    if codes:
        codes.extend([CODE_PADDING] * (8 - len(codes)))
        _write_blocks(output, codes, raw)


def _text_codes(value: bytes, segments: tuple[int, ...], codes: bytearray, raw: list[bytes]) -> None:
    for number, width in enumerate(segments):
        padded = value[number * SEGMENT_BYTES : (number + 1) * SEGMENT_BYTES].ljust(_slots(width) * 8)
        for start in range(0, len(padded), 8):
            chunk = padded[start : start + 8]
            if chunk == BLANK:
                codes.append(CODE_BLANK)
            else:
                codes.append(CODE_RAW)
                raw.append(chunk)


def _write_blocks(output: BinaryIO, codes: bytearray, raw: list[bytes]) -> None:
    """Every whole block of codes with its raw values; what is left waits for the next case."""
    blocks, used = len(codes) // 8, 0
    parts = []
    for block in range(blocks):
        codes_of_block = codes[block * 8 : block * 8 + 8]
        count = codes_of_block.count(CODE_RAW)
        parts.append(bytes(codes_of_block) + b"".join(raw[used : used + count]))
        used += count
    output.write(b"".join(parts))
    del codes[: blocks * 8]
    del raw[:used]
