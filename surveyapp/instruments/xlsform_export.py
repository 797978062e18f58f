"""Instrument dict (FORMAT.md) -> XLSForm workbook (.xlsx) that pyxform, KoboToolbox and ODK read as the same form."""

import json
from io import BytesIO

from openpyxl import Workbook

from surveyapp.instruments.xlsform_common import (
    CHOICES_SHEET,
    CONDITION_COLUMN,
    CORRECT_COLUMN,
    IF_NOT_RELEVANT_COLUMN,
    INSTRUCTIONS_ROLE,
    METADATA_SHEET,
    MISSING_COLUMN,
    REVERSE_COLUMN,
    ROLE_COLUMN,
    SECTION_COLUMN,
    SETTINGS_SHEET,
    SURVEY_SHEET,
)
from surveyapp.instruments.xlsform_expressions import condition_to_expression, constraint_text
from surveyapp.instruments.xlsform_languages import PYXFORM_DEFAULT, column_name

Row = dict[str, object]

SELECT_TYPES = {"choice": "select_one", "multi": "select_multiple"}
# Instrument-level keys stored in the metadata sheet, one row each (the optional ones when present); scales and
# flags get one row per entry.
METADATA_KEYS = ("title", "languages", "respondent_kind", "source", "licence", "translation_status")
OPTIONAL_METADATA_KEYS = ("staff_notes", "administration", "questions_per_screen")
TRANSLATED_COLUMNS = ("label", "hint", "required_message", "constraint_message")
EXTRA_COLUMNS = (CONDITION_COLUMN, IF_NOT_RELEVANT_COLUMN, REVERSE_COLUMN, CORRECT_COLUMN, ROLE_COLUMN, SECTION_COLUMN)
PLAIN_ITEM_KEYS = ("choice_filter", "appearance")


class Columns:
    """The column headers of the form's languages: `label::English (en)`, or plain `label` for pyxform's default."""

    def __init__(self, data: dict) -> None:
        self.languages = data["languages"]
        self.names = data.get("language_names", {})

    def translated(self, base: str, language: str) -> str:
        name = column_name(language, self.names)
        return base if name == PYXFORM_DEFAULT else f"{base}::{name}"

    def all(self, base: str) -> list[str]:
        """The columns in the order of the languages, a plain one first: pyxform reads a plain column after
        translated ones as the whole text, dropping the translations."""
        columns = [self.translated(base, language) for language in self.languages]
        return sorted(columns, key=lambda column: column != base)

    def cells(self, base: str, text: dict[str, str] | None) -> Row:
        return {self.translated(base, language): value for language, value in (text or {}).items()}


def export_xlsform(data: dict) -> bytes:
    """Write an instrument dict as an XLSForm .xlsx (survey, choices, settings and the surveyapp sheet)."""
    columns = Columns(data)
    list_names = choice_list_names(data)
    workbook = Workbook()
    survey_sheet = workbook.worksheets[0]
    survey_sheet.title = SURVEY_SHEET
    survey_columns = ["type", "name", *columns.all("label"), *columns.all("hint"), "required"]
    survey_columns += [*columns.all("required_message"), "relevant", "constraint", *columns.all("constraint_message")]
    survey_columns += ["choice_filter", "appearance", "calculation", *EXTRA_COLUMNS]
    labels = len(columns.languages)
    write_sheet(survey_sheet, survey_columns, SurveyWriter(data, columns, list_names).rows(), keep=2 + labels)
    lists = choice_lists(data, list_names)
    filters = list(
        dict.fromkeys(key for options in lists.values() for option in options for key in option.get("filter", {}))
    )
    write_sheet(
        workbook.create_sheet(CHOICES_SHEET),
        ["list_name", "name", *columns.all("label"), *filters, MISSING_COLUMN],
        choice_rows(lists, columns),
        keep=2 + labels,
    )
    settings = settings_row(data, columns)
    write_sheet(workbook.create_sheet(SETTINGS_SHEET), list(settings), [settings])
    write_sheet(workbook.create_sheet(METADATA_SHEET), ["key", "value"], metadata_rows(data))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet, columns: list[str], rows: list[Row], keep: int | None = None) -> None:
    """Write a header and rows, leaving out columns after the first `keep` that no row uses."""
    keep = len(columns) if keep is None else keep
    used = [
        column
        for index, column in enumerate(columns)
        if index < keep or any(row.get(column) not in (None, "") for row in rows)
    ]
    sheet.append(used)
    for row in rows:
        sheet.append([row.get(column) for column in used])


def choice_list_names(data: dict) -> dict[str, str]:
    """Choice list of each select item: its option set, or for inline options a list named after the item."""
    taken = set(data.get("option_sets", {}))
    names: dict[str, str] = {}
    for item in data["items"]:
        options = item.get("options")
        if isinstance(options, str):
            names[item["id"]] = options
        elif options is not None:
            names[item["id"]] = unused_name(item["id"], taken)
    return names


def unused_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    taken.add(candidate)
    return candidate


