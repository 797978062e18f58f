"""XLSForm workbook -> instrument dict (FORMAT.md), through pyxform's reading of it (xlsform_sheets.read_form).

pyxform has already turned every alias and spelling into its form structure (types, `bind`, `control`, texts by
language name, choices, `or_other` expanded); this maps that structure to surveyapp's dict and refuses, by feature,
sheet and row, whatever surveyapp cannot represent. All problems of a file are raised together as one XLSFormError.
Expressions (relevant, constraint, calculation, choice_filter) are kept as written: parse_definition parses them.
"""

import json
import re
from dataclasses import dataclass, field

from pyxform.constants import EXTERNAL_INSTANCE_EXTENSIONS
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from surveyapp.definitions.model import RESPONDENT_KINDS
from surveyapp.instruments.xlsform_common import (
    CHOICES_SHEET,
    CONDITION_COLUMN,
    CORRECT_COLUMN,
    EXTRA_ITEM_COLUMNS,
    ID_PATTERN,
    IF_NOT_RELEVANT_COLUMN,
    INSTRUCTIONS_ROLE,
    METADATA_SHEET,
    METADATA_TYPES,
    MISSING_COLUMN,
    NAME_PATTERN,
    PLACEHOLDER,
    REVERSE_COLUMN,
    ROLE_COLUMN,
    SECTION_COLUMN,
    SETTINGS_SHEET,
    SURVEY_SHEET,
    VERSION_PATTERN,
    XLSFormError,
)
from surveyapp.instruments.xlsform_expressions import condition_to_expression, split_constraint
from surveyapp.instruments.xlsform_languages import PYXFORM_DEFAULT, default_name, language_tags
from surveyapp.instruments.xlsform_metadata import read_metadata
from surveyapp.instruments.xlsform_sheets import Problems, PyxformForm, parse_flag, read_form

INTEGER_NAME = re.compile(r"-?(0|[1-9][0-9]{0,14})")  # written as Python writes the int back; int() has limits
# pyxform's XForm type and control of a question type -> our item type.
INPUT_KINDS = {
    ("int", "input"): "integer",
    ("decimal", "input"): "decimal",
    ("string", "input"): "text",
    ("date", "input"): "date",
}
SELECT_KINDS = {"select one": "choice", "select all that apply": "multi"}
CALCULATE_TYPES = {"calculate", "q calculate", "add calculate prompt"}
METADATA_PRELOADS = {
    ("timestamp", "start"): "start",
    ("timestamp", "end"): "end",
    ("date", "today"): "today",
    ("property", "deviceid"): "deviceid",
    ("property", "username"): "username",
}
GEO_TYPES = {"geopoint", "geotrace", "geoshape"}
SUPPORTED_TYPES = "note, integer, decimal, text, date, calculate, select_one, select_multiple and (nested) groups"
ELEMENT_KEYS = {"type", "name", "label", "hint", "bind", "control", "choice_filter", "parameters", "children"}
ELEMENT_KEYS |= {"itemset", "list_name", "choices"} | EXTRA_ITEM_COLUMNS
PYXFORM_DERIVED_KEYS = {"actions", "_dynamic_default"}  # what pyxform adds for a `default`, refused by itself
BIND_COLUMNS = {
    "relevant": "relevant",
    "required": "required",
    "jr:requiredMsg": "required_message",
    "constraint": "constraint",
    "jr:constraintMsg": "constraint_message",
    "calculate": "calculation",
}
OPTION_KEYS = {"name", "label", MISSING_COLUMN}
SETTINGS_KEYS = {"type", "name", "title", "id_string", "sms_keyword", "default_language", "children", "choices"}
SETTINGS_KEYS |= {"version", "respondent_kind"}
IGNORED_SETTINGS = {"style", "instance_name", "submission_url", "public_key", "auto_send", "auto_delete"}
IGNORED_SETTINGS |= {"clean_text_values", "allow_choice_duplicates", "namespaces", "omit_instanceID", "xml_root"}
IGNORED_SETTINGS |= {"sms_separator", "sms_allow_media", "sms_date_format", "sms_datetime_format", "sms_response"}
UNSUPPORTED_SHEETS = {
    "external_choices": "external choices",
    "entities": "entities",
    "osm": "OpenStreetMap questions",
}
EXTERNAL_FUNCTIONS = re.compile(r"\b(pulldata|instance|search)\s*\(")
COPIED_METADATA_KEYS = ("staff_notes", "administration", "questions_per_screen", "scales", "flags")
TABLE_LIST_NAMES = ("generated_table_list_label_", "reserved_name_for_field_list_labels_")
OR_OTHER = re.compile(r".*\s(or_other|or other|or specify other)\s*")
DEFINITION_PATH = re.compile(r"(items|sections)\[(\d+)\]")
OPTION_PATH = re.compile(r"option_sets\.([a-z][a-z0-9_]*)\[(\d+)\]")
PYXFORM_FORM_NAME = "data"  # pyxform's id_string when the settings give none


