"""What a definition's form logic gives for a set of answers: calculated values, `${}` in texts, options a
choice_filter leaves, constraints, and the relevance an item inherits from its sections (FORMAT.md).

Pure and shared by the server's validation, the server-rendered kiosk page and the item export; the tablet
gets the same logic as JSON (`condition_json`, `relevance_json`, `Expression.json`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .expressions import TEXT_REFERENCE, evaluate_expression, to_boolean, to_string, xpath_value
from .model import (
    AllOf,
    AnyOf,
    Condition,
    ExpressionCondition,
    InstrumentDefinition,
    Item,
    ItemCondition,
    Not,
    Option,
    ScaleCondition,
)


def calculated_values(definition: InstrumentDefinition, answers: Mapping[str, object]) -> dict[str, str]:
    """Each calculate item's value as text (as XLSForm stores it), computed in item order so that a calculation
    sees the earlier ones. Never stored with the answers: computed again whenever needed."""
    values = dict(answers)
    calculated: dict[str, str] = {}
    for item in definition.calculated_items:
        assert item.calculation is not None  # the parser requires it
        calculated[item.id] = values[item.id] = to_string(evaluate_expression(item.calculation, values))
    return calculated


def expression_values(definition: InstrumentDefinition, answers: Mapping[str, object]) -> dict[str, object]:
    """What `${id}` stands for: the answers and the calculated values."""
    return {**answers, **calculated_values(definition, answers)}


def fill_text(text: str, values: Mapping[str, object]) -> str:
    """`text` with each `${id}` replaced by that item's value as XLSForm shows it (a choice by its value, a
    multi answer's values separated by spaces, an unanswered item as nothing)."""
    return TEXT_REFERENCE.sub(lambda match: to_string(xpath_value(values.get(match.group(1).strip()))), text)


def effective_relevance(definition: InstrumentDefinition, item: Item) -> tuple[Condition, ...]:
    """Every condition that must hold for `item` to be asked: its enclosing sections' (outermost first), then
    its own."""
    if item.section is None:
        return () if item.relevant is None else (item.relevant,)
    sections = definition.enclosing_sections(item.section)
    conditions = [section.relevant for section in sections] + [item.relevant]
    return tuple(condition for condition in conditions if condition is not None)


def condition_json(condition: Condition) -> dict[str, object]:
    """A condition as the tablet reads it: structured conditions as written in FORMAT.md, an expression as
    `{"tree": <expression tree>}`."""
    match condition:
        case AllOf(parts):
            return {"all": [condition_json(part) for part in parts]}
        case AnyOf(parts):
            return {"any": [condition_json(part) for part in parts]}
        case Not(inner):
            return {"not": condition_json(inner)}
        case ItemCondition(item_id, operator, operand):
            return {"item": item_id, operator: list(operand) if isinstance(operand, tuple) else operand}
        case ScaleCondition(scale_id, operator, operand):
            return {"scale": scale_id, operator: list(operand) if isinstance(operand, tuple) else operand}
        case ExpressionCondition(expression):
            return {"tree": expression.json()}
    raise TypeError(f"not a condition: {condition!r}")


def relevance_json(definition: InstrumentDefinition, item: Item) -> dict[str, object] | None:
    """The item's effective relevance for the tablet (None: always asked)."""
    conditions = effective_relevance(definition, item)
    if not conditions:
        return None
    return condition_json(conditions[0] if len(conditions) == 1 else AllOf(conditions))


def allowed_options(item: Item, values: Mapping[str, object]) -> tuple[Option, ...]:
    """The options offered given the other answers: those the item's choice_filter keeps (all without one)."""
    if item.choice_filter is None:
        return item.options
    choice_filter = item.choice_filter
    return tuple(
        option
        for option in item.options
        if to_boolean(evaluate_expression(choice_filter, values, columns=option.filter_columns))
    )


def constraint_holds(item: Item, answer: object, values: Mapping[str, object]) -> bool:
    """Whether `answer` (the item's, as stored) meets the item's constraint; true without a constraint."""
    if item.constraint is None:
        return True
    return to_boolean(evaluate_expression(item.constraint, values, self_value=answer))
