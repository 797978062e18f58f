"""The streamed SPSS and Stata writers (issue 16: 1,000,000 submissions in constant memory), read back with
pyreadstat. Every expected value is written here by hand from the rows below; a few bytes are checked against the
formats' descriptions (PSPP Developers Guide, "System File Format": the header and bytecode compression; Stata's
"dta file format" for release 118: the map of section offsets)."""

import math
import struct
from datetime import date, datetime

import pyreadstat
import pytest

from surveyapp.reports import stat_columns
from surveyapp.reports.dta_writer import write_dta
from surveyapp.reports.sav_writer import write_sav
from surveyapp.reports.stat_columns import Column, spooled

CREATED = datetime(2026, 12, 3, 17, 45, 12)
COLUMNS = (
    Column("pseudonym", "Псевдоним", "text"),
    Column("feel", "Как ты себя чувствуешь?", "number", {1: "Хорошо", 2: "Плохо", 9: "Не хочу отвечать"}, (9,), 0),
    Column("held_on", "Дата", "date"),
    Column("comment", "Что ещё?", "text"),
    Column("score", "Балл", "number"),
)
LONG_SPSS = "ж" * 300  # 600 bytes: three segments of a very long string, one "ж" cut by the first boundary (255)
LONG_STATA = "Ё" * 1500 + "!"  # 3,001 bytes: more than a str2045, so a strL
ROWS = [
    ("P-A", 1, date(2026, 11, 20), "Всё хорошо", 2.5),
    ("P-B", 9, None, None, None),
    ("P-C", None, date(1582, 10, 14), "=1+2", 152.0),
    ("P-D", 2, date(1960, 1, 1), "", -100.0),
    ("P-E", 1, "2027-03-02", "x" * 20000, 1e9),
]
EXPECTED = [
    ["P-A", 1.0, date(2026, 11, 20), "Всё хорошо", 2.5],
    ["P-B", 9.0, None, "", None],
    ["P-C", None, date(1582, 10, 14), "=1+2", 152.0],
    ["P-D", 2.0, date(1960, 1, 1), "", -100.0],
    ["P-E", 1.0, date(2027, 3, 2), "x" * 20000, 1e9],
]


def written(tmp_path, file_format: str, rows, columns=COLUMNS):
    path = tmp_path / f"out.{file_format}"
    with spooled(columns, rows) as spool, open(path, "wb") as output:
        if file_format == "sav":
            write_sav(output, spool, "Привычки (1.0)".encode(), CREATED)
        else:
            write_dta(output, spool, "Привычки (1.0)", CREATED)
    return path


def read(path):
    if path.suffix == ".sav":
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    else:
        frame, meta = pyreadstat.read_dta(str(path))
    return [[_plain(cell) for cell in row] for row in frame.itertuples(index=False)], meta


def _plain(cell):
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    return cell


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_every_value_and_label_reads_back(tmp_path, file_format):
    rows, meta = read(written(tmp_path, file_format, ROWS))
    assert rows == EXPECTED
    assert meta.number_rows == 5
    assert meta.column_names == ["pseudonym", "feel", "held_on", "comment", "score"]
    assert meta.column_labels == ["Псевдоним", "Как ты себя чувствуешь?", "Дата", "Что ещё?", "Балл"]
    assert meta.file_label == "Привычки (1.0)"
    assert meta.variable_value_labels == {"feel": {1: "Хорошо", 2: "Плохо", 9: "Не хочу отвечать"}}


def test_spss_marks_the_missing_option_and_keeps_dates_as_dates(tmp_path):
    _rows, meta = read(written(tmp_path, "sav", ROWS))
    assert meta.missing_ranges == {"feel": [{"lo": 9.0, "hi": 9.0}]}
    assert meta.original_variable_types["held_on"] == "DATE11"
    assert meta.original_variable_types["feel"] == "F8.0"
    assert meta.original_variable_types["comment"] == "A20000"


@pytest.mark.parametrize(("file_format", "text"), [("sav", LONG_SPSS), ("sav", "ab"), ("dta", LONG_STATA)])
def test_a_long_text_comes_back_whole(tmp_path, file_format, text):
    columns = (Column("comment", "Comment", "text"),)
    rows, _meta = read(written(tmp_path, file_format, [(text,), ("short",), (None,)], columns))
    assert rows == [[text], ["short"], [""]]


def test_stata_keeps_long_texts_as_strl_and_short_ones_as_wide_as_the_longest(tmp_path):
    _rows, meta = read(written(tmp_path, "dta", ROWS))
    assert meta.original_variable_types["pseudonym"] == "%3s"
    assert meta.original_variable_types["comment"] == "%9s"  # a strL
    assert meta.original_variable_types["held_on"] == "%td"


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_no_rows_make_a_file_with_no_rows(tmp_path, file_format):
    rows, meta = read(written(tmp_path, file_format, []))
    assert rows == [] and meta.number_rows == 0 and len(meta.column_names) == 5


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_rows_spooled_in_several_batches_keep_their_order(tmp_path, file_format):
    columns = (Column("n", "N", "number"), Column("s", "S", "text"))
    count = 2 * stat_columns.BATCH + 500
    rows, _meta = read(written(tmp_path, file_format, ((n, f"row {n}") for n in range(count)), columns))
    assert rows == [[float(n), f"row {n}"] for n in range(count)]


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_a_text_one_byte_longer_than_the_longest_so_far_is_kept_whole(tmp_path, file_format):
    columns = (Column("s", "S", "text"),)
    rows, _meta = read(written(tmp_path, file_format, [("abcd",), ("abcde",)], columns))
    assert rows == [["abcd"], ["abcde"]]


def test_the_spss_header_and_compressed_case_as_pspp_describes_them(tmp_path):
    """One case of a number (1) and a 3-byte text: the header says 2 slots per case, bytecode compression,
    1 case, bias 100; the case is one block of eight codes - 101 (1 + bias), 253 (8 raw bytes follow), six 0s of
    padding - and then "abc" padded with spaces."""
    columns = (Column("n", "N", "number"), Column("s", "S", "text"))
    content = written(tmp_path, "sav", [(1, "abc")], columns).read_bytes()
    assert content[:4] == b"$FL2"
    assert struct.unpack("<iiiiid", content[64:92]) == (2, 2, 1, 0, 1, 100.0)
    assert content[92:109] == b"03 Dec 2617:45:12"
    assert content.endswith(struct.pack("<ii", 999, 0) + bytes([101, 253, 0, 0, 0, 0, 0, 0]) + b"abc     ")


def test_the_stata_map_points_at_each_section(tmp_path):
    content = written(tmp_path, "dta", ROWS).read_bytes()
    start = content.index(b"<map>") + len(b"<map>")
    offsets = struct.unpack("<14Q", content[start : start + 14 * 8])
    tags = [
        b"<stata_dta>",
        b"<map>",
        b"<variable_types>",
        b"<varnames>",
        b"<sortlist>",
        b"<formats>",
        b"<value_label_names>",
        b"<variable_labels>",
        b"<characteristics>",
        b"<data>",
        b"<strls>",
        b"<value_labels>",
        b"</stata_dta>",
    ]
    assert [content[offset : offset + len(tag)] for offset, tag in zip(offsets, tags)] == tags
    assert offsets[13] == len(content)
    assert content[content.index(b"<N>") + 3 :][:8] == struct.pack("<Q", 5)


def test_a_cell_that_is_not_a_number_is_refused_not_written(tmp_path):
    with pytest.raises(ValueError, match="'many' is not a number"):
        written(tmp_path, "sav", [("P-A", "many", None, None, None)])
