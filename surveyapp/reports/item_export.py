"""The item-level data of one instrument version (issue 16), as analysts read it: which variables a file has, with
their labels and value labels in one language, and the row of each submission. Pure: no Flask, no database.

Variables, in order: the submission's context (META), then one per item in the definition's order - an answer;
a `multi` item as one 0/1 variable per option (1 chosen, 0 not chosen, missing when the item was not answered),
named `<item>_<value>`; a `calculate` item's value, computed from the answers - then one per scale,
`score_<scale>`. A choice is its value as stored (a number, or a text choice name such as `yes`: see
Variable.codes), a date a `date`. Names follow Stata's rule (letters, digits, `_`, at most 32 characters, not a
reserved word), which SPSS accepts too; a name taken twice gets `_2`, `_3`...
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from surveyapp.definitions.evaluation import calculated_values
from surveyapp.definitions.model import InstrumentDefinition, Item, is_int, local_text
from surveyapp.reports.stat_columns import Kind

META = ("pseudonym", "session", "wave", "territory", "date", "language")
"""The context of each row, given by the caller in this order; `date` is the day the session was held."""
MAX_NAME = 32
RESERVED_NAMES = frozenset(
    "_all _b byte _coef _cons double float if in int long _n _pi _pred _rc _skip str strl using with "
    "all and by eq ge gt le lt ne not or to".split()
)
"""Stata's reserved names (lower-cased; `_N` is `_n` here) and SPSS's reserved keywords."""


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: Kind
    value_labels: Mapping[int | str, str] = field(default_factory=dict)
    missing_values: tuple[int | str, ...] = ()
    """Option values scored as missing ("I don't want to answer"): kept as answered, marked missing in SPSS."""
    item: str | None = None
    option: int | str | None = None
    """For a `multi` item's variable: the option it says was chosen or not."""
    scale: str | None = None
    codes: Mapping[str, int] = field(default_factory=dict)
    """For an item with text choice names: the number each stands for in SPSS and Stata, which label numbers only
    (CSV and XLSX keep the name)."""
    decimals: int = 2
    """Decimals shown by SPSS and Stata (0 for whole numbers: choices, integers, 0/1)."""
    calculation: str | None = None
    """A calculate item's expression: its value is computed from the answers, never read from them."""


@dataclass(frozen=True)
class Layout:
    """The variables of one instrument version's file, in one language."""

    definition: InstrumentDefinition
    language: str
    variables: tuple[Variable, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(variable.name for variable in self.variables)

    @cached_property
    def has_calculated(self) -> bool:
        return any(variable.calculation is not None for variable in self.variables)


@dataclass(frozen=True)
class Wording:
    """What the file says in the chosen language besides the instrument's own texts (translated by the caller)."""

    meta_labels: Mapping[str, str]
    chosen: str
    not_chosen: str


def layout(definition: InstrumentDefinition, language: str, wording: Wording) -> Layout:
    meta = [Variable(name, wording.meta_labels[name], "date" if name == "date" else "text") for name in META]
    answers = [
        variable
        for item in definition.items
        if item.is_answerable or item.is_calculated
        for variable in _item_variables(item, language, wording)
    ]
    scores = [
        Variable(f"score_{scale.id}", local_text(scale.label, language), "number", scale=scale.id)
        for scale in definition.scales
    ]
    variables = meta + answers + scores
    names = _unique_names([_valid_name(variable.name) for variable in variables])
    return Layout(definition, language, tuple(replace(variable, name=name) for name, variable in zip(names, variables)))


def _item_variables(item: Item, language: str, wording: Wording) -> list[Variable]:
    text = local_text(item.text, language)
    if item.type == "multi":
        chosen: dict[int | str, str] = {1: wording.chosen, 0: wording.not_chosen}
        return [
            Variable(
                f"{item.id}_{_name_part(option.value)}",
                f"{text}: {local_text(option.label, language)}",
                "number",
                chosen,
                item=item.id,
                option=option.value,
                decimals=0,
            )
            for option in item.options
        ]
    if item.type == "choice":
        labels: dict[int | str, str] = {option.value: local_text(option.label, language) for option in item.options}
        missing = tuple(option.value for option in item.options if option.missing)
        codes = _codes(item.option_values)
        kind: Kind = "text" if codes else "number"
        return [Variable(item.id, text, kind, labels, missing, item.id, codes=codes, decimals=0)]
    if item.calculation is not None:
        return [Variable(item.id, text or item.id, "text", item=item.id, calculation=item.calculation.source)]
    kinds: dict[str, Kind] = {"text": "text", "date": "date"}
    decimals = 0 if item.type == "integer" else 2
    return [Variable(item.id, text, kinds.get(item.type, "number"), item=item.id, decimals=decimals)]


def _codes(values: tuple[int | str, ...]) -> dict[str, int]:
    """Text choice names numbered after the item's largest number (1, 2... when it has none), in their order."""
    first = max((value for value in values if is_int(value)), default=0) + 1
    names = [value for value in values if isinstance(value, str)]
    return {name: first + number for number, name in enumerate(names)}


def row(
    layout_: Layout, meta: tuple[str | date | None, ...], answers: Mapping, scores: Mapping[str, float | None]
) -> tuple:
    """One submission's row: ``meta`` in META's order, then its answers, calculated values and scores as the
    variables say. Calculated values are computed here from the answers (they are never stored)."""
    calculated = calculated_values(layout_.definition, answers) if layout_.has_calculated else {}
    return meta + tuple(_cell(variable, answers, calculated, scores) for variable in layout_.variables[len(META) :])


def _cell(variable: Variable, answers: Mapping, calculated: Mapping, scores: Mapping[str, float | None]):
    if variable.scale is not None:
        return scores.get(variable.scale)
    if variable.calculation is not None:
        return calculated[variable.item] or None
    answer = answers.get(variable.item)
    if answer is None:
        return None
    if variable.option is not None:
        return int(variable.option in answer)
    return date.fromisoformat(answer) if variable.kind == "date" else answer


def _name_part(value: int | str) -> str:
    if isinstance(value, str):
        return value
    return str(value) if value >= 0 else f"m{-value}"


def _valid_name(name: str) -> str:
    """A name Stata and SPSS both take: letters, digits and `_`, starting with a letter, not a reserved word."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not name[:1].isalpha():
        name = f"v{name}"
    return f"{name}_" if name.lower() in RESERVED_NAMES else name


def _unique_names(names: list[str]) -> list[str]:
    taken: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name[:MAX_NAME], 1
        while candidate in taken:
            number += 1
            suffix = f"_{number}"
            candidate = name[: MAX_NAME - len(suffix)] + suffix
        taken.add(candidate)
        unique.append(candidate)
    return unique
