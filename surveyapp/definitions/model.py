"""Immutable in-memory form of an instrument definition (see FORMAT.md)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TypeGuard

from .expressions import Expression

LANGUAGES = ("ky", "ru", "en")
"""The kiosk's languages; a definition may carry others (kept for export and staff pages)."""
LANGUAGE_TAG_PATTERN = r"[a-z]{2,3}(-[a-z0-9]{1,8})*"
METADATA_TYPES = ("start", "end", "today", "deviceid", "username")
"""XLSForm metadata kept for the round trip, never recorded."""
RESPONDENT_KINDS = ("child", "staff", "parent")
ADMINISTRATIONS = ("self", "staff")
"""Who puts the questions: the respondent alone on the tablet, or a trainer or psychologist (reserved)."""
TRANSLATION_STATUSES = ("original", "draft", "reviewed", "back-translated")
ITEM_TYPES = ("choice", "multi", "integer", "decimal", "text", "date", "note", "calculate")
SCALE_ITEM_TYPES = ("choice", "integer", "decimal")
SCALE_METHODS = ("sum", "mean", "percent_correct")
MISSING_RULES = ("prorate", "refuse", "zero")
FLAG_LEVELS = ("none", "referral", "non_acute", "acute")
"""Result flag levels in ascending severity; a rule's level is any of them except `none`."""
IF_NOT_RELEVANT = ("refuse", "keep")
"""What validation does with an answer to an item whose `relevant` condition is false."""


def is_int(value: object) -> TypeGuard[int]:
    """True for ints but not bools (JSON/YAML `true` is not 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """True for ints (not bools) and finite floats."""
    return is_int(value) or (isinstance(value, float) and math.isfinite(value))


def local_text(text: Mapping[str, str], language: str) -> str:
    """A text in the chosen language, falling back to Russian, then to any language the text has (an instrument
    or a work-plan entry may not carry every language)."""
    return text.get(language) or text.get("ru") or next(iter(text.values()), "")


class Text(Mapping[str, str]):
    """A read-only, hashable language -> string map, e.g. `item.text["ru"]`."""

    def __init__(self, by_language: Mapping[str, str]) -> None:
        self._by_language = dict(by_language)

    def __getitem__(self, language: str) -> str:
        return self._by_language[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_language)

    def __len__(self) -> int:
        return len(self._by_language)

    def __hash__(self) -> int:
        return hash(frozenset(self._by_language.items()))

    def __repr__(self) -> str:
        return f"Text({self._by_language!r})"


@dataclass(frozen=True)
class ItemCondition:
    item: str
    operator: str
    operand: int | float | bool | tuple[int | float, ...]


@dataclass(frozen=True)
class ScaleCondition:
    scale: str
    operator: str
    operand: int | float | tuple[int | float, ...]


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


@dataclass(frozen=True)
class ExpressionCondition:
    """An XLSForm expression as a `relevant` condition (true when its boolean() is)."""

    expression: Expression


Condition = ItemCondition | ScaleCondition | AllOf | AnyOf | Not | ExpressionCondition
OptionValue = int | str
"""An option's value as stored in answers: a number, or an XLSForm choice name such as `yes`."""
FilterValue = str | int | float
NO_TEXT = Text({})


@dataclass(frozen=True)
class Option:
    value: OptionValue
    label: Text
    missing: bool = False
    filter: Mapping[str, FilterValue] = field(default_factory=lambda: MappingProxyType({}))
    """The choices sheet's extra columns a choice_filter reads, by column name."""

    @property
    def filter_columns(self) -> dict[str, FilterValue]:
        """What a choice_filter's bare names see: the filter columns and `name`, the option's value."""
        return {**self.filter, "name": self.value}


@dataclass(frozen=True)
class Section:
    """An XLSForm group; `parent` is the enclosing section (declared earlier)."""

    id: str
    title: Text = NO_TEXT
    parent: str | None = None
    relevant: Condition | None = None
    appearance: str | None = None