class Unsupported(ValueError):
    """A survey row surveyapp cannot represent; the message names the feature."""


@dataclass
class ImportedForm:
    """The instrument dict, and where its parts came from, to place parse_definition's problems."""

    data: dict
    rows: dict[str, int]  # survey row of each question and group, by name
    choice_rows: dict[tuple[str, str], int]  # choices row of each choice, by list name and choice name


def import_xlsform(content: bytes) -> dict:
    """The instrument dict of an XLSForm (.xlsx or .xls), or XLSFormError listing every problem."""
    return read_xlsform(content).data


def read_xlsform(content: bytes) -> ImportedForm:
    """import_xlsform, with the row each question came from."""
    read = read_form(content)
    problems = Problems()
    for sheet in read.sheets_with_rows & UNSUPPORTED_SHEETS.keys():
        problems.sheet(sheet, f"{UNSUPPORTED_SHEETS[sheet]} are not supported by surveyapp")
    metadata = read_metadata(read.extra_sheets.get(METADATA_SHEET), problems)
    importer = FormImporter(read, problems)
    data = importer.assemble(metadata)
    if problems:
        raise XLSFormError(problems.report())
    return ImportedForm(data, {name: row for name, (row, _) in read.survey_rows.items()}, read.choice_rows)


def placed_problem(problem: str, imported: ImportedForm) -> str:
    """A problem of parse_definition with the row it comes from: `items[3].hint.ky: ...` with its question's or
    group's survey row, `option_sets.yes_no[1].label: ...` with its choice's row."""
    if match := DEFINITION_PATH.match(problem):
        elements = imported.data.get(match.group(1), [])
        name = element_at(elements, int(match.group(2))).get("id")
        if name in imported.rows:
            return f"{SURVEY_SHEET} sheet, row {imported.rows[name]} ('{name}'): {problem}"
    if match := OPTION_PATH.match(problem):
        option = element_at(imported.data.get("option_sets", {}).get(match.group(1), []), int(match.group(2)))
        if (row := imported.choice_rows.get((match.group(1), str(option.get("value"))))) is not None:
            return f"{CHOICES_SHEET} sheet, row {row}: {problem}"
    return problem


def element_at(elements: object, index: int) -> dict:
    found = elements[index] if isinstance(elements, list) and index < len(elements) else None
    return found if isinstance(found, dict) else {}


@dataclass
class Survey:
    items: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    metadata: list[dict] = field(default_factory=list)
    instructions: dict | None = None
    lists: dict[str, list[dict]] = field(default_factory=dict)  # choice lists by name, as used
    list_users: dict[str, list[str]] = field(default_factory=dict)  # list name -> items using it
    filtered_lists: set[str] = field(default_factory=set)


