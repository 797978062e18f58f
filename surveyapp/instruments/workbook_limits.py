"""The limits an uploaded workbook must keep, checked before any parser opens it (issue 15). Pure Python, no Flask.

An XLSForm is a few hundred rows in a zip of some kilobytes (.xlsx) or a Compound File (.xls). A broken or hostile
upload can be anything else: not a zip, a password-protected workbook, a zip bomb (a few hundred kilobytes that
inflate to gigabytes, with honest or lying sizes), an XML bomb ("billion laughs") or external entity (XXE), a sheet
holding a million rows. `check_workbook` refuses all of these by looking at the zip alone - its size, its members,
every member inflated once as a stream and searched for a DTD, each sheet's rows with values against MAX_ROWS and
against the dimension it declares - so the check stays whichever library then reads the sheets (pyxform, through
openpyxl or xlrd). A declared dimension alone refuses nothing: spreadsheet programs declare whole columns. An .xls
is held to the size limit only: xlrd inflates nothing and parses no XML. The reader keeps MAX_ROWS, MAX_COLUMNS and
MAX_CELL_CHARS while it reads.
"""

import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from io import BytesIO

MAX_WORKBOOK_BYTES = 2 * 1024 * 1024
"""The file as uploaded; an XLSForm of a thousand questions in three languages is under 200 KB."""
MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024
"""All members of the zip together, as inflated (Python's zipfile never inflates a member past its declared size,
and a lying one fails its CRC check)."""
MAX_XML_TAGS = 300_000
"""Every '<' in all members together. openpyxl spends some 3 µs and up to 300 bytes on each XML element even in
read-only mode, twice over in a sheet without a dimension (parsed whole to look for one), so this bounds time and
memory where the inflated size does not: 12 MB of `<c/>` (3,000,000 cells) took 25 s and 2 GB. An XLSForm of
10,000 rows and 5 columns as Excel writes it has about 220,000."""
MAX_MEMBERS = 200
MAX_ROWS = 10_000
"""Rows per sheet, the header row included."""
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_PROBLEMS = 50
"""Problems listed for one file; the rest are counted ("... and 120 more problems")."""

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
"""A Compound File: an .xls (Excel 97-2003), or an .xlsx that Excel encrypted with a password."""
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
"""No part of a workbook has a DTD; one is how XML bombs and external entities come in."""
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
ROW_ELEMENT = re.compile(
    rb'<(?:\w+:)?row\b(?:[^>]*?\br="(?P<number>[0-9]{1,7})")?[^>]*?(?:/>|>(?P<cells>.*?)</(?:\w+:)?row>)', re.DOTALL
)
ROW_START = re.compile(rb"<(?:\w+:)?row\b")
CELL_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")
"""A cell's value, `<v>` (numbers, shared strings) or `<is>` (inline strings); a styled empty cell has neither."""
DTD_PROBLEM = (
    "the workbook holds an XML document type declaration (DTD), which Excel never writes and XML attacks "
    "use: save the XLSForm again from Excel, LibreOffice or Google Sheets"
)
PASSWORD_PROBLEM = "the workbook is protected by a password: save it again without one"
CHUNK_BYTES = 64 * 1024
DAMAGED_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    struct.error,
    ValueError,
    OSError,
    OverflowError,
)
MEGABYTE = 1024 * 1024