@dataclass(frozen=True)
class Metadata:
    """An XLSForm metadata question (start, end, today, deviceid, username): kept and exported, not recorded."""

    type: str
    name: str


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: Text
    options: tuple[Option, ...] = ()
    option_set: str | None = None
    """Name of the shared option set the options come from, if any."""
    required: bool = False
    relevant: Condition | None = None
    reverse: bool = False
    correct: int | None = None
    min: int | float | None = None
    max: int | float | None = None
    section: str | None = None
    if_not_relevant: str = "refuse"
    hint: Text | None = None
    required_message: Text | None = None
    constraint: Expression | None = None
    """Must hold for an answer (`.` is the answer); checked only when the item is answered."""
    constraint_message: Text | None = None
    choice_filter: Expression | None = None
    """Evaluated per option (bare names are the option's filter columns); options for which it is false are
    not offered."""
    calculation: Expression | None = None
    """A calculate item's value, computed from the answers, never stored."""
    appearance: str | None = None

    @property
    def keeps_answer_when_not_relevant(self) -> bool:
        """A risk item: an answer given although it does not apply is kept and scored, never refused."""
        return self.if_not_relevant == "keep"

    @property
    def is_answerable(self) -> bool:
        return self.type not in ("note", "calculate")

    @property
    def is_calculated(self) -> bool:
        return self.type == "calculate"

    @property
    def option_values(self) -> tuple[OptionValue, ...]:
        return tuple(option.value for option in self.options)

    @property
    def scored_option_values(self) -> tuple[int, ...]:
        """Values of the options that are not scored as missing (numbers: the parser requires them of the
        items of a scale and of `correct`)."""
        return tuple(option.value for option in self.options if not option.missing and is_int(option.value))

    @cached_property
    def has_named_options(self) -> bool:
        """Whether some option's value is a choice name (text) rather than a number."""
        return any(isinstance(option.value, str) for option in self.options)

    def option(self, value: object) -> Option | None:
        """The option with this value: a number (3.0 is 3, `true` is not 1) or a choice name ("3" is not 3)."""
        key = _option_key(value)
        return self._options_by_key.get(key) if key is not None else None

    @cached_property
    def _options_by_key(self) -> dict[tuple[bool, object], Option]:
        return {(isinstance(option.value, str), option.value): option for option in self.options}


def _option_key(value: object) -> tuple[bool, object] | None:
    """(is a name, value): numbers and names apart, equal numbers alike (3.0 hashes and compares as 3)."""
    if isinstance(value, str) or is_number(value):
        return isinstance(value, str), value
    return None


@dataclass(frozen=True)
class MissingRule:
    max_missing: int = 0
    rule: str = "refuse"


@dataclass(frozen=True)
class Band:
    code: str
    max: int | float | None
    label: Text


@dataclass(frozen=True)
class Scale:
    id: str
    label: Text
    items: tuple[str, ...]
    method: str
    range: tuple[int | float, int | float]
    missing: MissingRule = MissingRule()
    multiply: int | float | None = None
    bands: tuple[Band, ...] = ()
    band_source: str | None = None


@dataclass(frozen=True)
class FlagRule:
    id: str
    level: str
    when: Condition
    reason: Text


@dataclass(frozen=True)
class InstrumentDefinition:
    id: str
    version: str
    respondent_kind: str
    title: Text
    languages: tuple[str, ...]
    source: str
    licence: str
    translation_status: Mapping[str, str]
    items: tuple[Item, ...]
    instructions: Text | None = None
    """Shown to the respondent before the first item."""
    staff_notes: Text | None = None
    """For the staff who run the session; never shown to the respondent."""
    administration: str = "self"
    questions_per_screen: int | None = None
    """How many questions the kiosk shows at a time; None = all on one screen."""
    option_sets: Mapping[str, tuple[Option, ...]] = field(default_factory=lambda: MappingProxyType({}))
    sections: tuple[Section, ...] = ()
    scales: tuple[Scale, ...] = ()
    flags: tuple[FlagRule, ...] = ()
    language_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Language tag -> the name an XLSForm wrote in its column headers ("English (en)"), for the export."""
    metadata: tuple[Metadata, ...] = ()

    @property
    def key(self) -> str:
        """`<id>-<version>`, also the definition file's stem."""
        return f"{self.id}-{self.version}"

    @property
    def answerable_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_answerable)

    @cached_property
    def calculated_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_calculated)

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError if there is none."""
        return self._items_by_id[item_id]

    def scale(self, scale_id: str) -> Scale:
        """The scale with this id; KeyError if there is none."""
        return self._scales_by_id[scale_id]

    def items_in_section(self, section_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.section == section_id)

    def section(self, section_id: str) -> Section:
        """The section with this id; KeyError if there is none."""
        return self._sections_by_id[section_id]

    def enclosing_sections(self, section_id: str | None) -> tuple[Section, ...]:
        """The section and the sections around it, outermost first."""
        return self._section_chains[section_id] if section_id is not None else ()

    @cached_property
    def _section_chains(self) -> dict[str, tuple[Section, ...]]:
        """Each section's chain; parents are listed before their children."""
        chains: dict[str, tuple[Section, ...]] = {}
        for section in self.sections:
            chains[section.id] = (*(chains[section.parent] if section.parent else ()), section)
        return chains

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    @cached_property
    def _scales_by_id(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}
