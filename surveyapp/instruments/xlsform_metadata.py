"""The `surveyapp` sheet of an XLSForm: what XLSForm cannot carry (scoring, flags, citations), as rows of a key
and a JSON value written by export_xlsform. An uploaded file may hold anything there: a value is kept only when it
is JSON of the shape the importer relies on, nested no deeper than an instrument file ever is."""

import json

from surveyapp.instruments.xlsform_common import METADATA_SHEET
from surveyapp.instruments.xlsform_sheets import Problems, Sheet

SINGLE_METADATA_KEYS = {
    "title",
    "languages",
    "respondent_kind",
    "source",
    "licence",
    "translation_status",
    "option_sets",
    "sections",
    "staff_notes",
    "administration",
    "questions_per_screen",
}
LIST_METADATA_KEYS = {"scale": "scales", "flag": "flags"}
MAX_JSON_DEPTH = 16
"""A flag's condition nests a few levels; past this a value is an attack on the parsers after the import."""


def read_metadata(sheet: Sheet | None, problems: Problems) -> dict:
    metadata: dict = {}
    for row in sheet.rows if sheet else []:
        key = row.cells.get("key", "")
        try:
            value = json.loads(row.cells.get("value", ""))
        except json.JSONDecodeError as error:
            problems.at(METADATA_SHEET, row.number, "value", f"not valid JSON ({error.msg})")
            continue
        except (ValueError, RecursionError):  # a number of over 4,300 digits; JSON deeper than Python's stack
            problems.at(METADATA_SHEET, row.number, "value", "JSON nested too deeply or with a number too long")
            continue
        if key not in SINGLE_METADATA_KEYS and key not in LIST_METADATA_KEYS:
            problems.at(METADATA_SHEET, row.number, "key", f"unknown key '{key}'")
        elif problem := value_problem(key, value):
            problems.at(METADATA_SHEET, row.number, "value", problem)
        elif key in LIST_METADATA_KEYS:
            metadata.setdefault(LIST_METADATA_KEYS[key], []).append(value)
        else:
            metadata[key] = value
    return metadata


def value_problem(key: str, value: object) -> str | None:
    if json_depth(value) > MAX_JSON_DEPTH:
        return f"nested more than {MAX_JSON_DEPTH} levels deep"
    if key in SHAPES and not SHAPES[key][0](value):
        return f"'{key}' must be {SHAPES[key][1]}"
    return None


def json_depth(value: object) -> int:
    """How deeply lists and objects nest (a scalar is 0), counted without recursion."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth + 1)
            pending.extend((child, depth + 1) for child in children)
    return deepest


def is_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def is_sections(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(section, dict) and isinstance(section.get("id"), str) for section in value
    )


SHAPES = {
    "languages": (is_names, "a list of language tags"),
    "option_sets": (is_names, "a list of option set names"),
    "sections": (is_sections, "a list of sections, each with an id"),
}
"""The values the importer reads itself; the others go to parse_definition, which checks any value."""