class FormImporter:
    """One walk over pyxform's form: groups become sections, questions items, metadata `metadata`."""

    def __init__(self, read: PyxformForm, problems: Problems) -> None:
        self.form = read.form
        self.rows = read.survey_rows
        self.choice_rows = read.choice_rows
        self.problems = problems
        self.default_language = self.form.get("default_language", PYXFORM_DEFAULT)
        self.tags = self.language_tags()
        self.survey = Survey()
        self.section_ids: set[str] = set()

    # ---- languages ------------------------------------------------------------------------------------------

    def language_tags(self) -> dict[str, str]:
        names = list(dict.fromkeys(name for text in self.texts_of(self.form) for name in self.text_names(text)))
        tags, clashes = language_tags(names)
        for name, earlier in clashes:
            self.problems.sheet(
                SURVEY_SHEET, f"the languages '{earlier}' and '{name}' are the same language ({tags[earlier]})"
            )
        return tags

    def texts_of(self, parent: dict) -> list:
        """Every text in order (labels, hints, messages, choice labels), to find the form's languages; not the
        label pyxform gives the question it adds for `or_other` (in no language: add_specify_other)."""
        texts: list = []
        children = parent.get("children", [])
        for previous, element in zip([{}, *children], children):
            if not self.is_specify_other(previous, element):
                texts += [element[key] for key in ("label", "hint") if key in element]
            texts += [value for key, value in element.get("bind", {}).items() if key.endswith("Msg")]
            texts += [choice["label"] for choice in element.get("choices", []) if "label" in choice]
            texts += self.texts_of(element)
        return texts

    def text_names(self, text: object) -> list[str]:
        return list(text) if isinstance(text, dict) else [self.default_language]

    def text(self, value: object) -> dict[str, str]:
        """A pyxform text (a string, or language name -> string) as language tag -> string."""
        by_name = value if isinstance(value, dict) else {self.default_language: value}
        return {self.tags[name]: str(text) for name, text in by_name.items() if name in self.tags and text}

    def languages(self) -> list[str]:
        return list(dict.fromkeys(self.tags.values()))

    # ---- survey ---------------------------------------------------------------------------------------------

    def walk(self, children: list[dict], section: str | None) -> None:
        previous: dict | None = None
        for element in children:
            if self.is_generated(element):
                continue
            if previous is not None and self.is_specify_other(previous, element):
                self.add_specify_other(previous, element, section)
            else:
                self.element(element, section)
            previous = element

    def is_generated(self, element: dict) -> bool:
        """What pyxform adds without a row of its own: the meta group's instanceID, and the label note and select
        of a `table-list` group (the group keeps its written appearance, which makes them again on export)."""
        name = str(element.get("name"))
        return name not in self.rows and (name == "instanceID" or name.startswith(TABLE_LIST_NAMES))

    def written(self, element: dict) -> dict:
        """The element's survey row as written (dealiased headers), before pyxform rewrote anything."""
        return self.rows.get(str(element.get("name")), (0, {}))[1]

    def row(self, element: dict) -> int:
        return self.rows.get(str(element.get("name")), (0, {}))[0]

    def at(self, element: dict, column: str, message: str) -> None:
        self.problems.at(SURVEY_SHEET, self.row(element), column, message)

    def element(self, element: dict, section: str | None) -> None:
        if element.get("type") == "group" and element.get("control", {}).get("bodyless"):
            self.walk(element.get("children", []), section)  # pyxform's meta group: instanceID, and any `audit`
            return
        try:
            kind = classify(element, self.written_type(element))
        except Unsupported as error:
            self.at(element, "type", str(error))
            return
        self.check_columns(element)
        if kind == "group":
            self.group(element, section)
        elif kind in METADATA_TYPES:
            self.survey.metadata.append({"type": kind, "name": element["name"]})
        else:
            self.item(element, kind, section)

    def written_type(self, element: dict) -> str:
        return str(self.written(element).get("type", element.get("type")))

    def check_columns(self, element: dict) -> None:
        for key in element.keys() - ELEMENT_KEYS - PYXFORM_DERIVED_KEYS:
            if not key.startswith("$"):  # KoboToolbox's own columns ($kuid, $autoname, ...)
                self.at(element, column_of(key), unsupported_column(key))
        for key in element.get("bind", {}).keys() - BIND_COLUMNS.keys():
            self.at(element, column_of(key), unsupported_column(key))
        for key in element.get("control", {}).keys() - {"appearance"}:
            self.at(element, column_of(key), unsupported_column(key))
        if element.get("parameters"):
            self.at(element, "parameters", "parameters are not supported by surveyapp")
        for column, expression in expressions_of(element):
            if match := EXTERNAL_FUNCTIONS.search(expression):
                self.at(element, column, f"external data ({match.group(1)}()) is not supported by surveyapp")

    def group(self, element: dict, parent: str | None) -> None:
        name = self.name(element)
        section_id = element.get(SECTION_COLUMN, name)
        if section_id not in self.section_ids:
            self.section_ids.add(section_id)
            section: dict = {"id": section_id}
            label = element.get("label", self.written(element).get("label"))  # pyxform moves a table-list's away
            if label is not None:
                section["title"] = self.text(label)
            if parent is not None:
                section["parent"] = parent
            self.add_common(element, section)
            self.survey.sections.append(section)
        for column in group_extras(element):
            self.at(element, column, "surveyapp keeps no such column on a group")
        self.walk(element.get("children", []), section_id)

    def item(self, element: dict, kind: str, section: str | None) -> None:
        item: dict = {"id": self.name(element), "type": kind}
        if "label" in element:
            item["text"] = self.text(element["label"])
        if "hint" in element:
            item["hint"] = self.text(element["hint"])
        bind = element.get("bind", {})
        self.add_required(element, item, bind)
        self.add_common(element, item)
        if "constraint" in bind:
            constraint = str(bind["constraint"])
            item.update(split_constraint(constraint) if kind in ("integer", "decimal") else {"constraint": constraint})
        if "jr:constraintMsg" in bind:
            item["constraint_message"] = self.text(bind["jr:constraintMsg"])
        if "calculate" in bind:
            item["calculation"] = bind["calculate"]
        if "choice_filter" in element:
            item["choice_filter"] = element["choice_filter"]
        self.add_surveyapp_columns(element, item)
        if section is not None:
            item["section"] = section
        if kind in SELECT_KINDS.values():
            self.add_options(element, item)
        if element.get(ROLE_COLUMN) == INSTRUCTIONS_ROLE and kind == "note":
            self.survey.instructions = item.get("text", {})
        else:
            self.survey.items.append(item)

    def add_common(self, element: dict, target: dict) -> None:
        """relevant and appearance, which sections and items share."""
        if "relevant" in element.get("bind", {}):
            target["relevant"] = self.relevant(element)
        if appearance := self.written(element).get("control", {}).get("appearance"):
            target["appearance"] = appearance  # as written: pyxform rewrites a table-list group and its selects

    def add_required(self, element: dict, item: dict, bind: dict) -> None:
        if "required" in bind:
            required = parse_flag(str(bind["required"]))
            if required is None:
                self.at(element, "required", f"expected yes or no, not '{bind['required']}'")
            elif required:
                item["required"] = True
        if "jr:requiredMsg" in bind:
            item["required_message"] = self.text(bind["jr:requiredMsg"])

    def add_surveyapp_columns(self, element: dict, item: dict) -> None:
        if REVERSE_COLUMN in element and parse_flag(str(element[REVERSE_COLUMN])):
            item["reverse"] = True
        if IF_NOT_RELEVANT_COLUMN in element:
            item["if_not_relevant"] = element[IF_NOT_RELEVANT_COLUMN]
        if CORRECT_COLUMN in element:
            correct = str(element[CORRECT_COLUMN])
            if INTEGER_NAME.fullmatch(correct):
                item["correct"] = int(correct)
            else:
                self.at(element, CORRECT_COLUMN, "the correct answer must be a choice number")
        if element.get(ROLE_COLUMN, INSTRUCTIONS_ROLE) != INSTRUCTIONS_ROLE:
            self.at(element, ROLE_COLUMN, f"the only role is '{INSTRUCTIONS_ROLE}'")

    def relevant(self, element: dict) -> dict:
        """The condition export_xlsform stored while the expression is unchanged, else the expression."""
        expression = element["bind"]["relevant"]
        try:
            stored = json.loads(str(element.get(CONDITION_COLUMN, "null")))
            if isinstance(stored, dict) and condition_to_expression(stored) == expression:
                return stored
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            pass  # an edited or broken stored condition: the expression is what Kobo/ODK evaluate
        return {"expression": expression}

    def name(self, element: dict) -> str:
        name = str(element.get("name", ""))
        if not NAME_PATTERN.fullmatch(name):
            self.at(
                element,
                "name",
                f"'{name}' is not a name surveyapp keeps (a letter or _, then letters, digits, _ . - in Latin script)",
            )
        return name

    # ---- or_other -------------------------------------------------------------------------------------------

    def is_specify_other(self, select: dict, element: dict) -> bool:
        """The text question pyxform adds after a `select_one list or_other` row (it has no row of its own)."""
        return (
            select.get("type") in SELECT_KINDS
            and element.get("name") == f"{select.get('name')}_other"
            and element.get("name") not in self.rows
            and bool(OR_OTHER.fullmatch(self.written_type(select)))
        )

    def add_specify_other(self, select: dict, element: dict, section: str | None) -> None:
        label = str(element.get("label", ""))
        item = {
            "id": element["name"],
            "type": "text",
            "text": {language: label for language in self.languages()},
            "relevant": {"expression": f"selected(${{{select['name']}}}, 'other')"},
        }
        if section is not None:
            item["section"] = section
        self.survey.items.append(item)

    # ---- choices --------------------------------------------------------------------------------------------

    def add_options(self, element: dict, item: dict) -> None:
        list_name = str(element.get("list_name"))
        self.options_of(list_name)
        self.survey.list_users.setdefault(list_name, []).append(item["id"])
        if "choice_filter" in item:
            self.survey.filtered_lists.add(list_name)
        item["options"] = list_name  # replaced by the list itself, or kept as an option set, in assemble

    def options_of(self, list_name: str) -> list[dict]:
        """A list of the choices sheet as options, read once (pyxform keeps the lists of unused ones too)."""
        if list_name not in self.survey.lists:
            choices = self.form.get("choices", {}).get(list_name, [])
            self.survey.lists[list_name] = [self.option(list_name, choice) for choice in choices]
        return self.survey.lists[list_name]

    def option(self, list_name: str, choice: dict) -> dict:
        name = str(choice.get("name", ""))
        row = self.choice_rows.get((list_name, name), 0)
        option: dict = {"value": option_value(name), "label": self.text(choice.get("label", {}))}
        if option["value"] is None:
            self.problems.at(
                CHOICES_SHEET,
                row,
                "name",
                f"choice name '{name}' is neither a whole number nor a name (a letter or _, then letters, digits, "
                "_ . -)",
            )
        if parse_flag(str(choice.get(MISSING_COLUMN, ""))):
            option["missing"] = True
        for key in choice.keys() - OPTION_KEYS:
            if key == "media":
                self.problems.at(CHOICES_SHEET, row, "media", "media in choices are not supported by surveyapp")
            elif not key.startswith("$"):
                option.setdefault("filter", {})[key] = choice[key]
        return option

    def check_filters(self) -> None:
        for list_name, options in self.survey.lists.items():
            if list_name in self.survey.filtered_lists:
                continue
            for option in options:
                for column in option.pop("filter", {}):
                    self.problems.at(
                        CHOICES_SHEET,
                        self.choice_rows.get((list_name, str(option["value"])), 0),
                        column,
                        f"no question filters list '{list_name}' with a choice_filter, and surveyapp keeps choice "
                        "columns only for that",
                    )

    def option_sets(self, set_names: list[str] | None) -> dict[str, list[dict]]:
        """Give select items their options; return the option sets.

        The surveyapp sheet names the option sets; without it every list is one (so its name stays), unless its
        name is not an id: then each item using it gets the options inline.
        """
        if set_names is None:
            set_names = [name for name in self.survey.list_users if ID_PATTERN.fullmatch(name)]
        for name in set_names:
            if name not in self.form.get("choices", {}):
                self.problems.sheet(METADATA_SHEET, f"option set '{name}' has no list in the choices sheet")
        for item in self.survey.items:
            list_name = item.get("options")
            if isinstance(list_name, str) and list_name not in set_names:
                item["options"] = self.survey.lists[list_name]
        return {name: self.options_of(name) for name in set_names if name in self.form.get("choices", {})}

    # ---- the instrument -------------------------------------------------------------------------------------

    def settings(self) -> dict:
        """id, version and respondent kind from the settings (pyxform's names: title, id_string)."""
        for key in sorted(self.form.keys() - SETTINGS_KEYS - IGNORED_SETTINGS):
            self.problems.at(SETTINGS_SHEET, 2, key, "this setting is not supported by surveyapp")
        version = str(self.form.get("version", "1.0"))
        if not VERSION_PATTERN.fullmatch(version):
            self.problems.at(SETTINGS_SHEET, 2, "version", f"'{version}' is not a version such as 1.0")
        kind = str(self.form.get("respondent_kind", "child"))
        if kind not in RESPONDENT_KINDS:
            self.problems.at(SETTINGS_SHEET, 2, "respondent_kind", f"must be one of {', '.join(RESPONDENT_KINDS)}")
        title = str(self.form.get("title", ""))
        form_id = str(self.form.get("id_string", PYXFORM_FORM_NAME))
        given = form_id if form_id != PYXFORM_FORM_NAME else title if title != PYXFORM_FORM_NAME else ""
        return {"id": instrument_id(given), "version": version, "respondent_kind": kind, "title": title}

    def assemble(self, metadata: dict) -> dict:
        settings = self.settings()
        self.walk(self.form.get("children", []), None)
        self.check_filters()
        languages = self.languages()
        if "languages" in metadata and sorted(metadata["languages"]) == sorted(languages):
            languages = metadata["languages"]  # the order the export had (its columns put a plain one first)
        names = {tag: name for name, tag in self.tags.items() if name != default_name(tag)}
        title = settings["title"] if settings["title"] != PYXFORM_FORM_NAME else settings["id"]
        data: dict = {
            "id": settings["id"],
            "version": settings["version"],
            "respondent_kind": metadata.get("respondent_kind", settings["respondent_kind"]),
            "title": metadata.get("title", {language: title for language in languages}),
            "languages": languages,
            "source": metadata.get("source", PLACEHOLDER),
            "licence": metadata.get("licence", PLACEHOLDER),
            "translation_status": metadata.get("translation_status", {language: "draft" for language in languages}),
        }
        option_sets = self.option_sets(metadata.get("option_sets"))
        optional = {
            "language_names": names,
            "metadata": self.survey.metadata,
            "instructions": self.survey.instructions,
            "option_sets": option_sets,
            "sections": self.sections(metadata.get("sections", [])),
        }
        data.update({key: value for key, value in optional.items() if value})
        data["items"] = self.survey.items
        data.update({key: metadata[key] for key in COPIED_METADATA_KEYS if key in metadata})
        return data

    def sections(self, stored: list[dict]) -> list[dict]:
        """The groups' sections as the form has them, in the stored order (which keeps sections without items)."""
        grouped = {section["id"]: section for section in self.survey.sections}
        sections = [grouped.pop(section["id"], section) for section in stored]
        return sections + list(grouped.values())


