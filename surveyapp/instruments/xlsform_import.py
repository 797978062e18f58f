"""XLSForm workbook -> instrument dict (FORMAT.md), refusing whatever surveyapp cannot represent.

Every problem names the sheet, the row as Excel shows it (header = row 1) and the column; all problems of a
file are collected and raised together as one XLSFormError.
"""

import copy
import json
import re
from dataclasses import dataclass, field

from surveyapp.definitions.model import RESPONDENT_KINDS
from surveyapp.instruments.xlsform_common import (
    CHOICES_SHEET,
    CONDITION_COLUMN,
    CORRECT_COLUMN,
    ID_PATTERN,
    IF_NOT_RELEVANT_COLUMN,
    INSTRUCTIONS_ROLE,
    METADATA_SHEET,
    MISSING_COLUMN,
    PLACEHOLDER,
    REVERSE_COLUMN,
    ROLE_COLUMN,
    SECTION_COLUMN,
    SETTINGS_SHEET,
    SURVEY_SHEET,
    VERSION_PATTERN,
    XLSFormError,
    language_suffix,
)
from surveyapp.instruments.xlsform_expressions import (
    ExpressionError,
    condition_to_expression,
    parse_constraint,
    parse_relevant,
)
from surveyapp.instruments.xlsform_metadata import read_metadata
from surveyapp.instruments.xlsform_sheets import (
    Problems,
    Sheet,
    SheetRow,
    language_columns,
    parse_flag,
    parse_language,
    read_text,
    read_workbook,
    report_unsupported_columns,
    unknown_language,
)

WHOLE_NUMBER = re.compile(r"-?\d{1,15}")  # a choice's value; int() refuses a string past 4,300 digits
INPUT_TYPES = {"integer", "decimal", "text"}  # answerable types without choices
SELECT_KINDS = {"select_one": "choice", "select_multiple": "multi"}
GROUP_KINDS = {"begin group": "begin_group", "end group": "end_group"}
# Collection metadata (no question is shown) and the end of a repeat whose begin is already refused.
SKIPPED_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "end repeat",
}
SUPPORTED_TYPES = "select_one, select_multiple, integer, decimal, text, note and begin/end group"
SETTINGS_COLUMNS = {"form_title", "form_id", "id_string", "version", "default_language", "respondent_kind"}
IGNORED_SETTINGS = {"style", "instance_name", "submission_url", "public_key", "auto_send", "auto_delete"}
UNSUPPORTED_SHEETS = {"external_choices", "entities"}
COPIED_METADATA_KEYS = ("staff_notes", "administration", "questions_per_screen", "scales", "flags")


@dataclass
class Settings:
    form_id: str | None = None
    title: str | None = None
    version: str = "1.0"
    default_language: str | None = None
    respondent_kind: str = "child"


@dataclass
class OpenGroup:
    section: str
    row: int
    condition: dict | None


@dataclass
class Survey:
    items: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    instructions: dict | None = None
    selects: list[tuple[dict, str, int]] = field(default_factory=list)  # item, list name, row


class UnsupportedType(ValueError):
    pass


# ---- entry point ---------------------------------------------------------------------------------------------


def import_xlsform(content: bytes) -> dict:
    """Read an XLSForm .xlsx into an instrument dict; a form without the surveyapp sheet becomes a draft."""
    sheets = read_workbook(content)
    problems = Problems()
    if SURVEY_SHEET not in sheets:
        raise XLSFormError([f"the workbook has no '{SURVEY_SHEET}' sheet"])
    for name in sorted(UNSUPPORTED_SHEETS & sheets.keys()):
        if sheets[name].rows:
            problems.sheet(name, "this sheet is not supported by surveyapp")
    settings = read_settings(sheets.get(SETTINGS_SHEET), problems)
    metadata = read_metadata(sheets.get(METADATA_SHEET), problems)
    survey_sheet = sheets[SURVEY_SHEET]
    columns = language_columns(survey_sheet, settings.default_language, problems)
    languages = list(dict.fromkeys(columns.values()))
    if not languages:
        problems.sheet(SURVEY_SHEET, "no label column (e.g. 'label::Russian (ru)')")
    choices_sheet = sheets.get(CHOICES_SHEET, Sheet(CHOICES_SHEET, [], []))
    lists = read_choice_lists(choices_sheet, settings.default_language, languages, problems)
    survey = read_survey(survey_sheet, columns, languages, problems)
    option_sets = attach_options(survey, lists, metadata.get("option_sets"), problems)
    if problems:
        raise XLSFormError(problems.report())
    return assemble(settings, metadata, languages, survey, option_sets)


