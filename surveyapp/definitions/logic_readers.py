"""Reading the parts of a definition that XLSForms brought (FORMAT.md): expressions and the items they refer
to, sections nested as groups, text option values and filter columns, `${}` in texts, languages' names and
metadata. The definition parser (parsing.py) builds on these readers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from .condition_parsing import ConditionContext, parse_condition, read_expression
from .expressions import TEXT_REFERENCE, Expression
from .field_readers import NAME_PATTERN, FieldReaders
from .model import (
    LANGUAGE_TAG_PATTERN,
    METADATA_TYPES,
    NO_TEXT,
    Condition,
    FilterValue,
    Item,
    Metadata,
    Option,
    OptionValue,
    Section,
    Text,
    is_int,
    is_number,
)
from .problems import Problems, join

SECTION_OPTIONAL = ("title", "parent", "relevant", "appearance")
RESERVED_COLUMNS = ("name", "label")
"""Choices-sheet columns that are not filter columns (`name` is the option's value in a choice_filter)."""


class SectionHeader(NamedTuple):
    id: str
    raw: Mapping
    path: str


class LogicReaders(FieldReaders):
    def __init__(self, data: Mapping, problems: Problems) -> None:
        super().__init__(problems)
        self.items: dict[str, Item] = {}
        """Items parsed so far, by id (the first of duplicates)."""
        self.declared_types = _declared_item_types(data.get("items"))
        """Every item's type as declared (for references to items not parsed yet)."""
        self.section_ids: set[str] = set()
        self.section_parents: dict[str, str | None] = {}
        self.metadata_names: set[str] = set()
        self.text_references: list[tuple[str, str]] = []
        """(path, item id) of every `${id}` read in a text, checked once every item is known."""

    # -- texts with ${}

    def text(self, value: object, path: str) -> Text:
        text = super().text(value, path)
        for language, string in text.items():
            if isinstance(string, str):
                self.text_references += [(join(path, language), name) for name in TEXT_REFERENCE.findall(string)]
        return text

    def check_text_references(self) -> None:
        for path, name in self.text_references:
            problem = self.reference_problem(name.strip())
            if problem:
                self.problems.add(path, f"${{{name}}}: {problem}")

    # -- expressions

    def reference_problem(self, item_id: str) -> str | None:
        """Why `${item_id}` cannot be used, or None: it must be an item with a value (answered or calculated)."""
        declared = self.declared_types.get(item_id)
        if declared is None:
            return f"unknown item '{item_id}'"
        if declared == "note":
            return f"item '{item_id}' is a note and has no value"
        return None

    def checked_expression(
        self, value: object, path: str, *, columns: bool = False, self_allowed: bool = False
    ) -> Expression | None:
        expression = read_expression(value, path, self.problems, columns=columns, self_allowed=self_allowed)
        if expression is not None:
            self.check_references(expression, path)
        return expression

    def check_references(self, expression: Expression, path: str) -> None:
        for item_id in sorted(expression.references):
            problem = self.reference_problem(item_id)
            if problem:
                self.problems.add(path, f"${{{item_id}}}: {problem}")

    def condition(self, value: object, path: str, earlier: Mapping[str, Item]) -> Condition | None:
        """A `relevant` condition: structured, or `{expression}`, referring to `earlier` items only."""
        context = ConditionContext(
            items=earlier,
            later_item_ids=self.declared_types.keys(),
            scale_ids=None,
            check_expression=lambda expression, at: self.check_earlier_references(expression, at, earlier),
        )
        return parse_condition(value, path, context, self.problems)

    def check_earlier_references(self, expression: Expression, path: str, earlier: Mapping[str, Item]) -> None:
        for item_id in sorted(expression.references):
            problem = self.reference_problem(item_id)
            if problem is None and item_id not in earlier:
                problem = f"'{item_id}' is not an earlier item; a condition may only refer to earlier items"
            if problem:
                self.problems.add(path, f"${{{item_id}}}: {problem}")

    # -- sections

    def section_header(self, raw: object, path: str) -> SectionHeader | None:
        """A section's id and checked parent; the rest is read once the items are known (its `relevant` may
        refer to the items before the section's first item)."""
        if not self.mapping(raw, path, ("id",), SECTION_OPTIONAL):
            return None
        parent = self.get(raw, path, "parent", self.parent_section)
        section_id = self.new_id(raw, path, self.section_ids, "section", self.xlsform_name)
        if section_id is None:
            return None
        self.section_parents.setdefault(section_id, parent)
        return SectionHeader(section_id, raw, path)

    def parent_section(self, value: object, path: str) -> str | None:
        if isinstance(value, str) and value in self.section_ids:
            return value
        self.problems.add(path, f"unknown section {value!r}; a parent must be a section listed before")
        return None

    def sections(self, headers: tuple[SectionHeader, ...], items: tuple[Item, ...]) -> tuple[Section, ...]:
        return tuple(self.section(header, items) for header in headers)

    def section(self, header: SectionHeader, items: tuple[Item, ...]) -> Section:
        section_id, raw, path = header
        earlier = self.items_before_section(section_id, items)
        return Section(
            id=section_id,
            title=self.get(raw, path, "title", self.text, NO_TEXT),
            parent=self.section_parents[section_id],
            relevant=self.get(raw, path, "relevant", lambda value, at: self.condition(value, at, earlier)),
            appearance=self.get(raw, path, "appearance", self.non_empty_string),
        )

    def items_before_section(self, section_id: str, items: tuple[Item, ...]) -> dict[str, Item]:
        """The items before the section's first item (those a section's `relevant` may use)."""
        earlier: dict[str, Item] = {}
        for item in items:
            if section_id in self.section_chain(item.section):
                break
            earlier.setdefault(item.id, item)
        return earlier

    def section_chain(self, section_id: str | None) -> list[str]:
        chain = []
        while section_id is not None and section_id not in chain:
            chain.append(section_id)
            section_id = self.section_parents.get(section_id)
        return chain

    # -- options

    def option_value(self, value: object, path: str) -> OptionValue | None:
        if is_int(value) or (isinstance(value, str) and NAME_PATTERN.fullmatch(value)):
            return value
        self.problems.add(path, f"must be an integer or a choice name matching {NAME_PATTERN.pattern}, got {value!r}")
        return None

    def option_filter(self, value: object, path: str) -> Mapping[str, FilterValue]:
        if not isinstance(value, Mapping) or not value:
            self.problems.add(path, "must be a non-empty map of column -> text or number")
            return MappingProxyType({})
        for column, cell in value.items():
            column_path = join(path, str(column))
            if not isinstance(column, str) or not NAME_PATTERN.fullmatch(column) or column in RESERVED_COLUMNS:
                self.problems.add(
                    column_path, f"a filter column is a name matching {NAME_PATTERN.pattern}, not name or label"
                )
            elif not (isinstance(cell, str) or is_number(cell)):
                self.problems.add(column_path, f"must be a text or a number, got {cell!r}")
        return MappingProxyType(dict(value))

    def check_choice_filter(self, expression: Expression, options: tuple[Option, ...], path: str) -> None:
        known = {column for option in options for column in option.filter_columns}
        for column in sorted(expression.columns - known):
            self.problems.add(path, f"'{column}' is not a filter column of any of this item's options")

    # -- top level

    def language_list(self, value: object, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problems.add(path, "must be a non-empty list of language tags (ky, ru, en, fr, ...)")
            return ()
        languages: list[str] = []
        for index, language in enumerate(value):
            if not isinstance(language, str) or not re.fullmatch(LANGUAGE_TAG_PATTERN, language):
                self.problems.add(
                    f"{path}[{index}]", f"{language!r} is not a language tag such as ky, ru, en, fr or und"
                )
            elif language in languages:
                self.problems.add(f"{path}[{index}]", f"language '{language}' is listed twice")
            else:
                languages.append(language)
        return tuple(languages)

    def language_names(self, value: object, path: str) -> Mapping[str, str]:
        if not isinstance(value, Mapping):
            self.problems.add(path, "must be a map of language -> the language's name in the XLSForm")
            return MappingProxyType({})
        for language, name in value.items():
            if language not in self.languages:
                self.problems.add(path, f"language {language!r} is not listed in languages")
            elif not isinstance(name, str) or not name.strip():
                self.problems.add(join(path, language), f"must be a non-empty string, got {name!r}")
        return MappingProxyType(dict(value))

    def metadata(self, raw: object, path: str) -> Metadata | None:
        if not self.mapping(raw, path, ("type", "name"), ()):
            return None
        metadata_type = self.get(raw, path, "type", self.one_of(METADATA_TYPES))
        name = self.get(raw, path, "name", self.metadata_name)
        return Metadata(metadata_type, name) if metadata_type and name else None

    def metadata_name(self, value: object, path: str) -> str | None:
        name = self.xlsform_name(value, path)
        if name in self.declared_types:
            self.problems.add(path, f"'{name}' is already an item's id")
        elif name in self.metadata_names:
            self.problems.add(path, f"duplicate metadata name '{name}'")
        elif name is not None:
            self.metadata_names.add(name)
        return name


def _declared_item_types(raw_items: object) -> dict[str, str]:
    if not isinstance(raw_items, list):
        return {}
    declared: dict[str, str] = {}
    for raw in raw_items:
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            declared.setdefault(raw["id"], str(raw.get("type")))
    return declared
