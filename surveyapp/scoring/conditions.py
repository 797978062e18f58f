"""Evaluating `relevant` and flag conditions (FORMAT.md, "Conditions") against answers and scale scores."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from surveyapp.definitions.evaluation import effective_relevance
from surveyapp.definitions.expressions import evaluate_expression, to_boolean
from surveyapp.definitions.model import (
    AllOf,
    AnyOf,
    Condition,
    ExpressionCondition,
    InstrumentDefinition,
    Item,
    ItemCondition,
    Not,
    ScaleCondition,
    is_int,
    is_number,
)

NO_SCORES: Mapping[str, float | None] = MappingProxyType({})

_COMPARE: dict[str, Callable[[float, Any], bool]] = {
    "equals": operator.eq,
    "not_equals": operator.ne,
    "in": lambda value, choices: value in choices,
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
}


def evaluate(
    condition: Condition, answers: Mapping[str, object], scale_values: Mapping[str, float | None] = NO_SCORES
) -> bool:
    """Whether `condition` holds. A comparison is false when the item is not answered, when its answer is not
    of the item's kind (e.g. a string where a number belongs), or when the scale has no score. `answers` may
    hold calculated values too (an expression refers to them; see `expression_values`)."""
    match condition:
        case AllOf(conditions):
            return all(evaluate(part, answers, scale_values) for part in conditions)
        case AnyOf(conditions):
            return any(evaluate(part, answers, scale_values) for part in conditions)
        case Not(inner):
            return not evaluate(inner, answers, scale_values)
        case ItemCondition(item_id, "answered", expected):
            return (item_id in answers) == expected
        case ItemCondition(item_id, "contains", option_value):
            selected = answers.get(item_id)
            return isinstance(selected, list) and any(is_int(value) and value == option_value for value in selected)
        case ItemCondition(item_id, comparison, operand):
            return _compare(answers.get(item_id), comparison, operand)
        case ScaleCondition(scale_id, comparison, operand):
            return _compare(scale_values.get(scale_id), comparison, operand)
        case ExpressionCondition(expression):
            return to_boolean(evaluate_expression(expression, answers))
    raise TypeError(f"not a condition: {condition!r}")


def is_relevant(definition: InstrumentDefinition, item: Item, values: Mapping[str, object]) -> bool:
    """Whether `item` is asked given the other answers and calculated values: its own `relevant` and that of
    every section around it hold (always, without any)."""
    return all(evaluate(condition, values) for condition in effective_relevance(definition, item))


def _compare(value: object, comparison: str, operand: object) -> bool:
    return is_number(value) and _COMPARE[comparison](value, operand)