# ---- settings ------------------------------------------------------------------------------------------------


def read_settings(sheet: Sheet | None, problems: Problems) -> Settings:
    settings = Settings()
    row = sheet.rows[0] if sheet and sheet.rows else SheetRow(2, {})
    cells = row.cells
    for column in sorted(cells.keys() - SETTINGS_COLUMNS - IGNORED_SETTINGS):
        problems.at(SETTINGS_SHEET, row.number, column, "this setting is not supported by surveyapp")
    settings.form_id = cells.get("form_id") or cells.get("id_string")
    if settings.form_id is None:
        problems.at(SETTINGS_SHEET, row.number, "form_id", "surveyapp needs a form_id as the instrument id")
    elif not ID_PATTERN.fullmatch(settings.form_id):
        problems.at(
            SETTINGS_SHEET,
            row.number,
            "form_id",
            f"'{settings.form_id}' is not a valid instrument id (lower-case letters, digits, _)",
        )
    settings.title = cells.get("form_title") or settings.form_id
    settings.version = cells.get("version", settings.version)
    if not VERSION_PATTERN.fullmatch(settings.version):
        problems.at(SETTINGS_SHEET, row.number, "version", f"'{settings.version}' is not a version such as 1.0")
    if "default_language" in cells:
        settings.default_language = parse_language(cells["default_language"])
        if settings.default_language is None:
            problems.at(SETTINGS_SHEET, row.number, "default_language", unknown_language(cells["default_language"]))
    settings.respondent_kind = cells.get("respondent_kind", settings.respondent_kind)
    if settings.respondent_kind not in RESPONDENT_KINDS:
        problems.at(SETTINGS_SHEET, row.number, "respondent_kind", f"must be one of {', '.join(RESPONDENT_KINDS)}")
    return settings


# ---- choices ------------------------------------------------------------------------------------------------


def read_choice_lists(
    sheet: Sheet, default_language: str | None, languages: list[str], problems: Problems
) -> dict[str, list[dict]]:
    columns = language_columns(sheet, default_language, problems)
    for column, language in columns.items():
        if language not in languages:
            problems.at(sheet.name, 1, column, f"{language_suffix(language)} has no label in the survey sheet")
    lists: dict[str, list[dict]] = {}
    for row in sheet.rows:
        report_unsupported_columns(sheet.name, row, {"list_name", "name", MISSING_COLUMN}, problems)
        list_name, name = row.cells.get("list_name"), row.cells.get("name", "")
        if list_name is None:
            problems.at(sheet.name, row.number, "list_name", "the list name is empty")
            continue
        if not WHOLE_NUMBER.fullmatch(name):
            problems.at(
                sheet.name,
                row.number,
                "name",
                f"choice name '{name}' is not a whole number (of at most "
                "15 digits); surveyapp stores answers as numbers",
            )
            continue
        options = lists.setdefault(list_name, [])
        if any(option["value"] == int(name) for option in options):
            problems.at(sheet.name, row.number, "name", f"choice name {name} repeats in list '{list_name}'")
        option = {"value": int(name), "label": read_text(sheet.name, row, columns, languages, problems)}
        if parse_flag(row.cells.get(MISSING_COLUMN, "")):
            option["missing"] = True
        options.append(option)
    return lists


def attach_options(
    survey: Survey, lists: dict[str, list[dict]], set_names: list[str] | None, problems: Problems
) -> dict[str, list[dict]]:
    """Give select items their options; return the option sets.

    The surveyapp sheet names the option sets; without it a list used by several items is an option set and a
    list used by one item becomes its inline options.
    """
    used = [list_name for _, list_name, _ in survey.selects]
    if set_names is None:
        set_names = [name for name in lists if used.count(name) > 1]
    for name in set_names:
        if name not in lists:
            problems.sheet(METADATA_SHEET, f"option set '{name}' has no list in the choices sheet")
    for item, list_name, row in survey.selects:
        if list_name not in lists:
            problems.at(SURVEY_SHEET, row, "type", f"choice list '{list_name}' is not in the choices sheet")
        else:
            item["options"] = list_name if list_name in set_names else copy.deepcopy(lists[list_name])
    return {name: lists[name] for name in set_names if name in lists}


