"""Damaged and hostile workbooks for the XLSForm upload (issue 15), built with zipfile from a valid XLSForm so that
no binary file is committed. Each builder returns the bytes a coordinator could upload."""

import random
import struct
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from io import BytesIO

from openpyxl import Workbook

from surveyapp.instruments.xlsform import export_xlsform
from tests.factories import mood_instrument

SURVEY_SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes the sheets in order; export_xlsform's first is "survey"
SHARED_STRINGS = "xl/sharedStrings.xml"
MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_START = f'<worksheet xmlns="{MAIN_NAMESPACE}">{{dimension}}<sheetData>'
SHEET_END = "</sheetData></worksheet>"
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File Binary: .xls, and any password-protected .xlsx
HEADER = ["type", "name", "label::Kyrgyz (ky)", "label::Russian (ru)", "label::English (en)"]
QUESTION = ["text", "q", "Суроо", "Вопрос", "Question"]


def valid_workbook() -> bytes:
    return export_xlsform(mood_instrument())


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: Mapping[str, bytes | Iterable[bytes]]) -> bytes:
    """A deflated zip; a member given as chunks is streamed, so a huge member never sits in memory."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            with archive.open(name, "w") as member:
                for chunk in [data] if isinstance(data, bytes) else data:
                    member.write(chunk)
    return buffer.getvalue()


def with_survey_sheet(chunks: bytes | Iterable[bytes]) -> bytes:
    """The valid workbook with its survey sheet replaced."""
    return zipped({**members(valid_workbook()), SURVEY_SHEET: chunks})


def inline_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def row_xml(number: int, values: list[str]) -> str:
    cells = "".join(inline_cell(f"{chr(ord('A') + column)}{number}", value) for column, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def survey_rows(count: int, dimension: str | None = "honest") -> Iterator[bytes]:
    """A survey sheet of `count` text questions (all named `q`), in chunks, as Excel writes it (shared strings) but
    with its rows unnumbered (they may be), so that it deflates as well as in issue 15; the dimension as Excel
    writes it, a given (possibly lying) one, or none."""
    if dimension == "honest":
        dimension = f"A1:E{count + 1}"
    yield SHEET_START.format(dimension=f'<dimension ref="{dimension}"/>' if dimension else "").encode()
    yield row_xml(1, HEADER).encode()
    question = "<row>" + "".join(f'<c t="s"><v>{index}</v></c>' for index in range(len(QUESTION))) + "</row>"
    block = (question * 1000).encode()
    for _ in range(count // 1000):
        yield block
    yield (question * (count % 1000) + SHEET_END).encode()


def with_survey_rows(count: int, dimension: str | None = "honest") -> bytes:
    """The valid workbook with a survey sheet of survey_rows and the shared strings they refer to."""
    parts = members(valid_workbook())
    strings = "".join(f"<si><t>{text}</t></si>" for text in QUESTION)
    parts[SHARED_STRINGS] = f'<sst xmlns="{MAIN_NAMESPACE}">{strings}</sst>'.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return zipped({**parts, SURVEY_SHEET: survey_rows(count, dimension)})


def million_rows() -> bytes:
    """The workbook of issue 15: 1,000,000 rows, each a problem (the same name again)."""
    return with_survey_rows(1_000_000)


def rows_past_a_lying_dimension(count: int) -> bytes:
    return with_survey_rows(count, dimension="A1:E2")


def many_refused_rows(count: int) -> bytes:
    """A form of `count` geopoint questions, each of them refused by surveyapp."""
    workbook = Workbook()
    workbook.active.title = "survey"
    workbook.active.append(HEADER)
    for number in range(count):
        workbook.active.append(["geopoint", f"g{number}", "Жер", "Место", "Place"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_form(dimension: str, after: str = "") -> bytes:
    """A form of three questions whose survey sheet declares `dimension`, with `after` (rows) past its questions."""
    questions = [["text", f"q{number}", "Аты", "Имя", "Name"] for number in (1, 2, 3)]
    sheet = (
        SHEET_START.format(dimension=f'<dimension ref="{dimension}"/>')
        + "".join(row_xml(number, values) for number, values in enumerate([HEADER, *questions], start=1))
        + after
        + SHEET_END
    )
    return with_survey_sheet(sheet.encode())


def huge_dimensions() -> bytes:
    """A small sheet that declares every cell Excel can hold (LibreOffice declares 1,024 columns, `A1:AMJ1048576`)."""
    return small_form("A1:XFD1048576")


def wide_dimension() -> bytes:
    """A small sheet that declares every column Excel has."""
    return small_form("A1:XFD4")


def empty_rows_past_the_dimension() -> bytes:
    """Google Sheets' way: a dimension over the rows used, then 1,000 rows that hold no value."""
    return small_form(
        "A1:E4", "".join(f'<row r="{number}"><c r="A{number}" s="1"/></row>' for number in range(5, 1_005))
    )