def classify(element: dict, written: str) -> str:
    """Our item type, "group", or a metadata type, for a pyxform element; Unsupported names the feature."""
    pyxform_type = str(element.get("type"))
    if pyxform_type == "group":
        return "group"
    if pyxform_type in ("repeat", "loop"):
        raise Unsupported("repeats are not supported by surveyapp")
    if pyxform_type in SELECT_KINDS:
        check_select(element, written)
        return SELECT_KINDS[pyxform_type]
    if pyxform_type == "select one external":
        raise Unsupported(f"external choices ('{written}') are not supported by surveyapp")
    spec = QUESTION_TYPE_DICT.get(pyxform_type, {})
    bind, tag = spec.get("bind", {}), spec.get("control", {}).get("tag")
    if "jr:preload" in bind:
        return metadata_type(bind, written)
    if bind.get("readonly") == "true()" and tag == "input":
        return "note"
    if (bind.get("type"), tag) in INPUT_KINDS:
        return INPUT_KINDS[(bind.get("type"), tag)]
    if pyxform_type in CALCULATE_TYPES:
        return "calculate"
    raise Unsupported(unsupported_type(bind, tag, written))


def check_select(element: dict, written: str) -> None:
    itemset = str(element.get("itemset", ""))
    if any(itemset.endswith(extension) for extension in EXTERNAL_INSTANCE_EXTENSIONS):
        raise Unsupported(f"external choices ('{written}') are not supported by surveyapp")
    if "choices" not in element:
        raise Unsupported(f"'{written}': choices from earlier answers or randomised are not supported by surveyapp")