# ---- survey -------------------------------------------------------------------------------------------------


def parse_type(text: str) -> tuple[str, str | None]:
    """Type cell -> (our item type or group kind or "skip", choice list name)."""
    words = text.split()
    if not words:
        raise UnsupportedType("the type is empty")
    head = words[0].lower()
    if head in SELECT_KINDS:
        if words[2:] == ["or_other"]:
            raise UnsupportedType("'or_other' is not supported: add an 'other' choice with a number instead")
        if len(words) != 2:
            raise UnsupportedType(f"expected '{head} <list name>'")
        return SELECT_KINDS[head], words[1]
    joined = " ".join(words).lower().replace("_", " ")
    if joined in INPUT_TYPES or joined == "note":
        return joined, None
    if joined in GROUP_KINDS:
        return GROUP_KINDS[joined], None
    if joined in SKIPPED_TYPES:
        return "skip", None
    if joined == "begin repeat":
        raise UnsupportedType("repeats are not supported")
    raise UnsupportedType(f"type '{text}' is not supported; surveyapp supports {SUPPORTED_TYPES}")


def read_survey(sheet: Sheet, columns: dict[str, str], languages: list[str], problems: Problems) -> Survey:
    return SurveyReader(columns, languages, problems).read(sheet)


class SurveyReader:
    """One pass over the survey sheet; groups become sections, other rows items (or the instructions note)."""

    def __init__(self, columns: dict[str, str], languages: list[str], problems: Problems) -> None:
        self.columns = columns
        self.languages = languages
        self.problems = problems
        self.survey = Survey()
        self.types: dict[str, str] = {}  # earlier questions, the only ones a condition may refer to
        self.names: set[str] = set()
        self.groups: list[OpenGroup] = []

    def read(self, sheet: Sheet) -> Survey:
        for row in sheet.rows:
            try:
                kind, list_name = parse_type(row.cells.get("type", ""))
            except UnsupportedType as error:
                self.problems.at(SURVEY_SHEET, row.number, "type", str(error))
                continue
            if kind == "begin_group":
                self.begin_group(row)
            elif kind == "end_group":
                self.end_group(row)
            elif kind != "skip":
                self.add_item(row, kind, list_name)
        for group in self.groups:
            self.problems.at(SURVEY_SHEET, group.row, "type", "this begin group has no end group")
        return self.survey

    def begin_group(self, row: SheetRow) -> None:
        report_unsupported_columns(SURVEY_SHEET, row, {"type", "name", "relevant", SECTION_COLUMN}, self.problems)
        name = self.name(row)
        section = row.cells.get(SECTION_COLUMN, name)
        title = self.text(row)
        if self.groups:
            self.problems.at(SURVEY_SHEET, row.number, "type", "groups inside groups are not supported")
        elif all(known["id"] != section for known in self.survey.sections):
            self.survey.sections.append({"id": section, "title": title})
        self.groups.append(OpenGroup(section, row.number, self.relevant(row)))

    def end_group(self, row: SheetRow) -> None:
        report_unsupported_columns(SURVEY_SHEET, row, {"type", "name"}, self.problems)
        if self.groups:
            self.groups.pop()
        else:
            self.problems.at(SURVEY_SHEET, row.number, "type", "end group without a begin group")

    def add_item(self, row: SheetRow, item_type: str, list_name: str | None) -> None:
        item = self.item(row, item_type)
        if row.cells.get(ROLE_COLUMN) == INSTRUCTIONS_ROLE:
            self.survey.instructions = item["text"]
            return
        self.survey.items.append(item)
        if item_type in INPUT_TYPES or list_name is not None:
            self.types[item["id"]] = item_type
        if list_name is not None:
            self.survey.selects.append((item, list_name, row.number))

    def item(self, row: SheetRow, item_type: str) -> dict:
        allowed = {"type", "name", "relevant", CONDITION_COLUMN}
        allowed |= (
            {ROLE_COLUMN}
            if item_type == "note"
            else {"required", IF_NOT_RELEVANT_COLUMN, REVERSE_COLUMN, CORRECT_COLUMN}
        )
        allowed |= {"constraint"} if item_type in ("integer", "decimal") else set()
        report_unsupported_columns(SURVEY_SHEET, row, allowed, self.problems)
        item = {"id": self.name(row), "type": item_type, "text": self.text(row)}
        for column, key in (("required", "required"), (REVERSE_COLUMN, "reverse")):
            if column in row.cells and self.flag(row, column):
                item[key] = True
        relevant = combine(self.groups[0].condition if self.groups else None, self.relevant(row))
        if relevant is not None:
            item["relevant"] = relevant
        if IF_NOT_RELEVANT_COLUMN in row.cells:
            item["if_not_relevant"] = row.cells[IF_NOT_RELEVANT_COLUMN]
        if "constraint" in row.cells:
            try:
                item.update(parse_constraint(row.cells["constraint"]))
            except ExpressionError as error:
                self.problems.at(SURVEY_SHEET, row.number, "constraint", str(error))
        if CORRECT_COLUMN in row.cells:
            if WHOLE_NUMBER.fullmatch(row.cells[CORRECT_COLUMN]):
                item["correct"] = int(row.cells[CORRECT_COLUMN])
            else:
                self.problems.at(SURVEY_SHEET, row.number, CORRECT_COLUMN, "the correct answer must be a choice number")
        if self.groups:
            item["section"] = self.groups[0].section
        if row.cells.get(ROLE_COLUMN, INSTRUCTIONS_ROLE) != INSTRUCTIONS_ROLE:
            self.problems.at(SURVEY_SHEET, row.number, ROLE_COLUMN, f"the only role is '{INSTRUCTIONS_ROLE}'")
        return item

    def name(self, row: SheetRow) -> str:
        name = row.cells.get("name", "")
        if not ID_PATTERN.fullmatch(name):
            self.problems.at(
                SURVEY_SHEET,
                row.number,
                "name",
                f"'{name}' is not a valid surveyapp id (lower-case letter, then lower-case letters, digits, _)",
            )
        elif name in self.names:
            self.problems.at(SURVEY_SHEET, row.number, "name", f"'{name}' is used twice")
        self.names.add(name)
        return name

    def text(self, row: SheetRow) -> dict:
        return read_text(SURVEY_SHEET, row, self.columns, self.languages, self.problems)

    def flag(self, row: SheetRow, column: str) -> bool:
        flag = parse_flag(row.cells[column])
        if flag is None:
            self.problems.at(SURVEY_SHEET, row.number, column, f"expected yes or no, not '{row.cells[column]}'")
        return bool(flag)

    def relevant(self, row: SheetRow) -> dict | None:
        """The condition stored by export_xlsform while the expression is unchanged, else the parsed expression."""
        expression = row.cells.get("relevant")
        if expression is None:
            return None
        try:
            stored = json.loads(row.cells.get(CONDITION_COLUMN, "null"))
            if stored is not None and condition_to_expression(stored) == expression:
                return stored
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            pass  # an edited or broken stored condition: the expression is what Kobo/ODK evaluate
        try:
            return parse_relevant(expression, self.types)
        except ExpressionError as error:
            self.problems.at(
                SURVEY_SHEET, row.number, "relevant", f"cannot translate '{shortened(expression)}': {error}"
            )
            return None