def long_string(characters: int = 10_000_000) -> bytes:
    """A question whose Russian label is `characters` long (10 MB by default)."""
    sheet = (
        SHEET_START.format(dimension='<dimension ref="A1:E2"/>')
        + row_xml(1, HEADER)
        + row_xml(2, ["text", "q", "Суроо", "x" * characters, "Question"])
        + SHEET_END
    )
    return with_survey_sheet(sheet.encode())


def entity_sheet(doctype: str, cell_text: str) -> bytes:
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{doctype}]>'
        + SHEET_START.format(dimension="")
        + row_xml(1, HEADER)
        + row_xml(2, ["text", "q", cell_text, "V", "Q"])
        + SHEET_END
    )
    return sheet.encode()


def xxe() -> bytes:
    return with_survey_sheet(entity_sheet('<!ENTITY secret SYSTEM "file:///etc/passwd">', "&secret;"))


def internal_entity() -> bytes:
    """A harmless-looking entity, far below the expansion expat stops by itself."""
    return with_survey_sheet(entity_sheet('<!ENTITY greeting "Hello">', "&greeting;"))


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    return with_survey_sheet(entity_sheet(entities, "&lol9;"))


def utf16_doctype() -> bytes:
    """The XXE sheet in UTF-16, where a search for the ASCII bytes of '<!DOCTYPE' finds nothing."""
    text = entity_sheet('<!ENTITY secret SYSTEM "file:///etc/passwd">', "&secret;").decode()
    return with_survey_sheet(
        text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    )


def padded_sheet(megabytes: int) -> Iterator[bytes]:
    """A valid survey sheet inflated by `megabytes` of whitespace between its rows."""
    yield SHEET_START.format(dimension="").encode() + row_xml(1, HEADER).encode()
    padding = b" " * 1024 * 1024
    for _ in range(megabytes):
        yield padding
    yield (row_xml(2, ["text", "q", "С", "В", "Q"]) + SHEET_END).encode()


def zip_bomb(megabytes: int = 64) -> bytes:
    return with_survey_sheet(padded_sheet(megabytes))


def lying_zip_bomb(megabytes: int = 64) -> bytes:
    """The zip bomb with its survey sheet declared 4 KB in both zip headers."""
    return declare_size(zip_bomb(megabytes), SURVEY_SHEET, 4096)


def declare_size(content: bytes, name: str, size: int) -> bytes:
    """Overwrite the uncompressed size of one member in its local header and its central directory entry."""
    data = bytearray(content)
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while data[start + name_offset : start + name_offset + len(name)] != name.encode():
            start = data.find(signature, start + 1)
        struct.pack_into("<I", data, start + size_offset, size)
    return bytes(data)


def not_a_zip() -> bytes:
    return random.Random(15).randbytes(4096)


def csv_file() -> bytes:
    return "type,name,label\ntext,q,Вопрос\n".encode()


def zip_without_workbook() -> bytes:
    return zipped({"readme.txt": b"not a workbook", "word/document.xml": b"<w:document/>"})


def old_excel() -> bytes:
    """The first bytes of an .xls (Excel 97-2003): a Compound File with a Workbook stream."""
    return OLE2_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1024)


def encrypted_workbook() -> bytes:
    """What Excel writes for an .xlsx with a password: a Compound File holding EncryptionInfo and EncryptedPackage."""
    names = "".join(name.ljust(32, "\0") for name in ("EncryptionInfo", "EncryptedPackage"))
    return OLE2_MAGIC + bytes(504) + names.encode("utf-16-le") + random.Random(16).randbytes(2048)


HOSTILE = {
    "not a zip": not_a_zip,
    "a CSV file": csv_file,
    "a zip that is not a workbook": zip_without_workbook,
    "a damaged .xls": old_excel,
    "an encrypted workbook": encrypted_workbook,
    "XXE": xxe,
    "XXE in UTF-16": utf16_doctype,
    "billion laughs": billion_laughs,
    "a zip bomb": zip_bomb,
    "a zip bomb with lying sizes": lying_zip_bomb,
    "1,000,000 rows": million_rows,
    "a 10 MB string cell": long_string,
}
"""Every bad file of issue 15, by the name the measurements and tests give it."""

DECLARED_ONLY = {
    "huge dimensions": huge_dimensions,
    "a sheet as wide as Excel allows": wide_dimension,
    "1,000 empty rows after a small dimension": empty_rows_past_the_dimension,
}
"""Small forms whose sheets declare (or hold as empty rows) far more than they use, as LibreOffice and Google Sheets
write them: pyxform reads only the used part, so they import."""
