"""Instrument dict (FORMAT.md) -> XLSForm workbook."""

import json
from io import BytesIO
from itertools import groupby

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
    label_column,
    language_suffix,
)
from surveyapp.instruments.xlsform_expressions import condition_to_expression, range_to_constraint

Row = dict[str, object]

SELECT_TYPES = {"choice": "select_one", "multi": "select_multiple"}
# Instrument-level keys stored in the metadata sheet, one row each (the optional ones when present); scales and
# flags get one row per entry.
METADATA_KEYS = ("title", "respondent_kind", "source", "licence", "translation_status")
OPTIONAL_METADATA_KEYS = ("staff_notes", "administration", "questions_per_screen")


def export_xlsform(data: dict) -> bytes:
    """Write an instrument dict as an XLSForm .xlsx (survey, choices, settings and the surveyapp sheet)."""
    languages = data["languages"]
    labels = [label_column(language) for language in languages]
    list_names = choice_list_names(data)
    workbook = Workbook()
    workbook.active.title = SURVEY_SHEET
    survey_columns = [
        "type",
        "name",
        *labels,
        "required",
        "relevant",
        "constraint",
        CONDITION_COLUMN,
        IF_NOT_RELEVANT_COLUMN,
        REVERSE_COLUMN,
        CORRECT_COLUMN,
        ROLE_COLUMN,
        SECTION_COLUMN,
    ]
    write_sheet(workbook.active, survey_columns, survey_rows(data, list_names), keep=2 + len(labels))
    write_sheet(
        workbook.create_sheet(CHOICES_SHEET),
        ["list_name", "name", *labels, MISSING_COLUMN],
        choice_rows(data, list_names),
        keep=2 + len(labels),
    )
    settings_columns = ["form_title", "form_id", "version", "default_language"]
    write_sheet(workbook.create_sheet(SETTINGS_SHEET), settings_columns, [settings_row(data)])
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


def text_cells(text: dict[str, str]) -> Row:
    return {label_column(language): value for language, value in text.items()}


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


def survey_rows(data: dict, list_names: dict[str, str]) -> list[Row]:
    """Items in order, each run of items of one section in a group.

    ODK Validate refuses empty groups, so a section without items lives only in the surveyapp sheet.
    """
    rows: list[Row] = []
    taken = {item["id"] for item in data["items"]} | {section["id"] for section in data.get("sections", [])}
    if "instructions" in data:
        rows.append(
            {
                "type": "note",
                "name": unused_name("instructions", taken),
                **text_cells(data["instructions"]),
                ROLE_COLUMN: INSTRUCTIONS_ROLE,
            }
        )
    titles = {section["id"]: section["title"] for section in data.get("sections", [])}
    opened: set[str] = set()
    for section, items in groupby(data["items"], key=lambda item: item.get("section")):
        if section is None:
            rows += [item_row(item, list_names) for item in items]
            continue
        group = {"type": "begin group", "name": section, **text_cells(titles[section])}
        if section in opened:  # a section whose items are not consecutive: XLSForm group names must be unique
            group.update(name=unused_name(section, taken), **{SECTION_COLUMN: section})
        opened.add(section)
        rows += [group, *(item_row(item, list_names) for item in items), {"type": "end group", "name": group["name"]}]
    return rows


def unused_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    taken.add(candidate)
    return candidate


def item_row(item: dict, list_names: dict[str, str]) -> Row:
    item_type = item["type"]
    row: Row = {
        "type": f"{SELECT_TYPES[item_type]} {list_names[item['id']]}" if item_type in SELECT_TYPES else item_type,
        "name": item["id"],
        **text_cells(item["text"]),
    }
    if item.get("required"):
        row["required"] = "yes"
    if "relevant" in item:
        row["relevant"] = condition_to_expression(item["relevant"])
        row[CONDITION_COLUMN] = json.dumps(item["relevant"], ensure_ascii=False)
    if "if_not_relevant" in item:
        row[IF_NOT_RELEVANT_COLUMN] = item["if_not_relevant"]
    if "min" in item or "max" in item:
        row["constraint"] = range_to_constraint(item.get("min"), item.get("max"))
    if item.get("reverse"):
        row[REVERSE_COLUMN] = "yes"
    if "correct" in item:
        row[CORRECT_COLUMN] = item["correct"]
    return row


def choice_rows(data: dict, list_names: dict[str, str]) -> list[Row]:
    lists = dict(data.get("option_sets", {}))
    for item in data["items"]:
        if isinstance(item.get("options"), list):
            lists[list_names[item["id"]]] = item["options"]
    return [
        {
            "list_name": list_name,
            "name": str(option["value"]),
            **text_cells(option["label"]),
            MISSING_COLUMN: "yes" if option.get("missing") else None,
        }
        for list_name, options in lists.items()
        for option in options
    ]


def settings_row(data: dict) -> Row:
    default_language = data["languages"][0]
    return {
        "form_title": data["title"][default_language],
        "form_id": data["id"],
        "version": data["version"],
        "default_language": language_suffix(default_language),
    }


def metadata_rows(data: dict) -> list[Row]:
    """Everything XLSForm cannot carry, as JSON values; keyed rows keep the sheet readable and cells small."""
    keys = [*METADATA_KEYS, *(key for key in OPTIONAL_METADATA_KEYS if key in data)]
    rows = [{"key": key, "value": json.dumps(data[key], ensure_ascii=False)} for key in keys]
    # Which choice lists are option sets; the sections in declared order, including any without items.
    rows.append({"key": "option_sets", "value": json.dumps(list(data.get("option_sets", {})))})
    rows.append({"key": "sections", "value": json.dumps(data.get("sections", []), ensure_ascii=False)})
    for key, plural in (("scale", "scales"), ("flag", "flags")):
        rows += [{"key": key, "value": json.dumps(entry, ensure_ascii=False)} for entry in data.get(plural, [])]
    return rows
