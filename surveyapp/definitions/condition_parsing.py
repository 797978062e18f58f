"""Checking and building the conditions used by `relevant` and `flags`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from .expressions import Expression, ExpressionError, parse_expression
from .model import (
    AllOf,
    AnyOf,
    Condition,
    ExpressionCondition,
    Item,
    ItemCondition,
    Not,
    ScaleCondition,
    is_int,
    is_number,
)
from .problems import Problems, join

COMPARISONS = ("equals", "not_equals", "in", "gte", "lte", "gt", "lt")
ITEM_OPERATORS = {
    "choice": (*COMPARISONS, "answered"),
    "integer": (*COMPARISONS, "answered"),
    "decimal": (*COMPARISONS, "answered"),
    "multi": ("contains", "answered"),
    "text": ("answered",),
    "date": ("answered",),
}
ALL_OPERATORS = (*COMPARISONS, "contains", "answered")
COMBINATIONS = ("any", "all", "not")
OPTION_OPERATORS = ("equals", "not_equals", "in", "contains")
"""Operators whose operand must be an option value when used on a choice or multi item."""


@dataclass(frozen=True)
class ConditionContext:
    items: Mapping[str, Item]
    """Items a condition may refer to."""
    later_item_ids: Collection[str]
    """Items that exist but may not be referred to (later items, for `relevant`)."""
    scale_ids: Collection[str] | None
    """Scales a condition may refer to; None where scale conditions are not allowed."""
    check_expression: Callable[[Expression, str], None] | None = None
    """Checks the items an `{expression}` condition refers to; None where expressions are not allowed."""


def read_expression(
    value: object, path: str, problems: Problems, *, columns: bool = False, self_allowed: bool = False
) -> Expression | None:
    """An XLSForm expression; a problem at `path` when it is not a string or does not parse."""
    if not isinstance(value, str):
        problems.add(path, f"must be an expression (a string), got {value!r}")
        return None
    try:
        return parse_expression(value, columns=columns, self_allowed=self_allowed)
    except ExpressionError as error:
        problems.add(path, str(error))
        return None


def parse_condition(raw: object, path: str, context: ConditionContext, problems: Problems) -> Condition | None:
    if not isinstance(raw, Mapping) or not raw:
        problems.add(path, "must be a condition (a non-empty mapping)")
        return None
    if "expression" in raw:
        return _parse_expression_condition(raw, path, context, problems)
    combination_keys = [key for key in raw if key in COMBINATIONS]
    if combination_keys and len(raw) > 1:
        problems.add(path, f"'{combination_keys[0]}' must be the only key of its condition")
        return None
    if combination_keys:
        return _parse_combination(combination_keys[0], raw[combination_keys[0]], path, context, problems)
    return _parse_comparison(raw, path, context, problems)


def _parse_expression_condition(
    raw: Mapping, path: str, context: ConditionContext, problems: Problems
) -> ExpressionCondition | None:
    if context.check_expression is None:
        problems.add(path, "an expression is only allowed as a `relevant` condition")
        return None
    if len(raw) > 1:
        problems.add(path, "'expression' must be the only key of its condition")
        return None
    expression = read_expression(raw["expression"], join(path, "expression"), problems)
    if expression is None:
        return None
    context.check_expression(expression, join(path, "expression"))
    return ExpressionCondition(expression)


def _parse_combination(
    key: str, value: object, path: str, context: ConditionContext, problems: Problems
) -> Condition | None:
    path = join(path, key)
    if key == "not":
        inner = parse_condition(value, path, context, problems)
        return Not(inner) if inner is not None else None
    if not isinstance(value, list) or not value:
        problems.add(path, "must be a non-empty list of conditions")
        return None
    parsed = [parse_condition(part, f"{path}[{index}]", context, problems) for index, part in enumerate(value)]
    parts = tuple(part for part in parsed if part is not None)
    if len(parts) < len(parsed):
        return None
    return AllOf(parts) if key == "all" else AnyOf(parts)


def _parse_comparison(raw: Mapping, path: str, context: ConditionContext, problems: Problems) -> Condition | None:
    subjects = [key for key in ("item", "scale") if key in raw]
    operators = [key for key in raw if key not in ("item", "scale")]
    if len(subjects) != 1:
        problems.add(path, "must name exactly one of 'item' or 'scale'")
        return None
    if len(operators) != 1:
        problems.add(path, f"must have exactly one operator, one of: {', '.join(ALL_OPERATORS)}")
        return None
    operator = operators[0]
    if operator not in ALL_OPERATORS:
        problems.add(path, f"unknown operator {operator!r}; use one of: {', '.join(ALL_OPERATORS)}")
        return None
    if subjects[0] == "scale":
        return _parse_scale_condition(raw["scale"], operator, raw[operator], path, context, problems)
    return _parse_item_condition(raw["item"], operator, raw[operator], path, context, problems)


def _parse_item_condition(
    item_id: object, operator: str, operand: object, path: str, context: ConditionContext, problems: Problems
) -> ItemCondition | None:
    item = _referred_item(item_id, join(path, "item"), context, problems)
    if item is None:
        return None
    allowed = ITEM_OPERATORS.get(item.type, ALL_OPERATORS)
    operand_path = join(path, operator)
    if operator not in allowed:
        problems.add(operand_path, f"cannot be used on {item.type} item '{item.id}'; use one of: {', '.join(allowed)}")
        return None
    checked = _checked_operand(operator, operand, operand_path, problems)
    if checked is None:
        return None
    if item.options and operator in OPTION_OPERATORS:
        unknown = [value for value in _as_tuple(checked) if value not in item.option_values]
        if unknown:
            problems.add(operand_path, f"item '{item.id}' has no option with value {unknown[0]!r}")
            return None
    return ItemCondition(item.id, operator, checked)


def _referred_item(item_id: object, path: str, context: ConditionContext, problems: Problems) -> Item | None:
    if not isinstance(item_id, str):
        problems.add(path, f"must be an item id, got {item_id!r}")
        return None
    item = context.items.get(item_id)
    if item is None and item_id in context.later_item_ids:
        problems.add(path, f"'{item_id}' is not an earlier item; a condition may only refer to earlier items")
    elif item is None:
        problems.add(path, f"unknown item '{item_id}'")
    elif item.is_calculated:
        problems.add(path, f"item '{item_id}' is a calculate item; compare its value in an expression")
        return None
    elif not item.is_answerable:
        problems.add(path, f"item '{item_id}' is a note and is never answered")
        return None
    return item


def _parse_scale_condition(
    scale_id: object, operator: str, operand: object, path: str, context: ConditionContext, problems: Problems
) -> ScaleCondition | None:
    if context.scale_ids is None:
        problems.add(join(path, "scale"), "scale conditions are only allowed in flags")
        return None
    if not isinstance(scale_id, str) or scale_id not in context.scale_ids:
        problems.add(join(path, "scale"), f"unknown scale {scale_id!r}")
        return None
    if operator not in COMPARISONS:
        problems.add(join(path, operator), f"cannot be used on a scale; use one of: {', '.join(COMPARISONS)}")
        return None
    checked = _checked_operand(operator, operand, join(path, operator), problems)
    return ScaleCondition(scale_id, operator, checked) if checked is not None else None


def _checked_operand(
    operator: str, operand: object, path: str, problems: Problems
) -> int | float | bool | tuple[int | float, ...] | None:
    if operator == "answered" and isinstance(operand, bool):
        return operand
    if operator == "contains" and is_int(operand):
        return operand
    if operator == "in" and isinstance(operand, list) and operand and all(is_number(value) for value in operand):
        return tuple(operand)
    if operator not in ("answered", "contains", "in") and is_number(operand):
        return operand
    expected = {
        "answered": "true or false",
        "contains": "an integer option value",
        "in": "a non-empty list of numbers",
    }.get(operator, "a number")
    problems.add(path, f"must be {expected}, got {operand!r}")
    return None


def _as_tuple(operand: object) -> tuple:
    return operand if isinstance(operand, tuple) else (operand,)