def group_extras(element: dict) -> list[str]:
    """The columns of a group row that a section has no place for (a hint, required, a constraint, ...)."""
    extras = ["hint"] if "hint" in element else []
    return extras + [BIND_COLUMNS.get(key, key) for key in element.get("bind", {}) if key != "relevant"]


def metadata_type(bind: dict, written: str) -> str:
    kind = METADATA_PRELOADS.get((str(bind["jr:preload"]), str(bind.get("jr:preloadParams"))))
    if kind is None:
        kept = ", ".join(METADATA_TYPES)
        raise Unsupported(f"metadata '{written}' is not supported by surveyapp (it keeps {kept})")
    return kind


def unsupported_type(bind: dict, tag: str | None, written: str) -> str:
    xform_type = bind.get("type")
    if xform_type == "binary" and tag in ("upload", "action"):
        return f"media questions ('{written}') are not supported by surveyapp"
    if xform_type in GEO_TYPES:
        return f"geo questions ('{written}') are not supported by surveyapp"
    return f"type '{written}' is not supported; surveyapp supports {SUPPORTED_TYPES}"


def column_of(key: str) -> str:
    """The XLSForm column of a pyxform key (`readonly` -> `read_only`, `jr:requiredMsg` -> `required_message`)."""
    return {"readonly": "read_only", "media": "image/audio/video", "entities:saveto": "save_to"}.get(
        key, BIND_COLUMNS.get(key, key)
    )


def unsupported_column(key: str) -> str:
    if key == "entities:saveto":
        return "entities (save_to) are not supported by surveyapp"
    if key == "media":
        return "media (images, audio, video) are not supported by surveyapp"
    return "surveyapp does not support this column"


def expressions_of(element: dict) -> list[tuple[str, str]]:
    """The column and text of each expression of a row (and its appearance, where `search()` goes)."""
    bind = element.get("bind", {})
    found = [(BIND_COLUMNS[key], bind[key]) for key in ("relevant", "constraint", "calculate") if key in bind]
    found += [("choice_filter", element["choice_filter"])] if "choice_filter" in element else []
    appearance = element.get("control", {}).get("appearance")
    return found + ([("appearance", appearance)] if appearance else [])


def option_value(name: str) -> int | str | None:
    if INTEGER_NAME.fullmatch(name):
        return int(name)
    return name if NAME_PATTERN.fullmatch(name) else None


def instrument_id(name: str) -> str:
    """The form's id (or title) as a surveyapp id: lower case, `_` for anything else; `form` when it has none."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60]
    if not slug:
        return "form"
    return slug if slug[0].isalpha() else f"form_{slug}"