class SurveyWriter:
    """The survey sheet: metadata, the instructions note, then the items, each section a group in its parent's.

    ODK Validate refuses empty groups, so a section without items lives only in the surveyapp sheet. A section
    whose items are not consecutive gets a group per run (XLSForm group names must be unique)."""

    def __init__(self, data: dict, columns: Columns, list_names: dict[str, str]) -> None:
        self.data = data
        self.columns = columns
        self.list_names = list_names
        self.sections = {section["id"]: section for section in data.get("sections", [])}
        self.taken = {item["id"] for item in data["items"]} | set(self.sections)
        self.taken |= {field["name"] for field in data.get("metadata", [])}
        self.opened: set[str] = set()

    def rows(self) -> list[Row]:
        rows: list[Row] = [{"type": field["type"], "name": field["name"]} for field in self.data.get("metadata", [])]
        if "instructions" in self.data:
            note = {"type": "note", "name": unused_name("instructions", self.taken), ROLE_COLUMN: INSTRUCTIONS_ROLE}
            rows.append({**note, **self.columns.cells("label", self.data["instructions"])})
        open_groups: list[tuple[str, str]] = []  # (section id, group name), outermost first
        for item in self.data["items"]:
            chain = self.chain(item.get("section"))
            kept = 0
            while kept < min(len(open_groups), len(chain)) and open_groups[kept][0] == chain[kept]:
                kept += 1
            rows += [{"type": "end group", "name": name} for _, name in reversed(open_groups[kept:])]
            del open_groups[kept:]
            for section_id in chain[kept:]:
                group = self.group_row(self.sections[section_id])
                open_groups.append((section_id, str(group["name"])))
                rows.append(group)
            rows.append(self.item_row(item))
        rows += [{"type": "end group", "name": name} for _, name in reversed(open_groups)]
        return rows

    def chain(self, section_id: str | None) -> list[str]:
        """The sections enclosing an item, outermost first."""
        chain: list[str] = []
        while section_id is not None:
            chain.insert(0, section_id)
            section_id = self.sections[section_id].get("parent")
        return chain

    def group_row(self, section: dict) -> Row:
        row: Row = {"type": "begin group", "name": section["id"], **self.columns.cells("label", section.get("title"))}
        if section["id"] in self.opened:
            row.update(name=unused_name(section["id"], self.taken), **{SECTION_COLUMN: section["id"]})
        self.opened.add(section["id"])
        row.update(relevant_cells(section))
        if "appearance" in section:
            row["appearance"] = section["appearance"]
        return row

    def item_row(self, item: dict) -> Row:
        item_type = item["type"]
        row: Row = {
            "type": f"{SELECT_TYPES[item_type]} {self.list_names[item['id']]}"
            if item_type in SELECT_TYPES
            else item_type,
            "name": item["id"],
            **self.columns.cells("label", item.get("text")),
            **self.columns.cells("hint", item.get("hint")),
            **self.columns.cells("required_message", item.get("required_message")),
            **self.columns.cells("constraint_message", item.get("constraint_message")),
            **relevant_cells(item),
        }
        if item.get("required"):
            row["required"] = "yes"
        if constraint := constraint_text(item.get("min"), item.get("max"), item.get("constraint")):
            row["constraint"] = constraint
        if "calculation" in item:
            row["calculation"] = item["calculation"]
        row.update({key: item[key] for key in PLAIN_ITEM_KEYS if key in item})
        if "if_not_relevant" in item:
            row[IF_NOT_RELEVANT_COLUMN] = item["if_not_relevant"]
        if item.get("reverse"):
            row[REVERSE_COLUMN] = "yes"
        if "correct" in item:
            row[CORRECT_COLUMN] = item["correct"]
        return row


def relevant_cells(element: dict) -> Row:
    """The relevant expression, and a structured condition as JSON too, so that the import gets it back."""
    if "relevant" not in element:
        return {}
    condition = element["relevant"]
    cells: Row = {"relevant": condition_to_expression(condition)}
    if "expression" not in condition:
        cells[CONDITION_COLUMN] = json.dumps(condition, ensure_ascii=False)
    return cells


def choice_lists(data: dict, list_names: dict[str, str]) -> dict[str, list[dict]]:
    lists = dict(data.get("option_sets", {}))
    for item in data["items"]:
        if isinstance(item.get("options"), list):
            lists[list_names[item["id"]]] = item["options"]
    return lists


def choice_rows(lists: dict[str, list[dict]], columns: Columns) -> list[Row]:
    return [
        {
            "list_name": list_name,
            "name": str(option["value"]),
            **columns.cells("label", option["label"]),
            **option.get("filter", {}),
            MISSING_COLUMN: "yes" if option.get("missing") else None,
        }
        for list_name, options in lists.items()
        for option in options
    ]


def settings_row(data: dict, columns: Columns) -> Row:
    """form_id, title and version; default_language names the first language unless a language is pyxform's
    default (a plain `label` column), which pyxform would then read as that language."""
    first = data["languages"][0]
    row: Row = {"form_title": data["title"].get(first), "form_id": data["id"], "version": data["version"]}
    default = column_name(first, columns.names)
    if PYXFORM_DEFAULT not in (column_name(language, columns.names) for language in columns.languages):
        row["default_language"] = default
    return row


def metadata_rows(data: dict) -> list[Row]:
    """Everything XLSForm cannot carry, as JSON values; keyed rows keep the sheet readable and cells small."""
    keys = [*METADATA_KEYS, *(key for key in OPTIONAL_METADATA_KEYS if key in data)]
    rows: list[Row] = [{"key": key, "value": json.dumps(data[key], ensure_ascii=False)} for key in keys]
    # Which choice lists are option sets; the sections in declared order, including any without items.
    rows.append({"key": "option_sets", "value": json.dumps(list(data.get("option_sets", {})))})
    rows.append({"key": "sections", "value": json.dumps(data.get("sections", []), ensure_ascii=False)})
    for key, plural in (("scale", "scales"), ("flag", "flags")):
        rows += [{"key": key, "value": json.dumps(entry, ensure_ascii=False)} for entry in data.get(plural, [])]
    return rows