class WorkbookRefused(Exception):
    """A file refused before parsing; `problem` says what is wrong in words a coordinator can act on."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class WorkbookTooLarge(WorkbookRefused):
    """The file itself is larger than MAX_WORKBOOK_BYTES."""


def check_workbook(content: bytes) -> None:
    """Refuse (WorkbookRefused) a file that is not a workbook within the limits; return quietly otherwise."""
    if len(content) > MAX_WORKBOOK_BYTES:
        raise WorkbookTooLarge(
            f"the file is {megabytes(len(content))}; an XLSForm can be at most {megabytes(MAX_WORKBOOK_BYTES)}"
        )
    if content.startswith(OLE2_MAGIC):
        check_compound_file(content)
        return
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            check_members(archive.infolist())
            check_contents(archive)
    except DAMAGED_ZIP_ERRORS:
        raise WorkbookRefused(
            "the file is not an .xlsx workbook, or it is damaged: save the XLSForm again as .xlsx (Excel 2007 or "
            "later) or .xls"
        ) from None


def check_compound_file(content: bytes) -> None:
    """An .xls (Excel 97-2003) within the size limit goes to the reader (xlrd reads no XML and inflates nothing);
    an .xlsx that Excel encrypted with a password is a Compound File too, and cannot be read."""
    if ENCRYPTED_PACKAGE in content:
        raise WorkbookRefused(PASSWORD_PROBLEM)


def check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(f"the workbook holds {len(members):,} parts; an .xlsx has a few dozen at most")
    names = {member.filename for member in members}
    if not all(part in names for part in WORKBOOK_PARTS):
        raise WorkbookRefused("this zip file is not an Excel workbook: save the XLSForm as .xlsx (Excel 2007 or later)")
    if any(member.flag_bits & 0x1 for member in members):
        raise WorkbookRefused(PASSWORD_PROBLEM)


def check_inflated_size(size: int) -> None:
    if size > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRefused(
            f"the workbook unpacks to more than {megabytes(MAX_UNCOMPRESSED_BYTES)} (it is "
            "damaged, or a 'zip bomb'); an XLSForm unpacks to far less"
        )


def check_contents(archive: zipfile.ZipFile) -> None:
    """Inflate every member once as a stream: its real size and tags count, its first chunk is searched for a
    dimension, every chunk for a DTD (overlapping, so that a marker cut in two is found once), and its rows are
    counted as they come (`SheetRows`)."""
    inflated = tags = 0
    for member in archive.infolist():
        with archive.open(member) as stream:
            chunk, tail = stream.read(CHUNK_BYTES), b""
            declared_rows, rows = check_dimension(chunk), SheetRows()
            while chunk:
                inflated += len(chunk)
                tags += chunk.count(b"<")
                check_inflated_size(inflated)
                check_tags(tags)
                if any(marker in tail + chunk for marker in DTD_MARKERS):
                    raise WorkbookRefused(DTD_PROBLEM)
                rows.read(chunk)
                chunk, tail = stream.read(CHUNK_BYTES), chunk[-32:]
            rows.check(declared_rows)


class SheetRows:
    """The rows of a sheet that hold a value, read from its XML in chunks (a row may be cut in two).

    Only these count: Google Sheets writes 1,000 empty rows and LibreOffice declares every row and 1,024 columns
    (`A1:AMJ1048576`) on a form of fifty questions, and pyxform reads neither (it stops at the header's width and
    after 60 empty rows). A declared dimension smaller than the rows with values is refused: openpyxl's read-only
    mode, under pyxform, stops there and would drop the rest without a word."""

    def __init__(self) -> None:
        self.pending = bytearray()
        """From the start of the row the last chunk cut (or its last bytes, where a row tag may begin)."""
        self.number = 0
        self.with_values = 0
        self.last_with_value = 0

    def read(self, chunk: bytes) -> None:
        """Count the rows this chunk completes and keep what it leaves open. Linear in the sheet: a chunk that ends
        no row is only appended (a cell of megabytes is not searched again with every chunk)."""
        seam = bytes(self.pending[-8:]) + chunk
        self.pending += chunk
        if b"row>" in seam or b"/>" in seam:
            self.count_complete_rows()
        opening = ROW_START.search(self.pending)
        del self.pending[: opening.start() if opening else -16]

    def count_complete_rows(self) -> None:
        end = 0
        for row in ROW_ELEMENT.finditer(self.pending):
            self.number = int(row["number"]) if row["number"] else self.number + 1
            if row["cells"] and CELL_VALUE.search(row["cells"]):
                self.with_values += 1
                self.last_with_value = self.number
            end = row.end()
        del self.pending[:end]
        if self.with_values > MAX_ROWS:
            raise WorkbookRefused(
                f"a sheet of the workbook has more than {MAX_ROWS:,} rows; an XLSForm can have at most {MAX_ROWS:,} "
                "rows per sheet: delete the rows below the form"
            )

    def check(self, declared_rows: int | None) -> None:
        if declared_rows is not None and self.last_with_value > declared_rows:
            raise WorkbookRefused(
                f"a sheet of the workbook declares {declared_rows:,} rows but holds values in row "
                f"{self.last_with_value:,}: it is damaged; save the XLSForm again from Excel, LibreOffice or "
                "Google Sheets"
            )


def check_tags(tags: int) -> None:
    if tags > MAX_XML_TAGS:
        raise WorkbookRefused(
            f"the workbook holds more than {MAX_XML_TAGS:,} XML tags, far more than an XLSForm "
            "needs (one of 10,000 rows has about 220,000): it is damaged, or made to overload the "
            "server"
        )


def check_dimension(start_of_part: bytes) -> int | None:
    """The last row of the used range a sheet declares, e.g. `<dimension ref="A1:E1000"/>`, near its start."""
    match = DIMENSION.search(start_of_part)
    if match is None:
        return None
    return int(match.group(4) or match.group(2))


def first_problems(problems: Sequence[str], hidden: int = 0) -> list[str]:
    """At most MAX_PROBLEMS problems, then how many more there are (`hidden` were never kept)."""
    more = max(len(problems) - MAX_PROBLEMS, 0) + hidden
    shown = list(problems[:MAX_PROBLEMS])
    return shown + [f"... and {more:,} more problems"] if more else shown


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"
