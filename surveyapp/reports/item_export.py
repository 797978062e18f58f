"""The item-level data of one instrument version (issue 16), as analysts read it: which variables a file has, with
their labels and value labels in one language, and the row of each submission. Pure: no Flask, no database.

Variables, in order: the submission's context (META), then one per answerable item - a `multi` item as one 0/1
variable per option (1 chosen, 0 not chosen, missing when the item was not answered), named `<item>_<value>` -
then one per scale, `score_<scale>`. Names follow Stata's rule (letters, digits, `_`, at most 32 characters),
which SPSS accepts too; a name taken twice gets `_2`, `_3`...
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from surveyapp.definitions.model import InstrumentDefinition, Item, local_text

META = ("pseudonym", "session", "wave", "territory", "date", "language")
"""The context of each row, given by the caller in this order; `date` is the day the session was held."""
MAX_NAME = 32


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: str
    """`text`, `number` or `date`."""
    value_labels: Mapping[int, str] = field(default_factory=dict)
    missing_values: tuple[int, ...] = ()
    """Option values scored as missing ("I don't want to answer"): kept as answered, marked missing in SPSS."""
    item: str | None = None
    option: int | None = None
    """For a `multi` item's variable: the option it says was chosen or not."""
    scale: str | None = None


@dataclass(frozen=True)
class Layout:
    """The variables of one instrument version's file, in one language."""

    definition: InstrumentDefinition
    language: str
    variables: tuple[Variable, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(variable.name for variable in self.variables)


@dataclass(frozen=True)
class Wording:
    """What the file says in the chosen language besides the instrument's own texts (translated by the caller)."""

    meta_labels: Mapping[str, str]
    chosen: str
    not_chosen: str


def layout(definition: InstrumentDefinition, language: str, wording: Wording) -> Layout:
    meta = [Variable(name, wording.meta_labels[name], "date" if name == "date" else "text") for name in META]
    answers = [
        variable for item in definition.answerable_items for variable in _item_variables(item, language, wording)
    ]
    scores = [
        Variable(f"score_{scale.id}", local_text(scale.label, language), "number", scale=scale.id)
        for scale in definition.scales
    ]
    variables = meta + answers + scores
    names = _unique_names([variable.name for variable in variables])
    return Layout(definition, language, tuple(replace(variable, name=name) for name, variable in zip(names, variables)))


def _item_variables(item: Item, language: str, wording: Wording) -> list[Variable]:
    text = local_text(item.text, language)
    if item.type == "multi":
        chosen = {1: wording.chosen, 0: wording.not_chosen}
        return [
            Variable(
                f"{item.id}_{_name_part(option.value)}",
                f"{text}: {local_text(option.label, language)}",
                "number",
                chosen,
                item=item.id,
                option=option.value,
            )
            for option in item.options
        ]
    if item.type == "choice":
        labels = {option.value: local_text(option.label, language) for option in item.options}
        missing = tuple(option.value for option in item.options if option.missing)
        return [Variable(item.id, text, "number", labels, missing, item=item.id)]
    return [Variable(item.id, text, "text" if item.type == "text" else "number", item=item.id)]


def row(
    layout_: Layout, meta: tuple[str | date | None, ...], answers: Mapping, scores: Mapping[str, float | None]
) -> tuple:
    """One submission's row: ``meta`` in META's order, then its answers and scores as the variables say."""
    return meta + tuple(_cell(variable, answers, scores) for variable in layout_.variables[len(META) :])


def _cell(variable: Variable, answers: Mapping, scores: Mapping[str, float | None]):
    if variable.scale is not None:
        return scores.get(variable.scale)
    answer = answers.get(variable.item)
    if variable.option is None or answer is None:
        return answer
    return int(variable.option in answer)


def _name_part(value: int) -> str:
    return str(value) if value >= 0 else f"m{-value}"


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