def shortened(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length] + "..."


def combine(group_condition: dict | None, item_condition: dict | None) -> dict | None:
    """A group's relevant applies to each of its items."""
    if group_condition is None or item_condition is None:
        return group_condition or item_condition
    return {"all": [group_condition, item_condition]}


def assemble(
    settings: Settings, metadata: dict, languages: list[str], survey: Survey, option_sets: dict[str, list[dict]]
) -> dict:
    data = {
        "id": settings.form_id,
        "version": settings.version,
        "respondent_kind": metadata.get("respondent_kind", settings.respondent_kind),
        "title": metadata.get("title", {language: settings.title for language in languages}),
        "languages": languages,
        "source": metadata.get("source", PLACEHOLDER),
        "licence": metadata.get("licence", PLACEHOLDER),
        "translation_status": metadata.get("translation_status", {language: "draft" for language in languages}),
    }
    grouped = {section["id"]: section for section in survey.sections}  # titles as edited in the form win
    sections = [grouped.pop(section["id"], section) for section in metadata.get("sections", [])]
    sections += grouped.values()
    optional = {"instructions": survey.instructions, "option_sets": option_sets, "sections": sections}
    data.update({key: value for key, value in optional.items() if value})
    data["items"] = survey.items
    data.update({key: metadata[key] for key in COPIED_METADATA_KEYS if key in metadata})
    return data
