"""Fuzzing the XLSForm upload (issues 15 and 16): whatever file a coordinator sends - random bytes, a zip cut short,
a valid workbook with bytes changed, with a part damaged inside a sound zip, or with cells changed, an .xls damaged
the same ways - the answer is a draft or a refusal naming the problem, never a server error, and the upload stores
nothing (it only hands back a draft).

Run with 1,500 examples a strategy while it was written, these found a StopIteration, a TypeError and a ValueError
in the importer; tests/instruments/test_xlsform.py keeps each as a regression test."""

import re
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.services import InvalidDefinition, draft_from_xlsform
from tests.instruments import hostile_workbooks as hostile
from tests.instruments import xlsforms
from tests.instruments.test_views import upload

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALID = hostile.valid_workbook()
PARTS = hostile.members(VALID)
ANSWERS = {200, 413, 422}
"""A draft, a file over the size limit, a refused file."""

zip_prefixed = st.binary(max_size=2048).map(lambda tail: b"PK\x03\x04" + tail)
truncated = st.integers(0, len(VALID) - 1).map(lambda keep: VALID[:keep])
byte_changes = st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8)
xml_noise = st.sampled_from(
    [
        b"<",
        b">",
        b"&",
        b"<!DOCTYPE x>",
        b"&amp;",
        b"\x00",
        b"\xff\xfe",
        b'"',
        b"</row>",
        b"<row>",
        b'<c r="ZZZ99999999">',
        b'r="0"',
        b'ref="A1:XFD1048576"',
        b"\xd0",
    ]
) | st.binary(max_size=16)
CELL_WORDS = st.sampled_from(
    [
        "",
        " ",
        "type",
        "name",
        "label",
        "label::Kyrgyz (ky)",
        "label::Xx (xx)",
        "list_name",
        "select_one",
        "select_one agree",
        "select_multiple x or_other",
        "begin group",
        "end group",
        "begin repeat",
        "note",
        "integer",
        "${m1}",
        "${m1} = 1",
        "selected(${",
        ". >= 1 and . <= 2",
        "yes",
        "no",
        "0",
        "-1",
        "1e309",
        "NaN",
        "survey",
        "choices",
        "settings",
        "surveyapp",
        "scale",
        "flag",
        "{}",
        "[]",
        "null",
        '{"id": 1}',
        "=1+1",
        "\u2028",
        "ң",
        "(" * 500 + "${m1} = 1" + ")" * 500,
        "9" * 5000,
        "[" * 2000 + "]" * 2000,
        '{"not": ' * 450 + "1" + "}" * 450,
    ]
) | st.text(max_size=12)
SHEET_PARTS = sorted(name for name in PARTS if name.startswith("xl/worksheets/"))


def with_bytes_changed(changes: list[tuple[int, int]]) -> bytes:
    content = bytearray(VALID)
    for position, value in changes:
        content[position] = value
    return bytes(content)


@st.composite
def damaged_parts(draw) -> bytes:
    """A sound zip whose parts are damaged: one cut, one with noise inserted, one missing."""
    parts = dict(PARTS)
    name = draw(st.sampled_from(sorted(parts)))
    data = parts[name]
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 64)))
    action = draw(st.sampled_from(["cut", "insert", "replace", "drop"]))
    if action == "drop":
        del parts[name]
    elif action == "cut":
        parts[name] = data[:start]
    else:
        parts[name] = data[:start] + draw(xml_noise) + data[end if action == "replace" else start :]
    return hostile.zipped(parts)


@st.composite
def changed_cells(draw) -> bytes:
    """The valid workbook with a few of its cells' texts (headers, types, names, labels, settings, the surveyapp
    sheet's JSON) replaced: damage the importer has to name, not the XML parser."""
    parts = dict(PARTS)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(SHEET_PARTS))
        texts = list(re.finditer(rb"<t>([^<]*)</t>", parts[name]))
        chosen = texts[draw(st.integers(0, len(texts) - 1))]
        replacement = escape(draw(CELL_WORDS)).encode("utf-8", "surrogatepass")
        parts[name] = parts[name][: chosen.start(1)] + replacement + parts[name][chosen.end(1) :]
    return hostile.zipped(parts)


@pytest.fixture
def coordinator(client, login):
    login(Role.COORDINATOR)
    return client


def stored() -> tuple[int | None, ...]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Instrument, InstrumentVersion, AuditEvent)
    )


def upload_and_check(client, content: bytes) -> None:
    before = stored()
    response = upload(client, content)
    assert response.status_code in ANSWERS, response.status_code
    assert stored() == before
    if response.status_code != 200:
        assert "The file was not imported:" in response.text


@FUZZ
@given(content=st.binary(max_size=4096) | zip_prefixed)
def test_random_bytes_are_refused_without_a_server_error(coordinator, app_context, content):
    upload_and_check(coordinator, content)


@FUZZ
@given(content=truncated)
def test_a_workbook_cut_short_is_refused_without_a_server_error(coordinator, app_context, content):
    upload_and_check(coordinator, content)


@FUZZ
@given(changes=byte_changes)
def test_a_workbook_with_bytes_changed_is_answered_without_a_server_error(coordinator, app_context, changes):
    upload_and_check(coordinator, with_bytes_changed(changes))


@FUZZ
@given(content=damaged_parts())
def test_a_workbook_with_a_damaged_part_is_answered_without_a_server_error(coordinator, app_context, content):
    upload_and_check(coordinator, content)


@FUZZ
@given(content=changed_cells())
def test_a_workbook_with_cells_changed_is_answered_without_a_server_error(coordinator, app_context, content):
    upload_and_check(coordinator, content)


# ---- damaged Kobo-style forms, straight to the importer (no database) -------------------------------------------

XLS = xlsforms.xls(xlsforms.SPELLINGS)
SHEET_NAMES = ["survey", "choices", "settings"]
cell_changes = st.lists(
    st.tuples(
        st.sampled_from(SHEET_NAMES),
        st.integers(0, 40),
        st.integers(0, 20),
        CELL_WORDS.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),  # what a spreadsheet cell can hold
    ),
    min_size=1,
    max_size=6,
)


def with_cells_changed(sheets: xlsforms.Sheets, changes: list[tuple[str, int, int, str]]) -> xlsforms.Sheets:
    changed = {name: [list(row) for row in rows] for name, rows in sheets.items()}
    for sheet, row, column, text in changes:
        rows = changed.setdefault(sheet, [[]])
        cells = rows[row % len(rows)]
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = text
    return changed


def draft_or_refusal(content: bytes) -> None:
    """A draft or InvalidDefinition; anything else raised fails the test."""
    try:
        draft_from_xlsform(content)
    except InvalidDefinition as error:
        assert error.problems and all(isinstance(problem, str) for problem in error.problems)


@FUZZ
@given(changes=cell_changes, write=st.sampled_from([xlsforms.xlsx, xlsforms.xls]))
def test_a_kobo_form_with_cells_changed_is_drafted_or_refused_never_a_crash(changes, write):
    draft_or_refusal(write(with_cells_changed(xlsforms.HOUSEHOLD, changes)))


@FUZZ
@given(content=st.integers(0, len(XLS) - 1).map(lambda keep: XLS[:keep]))
def test_an_xls_cut_short_is_refused_without_a_crash(content):
    draft_or_refusal(content)


@FUZZ
@given(changes=st.lists(st.tuples(st.integers(0, len(XLS) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_an_xls_with_bytes_changed_is_drafted_or_refused_without_a_crash(changes):
    content = bytearray(XLS)
    for position, value in changes:
        content[position] = value
    draft_or_refusal(bytes(content))
