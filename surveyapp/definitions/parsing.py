"""Checks an instrument dict against FORMAT.md and builds the immutable model (see field_readers.py)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

from .condition_parsing import ConditionContext, parse_condition
from .expressions import Expression
from .field_readers import ID_PATTERN
from .logic_readers import LogicReaders
from .model import (
    ADMINISTRATIONS,
    FLAG_LEVELS,
    IF_NOT_RELEVANT,
    ITEM_TYPES,
    MISSING_RULES,
    NO_TEXT,
    RESPONDENT_KINDS,
    SCALE_ITEM_TYPES,
    SCALE_METHODS,
    TRANSLATION_STATUSES,
    Band,
    Condition,
    FlagRule,
    InstrumentDefinition,
    Item,
    MissingRule,
    Option,
    Scale,
    is_int,
    is_number,
)
from .problems import DefinitionError, Problems, join

TOP_REQUIRED = (
    "id",
    "version",
    "respondent_kind",
    "title",
    "languages",
    "source",
    "licence",
    "translation_status",
    "items",
)
TOP_OPTIONAL = (
    "instructions",
    "staff_notes",
    "administration",
    "questions_per_screen",
    "option_sets",
    "sections",
    "scales",
    "flags",
    "language_names",
    "metadata",
)
ITEM_REQUIRED = ("id", "type")
ITEM_OPTIONAL = (
    "text",
    "options",
    "required",
    "relevant",
    "if_not_relevant",
    "reverse",
    "correct",
    "min",
    "max",
    "section",
    "hint",
    "required_message",
    "constraint",
    "constraint_message",
    "choice_filter",
    "calculation",
    "appearance",
)
SCALE_REQUIRED = ("id", "label", "items", "method", "range")
SCALE_OPTIONAL = ("missing", "multiply", "bands", "band_source")
FLAG_KEYS = ("id", "level", "when", "reason")
RULE_LEVELS = FLAG_LEVELS[1:]


def parse_definition(data: object) -> InstrumentDefinition:
    """Check `data` against FORMAT.md; raises DefinitionError listing every problem."""
    if not isinstance(data, Mapping):
        raise DefinitionError([f"(top level): an instrument definition must be a mapping, got {type(data).__name__}"])
    problems = Problems()
    definition = _DefinitionParser(data, problems).parse()
    problems.raise_if_any()
    return definition


class _DefinitionParser(LogicReaders):
    def __init__(self, data: Mapping, problems: Problems) -> None:
        super().__init__(data, problems)
        self.data = data
        self.option_sets: dict[str, tuple[Option, ...]] = {}
        self.filtered_option_sets: set[str] = set()
        """Option sets used by an item with a choice_filter (the only ones whose options may have filters)."""
        self.item_ids: set[str] = set()
        self.scale_ids: set[str] = set()
        self.flag_ids: set[str] = set()

    def parse(self) -> InstrumentDefinition:
        data, get = self.data, self.get
        self.mapping(data, "", TOP_REQUIRED, TOP_OPTIONAL)
        instrument_id = get(data, "", "id", self.identifier)
        version = get(data, "", "version", self.version)
        respondent_kind = get(data, "", "respondent_kind", self.one_of(RESPONDENT_KINDS))
        self.languages = get(data, "", "languages", self.language_list, ())
        self.option_sets = get(data, "", "option_sets", self.option_set_map, {})
        section_headers = get(data, "", "sections", self.list_of(self.section_header), ())
        items = get(data, "", "items", self.list_of(self.item, non_empty=True), ())
        definition = InstrumentDefinition(
            id=instrument_id,
            version=version,
            respondent_kind=respondent_kind,
            title=get(data, "", "title", self.text),
            instructions=get(data, "", "instructions", self.text),
            staff_notes=get(data, "", "staff_notes", self.text),
            administration=get(data, "", "administration", self.administration, "self"),
            questions_per_screen=get(
                data, "", "questions_per_screen", self.positive_integer, 1 if respondent_kind == "child" else None
            ),
            languages=self.languages,
            language_names=get(data, "", "language_names", self.language_names, MappingProxyType({})),
            source=get(data, "", "source", self.non_empty_string),
            licence=get(data, "", "licence", self.non_empty_string),
            translation_status=get(data, "", "translation_status", self.translation_status),
            option_sets=MappingProxyType(self.option_sets),
            sections=self.sections(section_headers, items),
            items=items,
            scales=get(data, "", "scales", self.list_of(self.scale), ()),
            flags=get(data, "", "flags", self.list_of(self.flag), ()),
            metadata=get(data, "", "metadata", self.list_of(self.metadata), ()),
        )
        self.check_option_set_filters()
        self.check_text_references()
        return definition

    # -- top level

    def administration(self, value: object, path: str) -> str | None:
        administration = self.one_of(ADMINISTRATIONS)(value, path)
        if administration == "staff":
            self.problems.add(
                path,
                "'staff' (a trainer or psychologist unlocks the tablet and asks the questions) "
                "is not supported by the kiosk yet; use 'self'",
            )
        return administration

    def translation_status(self, value: object, path: str) -> Mapping[str, str]:
        if not isinstance(value, Mapping):
            self.problems.add(path, "must be a map of language -> status")
            return MappingProxyType({})
        for language, status in value.items():
            if language not in self.languages:
                self.problems.add(path, f"language {language!r} is not listed in languages")
            elif status not in TRANSLATION_STATUSES:
                self.problems.add(
                    join(path, language), f"must be one of {', '.join(TRANSLATION_STATUSES)}, got {status!r}"
                )
        for language in self.languages:
            if language not in value:
                self.problems.add(path, f"missing status for language '{language}'")
        return MappingProxyType(dict(value))

    def option_set_map(self, value: object, path: str) -> dict[str, tuple[Option, ...]]:
        if not isinstance(value, Mapping):
            self.problems.add(path, "must be a map of name -> list of options")
            return {}
        option_sets = {}
        for name, options in value.items():
            set_path = join(path, str(name))
            if not (isinstance(name, str) and ID_PATTERN.fullmatch(name)):
                self.problems.add(set_path, "an option set name must be an id matching [a-z][a-z0-9_]*")
            option_sets[name] = self.option_list(options, set_path)
        return option_sets

    def check_option_set_filters(self) -> None:
        for name, options in self.option_sets.items():
            if name not in self.filtered_option_sets and any(option.filter for option in options):
                self.problems.add(
                    join("option_sets", str(name)), "options have a filter but no item using them has a choice_filter"
                )

    # -- options

    def option_list(self, value: object, path: str) -> tuple[Option, ...]:
        if not isinstance(value, list) or not value:
            self.problems.add(path, "must be a non-empty list of options")
            return ()
        options: list[Option] = []
        for index, raw in enumerate(value):
            option = self.option(raw, f"{path}[{index}]")
            if option is not None and option.value in (known.value for known in options):
                self.problems.add(f"{path}[{index}].value", f"duplicate option value {option.value}")
            elif option is not None:
                options.append(option)
        if options and all(option.missing for option in options):
            self.problems.add(path, "needs at least one option that is not marked missing")
        return tuple(options)

    def option(self, raw: object, path: str) -> Option | None:
        if not self.mapping(raw, path, ("value", "label"), ("missing", "filter")):
            return None
        value = self.get(raw, path, "value", self.option_value)
        label = self.get(raw, path, "label", self.text)
        missing = self.get(raw, path, "missing", self.boolean, False)
        option_filter = self.get(raw, path, "filter", self.option_filter, MappingProxyType({}))
        return Option(value, label, missing, option_filter) if value is not None else None

    def item_options(self, raw: Mapping, path: str, item_type: str | None) -> tuple[tuple[Option, ...], str | None]:
        options_path = join(path, "options")
        if item_type not in ("choice", "multi"):
            if "options" in raw and item_type is not None:
                self.problems.add(options_path, "only choice and multi items have options")
            return (), None
        if "options" not in raw:
            self.problems.add(options_path, f"required for {item_type} items")
            return (), None
        value = raw["options"]
        if not isinstance(value, str):
            return self.option_list(value, options_path), None
        if value not in self.option_sets:
            self.problems.add(options_path, f"unknown option set '{value}'")
            return (), None
        if "choice_filter" in raw:
            self.filtered_option_sets.add(value)
        return self.option_sets[value], value

    # -- items

    def item(self, raw: object, path: str) -> Item | None:
        if not self.mapping(raw, path, ITEM_REQUIRED, ITEM_OPTIONAL):
            return None
        get = self.get
        item_id = self.new_id(raw, path, self.item_ids, "item", self.xlsform_name)
        item_type = get(raw, path, "type", self.one_of(ITEM_TYPES))
        options, option_set = self.item_options(raw, path, item_type)
        earlier = dict(self.items)
        item = Item(
            id=item_id,
            type=item_type,
            text=get(raw, path, "text", self.text, NO_TEXT),
            options=options,
            option_set=option_set,
            required=get(raw, path, "required", self.boolean, False),
            relevant=get(raw, path, "relevant", lambda value, at: self.condition(value, at, earlier)),
            if_not_relevant=get(raw, path, "if_not_relevant", self.one_of(IF_NOT_RELEVANT), "refuse"),
            reverse=get(raw, path, "reverse", self.boolean, False),
            correct=get(raw, path, "correct", self.integer),
            min=get(raw, path, "min", self.number),
            max=get(raw, path, "max", self.number),
            section=get(raw, path, "section", self.section_reference),
            hint=get(raw, path, "hint", self.text),
            required_message=get(raw, path, "required_message", self.text),
            constraint=get(raw, path, "constraint", self.constraint),
            constraint_message=get(raw, path, "constraint_message", self.text),
            choice_filter=get(raw, path, "choice_filter", lambda value, at: self.choice_filter(value, at, item_id)),
            calculation=get(raw, path, "calculation", lambda value, at: self.calculation(value, at, item_id)),
            appearance=get(raw, path, "appearance", self.non_empty_string),
        )
        self.check_item_consistency(raw, item, path)
        if "if_not_relevant" in raw:
            self.check_if_not_relevant(raw, item, join(path, "if_not_relevant"))
        if item_id is not None and item_id not in self.items:
            self.items[item_id] = item
        return item

    def section_reference(self, value: object, path: str) -> str | None:
        if isinstance(value, str) and value in self.section_ids:
            return value
        self.problems.add(path, f"unknown section {value!r}")
        return None

    def constraint(self, value: object, path: str) -> Expression | None:
        return self.checked_expression(value, path, self_allowed=True)

    def choice_filter(self, value: object, path: str, item_id: str | None) -> Expression | None:
        expression = self.checked_expression(value, path, columns=True)
        if expression is not None and item_id in expression.references:
            self.problems.add(path, f"${{{item_id}}}: an item's choice_filter cannot use its own answer")
        return expression

    def calculation(self, value: object, path: str, item_id: str | None) -> Expression | None:
        """A calculation may use any answer, but only earlier calculations (so none depends on itself)."""
        expression = self.checked_expression(value, path)
        for reference in sorted(expression.references if expression is not None else ()):
            if self.declared_types.get(reference) == "calculate" and reference not in self.items:
                self.problems.add(path, f"${{{reference}}}: a calculation may only use earlier calculate items")
        return expression

    def check_if_not_relevant(self, raw: Mapping, item: Item, path: str) -> None:
        if not item.is_answerable:
            self.problems.add(path, f"{_unanswered_kind(item)} is never answered")
        elif "relevant" not in raw:
            self.problems.add(path, "only an item with a 'relevant' condition can be answered when it does not apply")

    def check_item_consistency(self, raw: Mapping, item: Item, path: str) -> None:
        add = self.problems.add
        if item.required and not item.is_answerable:
            add(join(path, "required"), f"{_unanswered_kind(item)} is never answered, so it cannot be required")
        if item.reverse and item.type != "choice":
            add(join(path, "reverse"), "reverse keying is only allowed on choice items")
        if item.correct is not None and item.type != "choice":
            add(join(path, "correct"), "only choice items can have a correct answer")
        elif item.correct is not None and item.options and item.correct not in item.scored_option_values:
            add(join(path, "correct"), f"{item.correct} is not the value of one of this item's (non-missing) options")
        for bound in ("min", "max"):
            value = getattr(item, bound)
            if value is not None and item.type not in ("integer", "decimal"):
                add(join(path, bound), "only integer and decimal items have min and max")
            elif value is not None and item.type == "integer" and not is_int(value):
                add(join(path, bound), f"must be a whole number for an integer item, got {value!r}")
        if item.min is not None and item.max is not None and item.min > item.max:
            add(path, f"min {item.min} is greater than max {item.max}")
        self.check_form_logic(raw, item, path)

    def check_form_logic(self, raw: Mapping, item: Item, path: str) -> None:
        """The XLSForm keys: each only where it means something."""
        add = self.problems.add
        if item.type is None:
            return
        for key, allowed, where in _KEY_PLACES:
            if key in raw and not allowed(item):
                add(join(path, key), where)
        if item.type != "calculate" and "text" not in raw:
            add(path, "missing required key 'text'")
        if item.type == "calculate" and "calculation" not in raw:
            add(path, "missing required key 'calculation' (a calculate item's value)")
        if "constraint_message" in raw and not ("constraint" in raw or "min" in raw or "max" in raw):
            add(join(path, "constraint_message"), "only an item with a constraint or min/max has a constraint message")
        if item.choice_filter is not None:
            self.check_choice_filter(item.choice_filter, item.options, join(path, "choice_filter"))
        elif "choice_filter" not in raw and item.option_set is None and any(option.filter for option in item.options):
            add(join(path, "options"), "options have a filter but the item has no choice_filter")

    # -- scales

    def scale(self, raw: object, path: str) -> Scale | None:
        if not self.mapping(raw, path, SCALE_REQUIRED, SCALE_OPTIONAL):
            return None
        problems_before = len(self.problems.messages)
        get = self.get
        method = get(raw, path, "method", self.one_of(SCALE_METHODS))
        items = get(raw, path, "items", lambda value, at: self.scale_items(value, at, method), ())
        scale = Scale(
            id=self.new_id(raw, path, self.scale_ids, "scale"),
            label=get(raw, path, "label", self.text),
            items=items,
            method=method,
            range=get(raw, path, "range", self.range_pair),
            missing=get(
                raw, path, "missing", lambda value, at: self.missing_rule(value, at, len(items)), MissingRule()
            ),
            multiply=get(raw, path, "multiply", self.positive_number),
            bands=get(raw, path, "bands", self.band_list, ()),
            band_source=get(raw, path, "band_source", self.non_empty_string),
        )
        if len(self.problems.messages) == problems_before:
            self.check_range(scale, join(path, "range"))
        return scale

    def scale_items(self, value: object, path: str, method: str | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problems.add(path, "must be a non-empty list of item ids")
            return ()
        item_ids: list[str] = []
        for index, item_id in enumerate(value):
            item_path = f"{path}[{index}]"
            item = self.items.get(item_id) if isinstance(item_id, str) else None
            if item is None:
                self.problems.add(item_path, f"unknown item {item_id!r}")
            elif item_id in item_ids:
                self.problems.add(item_path, f"item '{item_id}' is listed twice")
            else:
                self.check_scale_item(item, method, item_path)
                item_ids.append(item_id)
        return tuple(item_ids)

    def check_scale_item(self, item: Item, method: str | None, path: str) -> None:
        if item.type not in SCALE_ITEM_TYPES:
            self.problems.add(
                path, f"item '{item.id}' is a {item.type} item; scales take choice, integer or decimal items"
            )
        elif method == "percent_correct" and item.correct is None:
            self.problems.add(path, f"item '{item.id}' needs a correct answer for method percent_correct")
        elif item.type != "choice" and (item.min is None or item.max is None):
            self.problems.add(path, f"item '{item.id}' needs min and max to be part of a scale")
        elif any(not is_int(option.value) for option in item.options):
            # Also the missing ones: reports read a scale's answers out of the database as numbers.
            self.problems.add(path, f"item '{item.id}' needs a number value on every option to be part of a scale")

    def missing_rule(self, value: object, path: str, n_items: int) -> MissingRule:
        if not self.mapping(value, path, (), ("max_missing", "rule")):
            return MissingRule()
        max_missing = self.get(value, path, "max_missing", self.integer, 0)
        rule = self.get(value, path, "rule", self.one_of(MISSING_RULES), "refuse")
        if max_missing is not None and n_items and not 0 <= max_missing < n_items:
            self.problems.add(join(path, "max_missing"), f"must be from 0 to {n_items - 1} (fewer than the items)")
        elif rule == "refuse" and max_missing:
            self.problems.add(path, "rule 'refuse' tolerates no missing item, so max_missing must be 0")
        return MissingRule(max_missing, rule)

    def range_pair(self, value: object, path: str) -> tuple[int | float, int | float] | None:
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(is_number(bound) for bound in value)
            and value[0] <= value[1]
        ):
            return value[0], value[1]
        self.problems.add(path, f"must be [min, max] with min <= max, got {value!r}")
        return None

    def band_list(self, value: object, path: str) -> tuple[Band, ...]:
        if not isinstance(value, list) or not value:
            self.problems.add(path, "must be a non-empty list of bands")
            return ()
        bands: list[Band] = []
        for index, raw in enumerate(value):
            band_path = f"{path}[{index}]"
            band = self.band(raw, band_path)
            if band is None:
                continue
            self.check_band_order(band, bands, is_last=index == len(value) - 1, path=band_path)
            bands.append(band)
        return tuple(bands)

    def band(self, raw: object, path: str) -> Band | None:
        if not self.mapping(raw, path, ("code", "label"), ("max",)):
            return None
        return Band(
            code=self.get(raw, path, "code", self.non_empty_string),
            max=self.get(raw, path, "max", self.number),
            label=self.get(raw, path, "label", self.text),
        )

    def check_band_order(self, band: Band, previous: list[Band], is_last: bool, path: str) -> None:
        if is_last and band.max is not None:
            self.problems.add(join(path, "max"), "the last band must be open-ended (no max)")
        if not is_last and band.max is None:
            self.problems.add(path, "missing required key 'max' (only the last band has no max)")
        last_max = previous[-1].max if previous else None
        if band.max is not None and last_max is not None and band.max <= last_max:
            self.problems.add(join(path, "max"), f"must be greater than the previous band's max {last_max}")
        if band.code in (earlier.code for earlier in previous):
            self.problems.add(join(path, "code"), f"duplicate band code '{band.code}'")

    def check_range(self, scale: Scale, path: str) -> None:
        computed = computed_range(scale, self.items)
        declared = scale.range
        if computed is not None and not all(
            math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(declared, computed)
        ):
            self.problems.add(path, f"declared {_show_range(declared)} but the items give {_show_range(computed)}")

    # -- flags

    def flag(self, raw: object, path: str) -> FlagRule | None:
        if not self.mapping(raw, path, FLAG_KEYS, ()):
            return None
        return FlagRule(
            id=self.new_id(raw, path, self.flag_ids, "flag"),
            level=self.get(raw, path, "level", self.one_of(RULE_LEVELS)),
            when=self.get(raw, path, "when", self.flag_condition),
            reason=self.get(raw, path, "reason", self.text),
        )

    def flag_condition(self, value: object, path: str) -> Condition | None:
        context = ConditionContext(items=self.items, later_item_ids=(), scale_ids=self.scale_ids)
        return parse_condition(value, path, context, self.problems)


_KEY_PLACES: tuple[tuple[str, Callable[[Item], bool], str], ...] = (
    ("hint", lambda item: not item.is_calculated, "a calculate item is never shown, so it has no hint"),
    ("required_message", lambda item: item.required, "only a required item has a required message"),
    ("constraint", lambda item: item.is_answerable, "only an item that is answered has a constraint"),
    ("choice_filter", lambda item: item.type in ("choice", "multi"), "only choice and multi items filter options"),
    ("calculation", lambda item: item.is_calculated, "only a calculate item has a calculation"),
    ("relevant", lambda item: not item.is_calculated, "a calculate item is never shown, so it has no relevant"),
)
"""Where each XLSForm key may appear: (key, allowed for the item, the problem otherwise)."""


def computed_range(scale: Scale, items: Mapping[str, Item]) -> tuple[float, float] | None:
    """The score range allowed when every item has a scored answer; None if an item has no bounds."""
    if scale.method == "percent_correct":
        low, high = 0.0, 100.0
    else:
        item_bounds = [_item_bounds(items[item_id]) for item_id in scale.items]
        bounds = [bound for bound in item_bounds if bound is not None]
        if len(bounds) < len(item_bounds):
            return None
        divisor = len(bounds) if scale.method == "mean" else 1
        low = sum(bound[0] for bound in bounds) / divisor
        high = sum(bound[1] for bound in bounds) / divisor
    multiply = scale.multiply if scale.multiply is not None else 1
    return low * multiply, high * multiply


def _item_bounds(item: Item) -> tuple[int | float, int | float] | None:
    if item.type == "choice" and item.scored_option_values:
        return min(item.scored_option_values), max(item.scored_option_values)
    if item.type in ("integer", "decimal") and item.min is not None and item.max is not None:
        return item.min, item.max
    return None


def _unanswered_kind(item: Item) -> str:
    return "a note" if item.type == "note" else "a calculate item"


def _show_range(bounds: tuple[float, float]) -> str:
    return f"[{bounds[0]:g}, {bounds[1]:g}]"
