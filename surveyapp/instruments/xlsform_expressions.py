"""Translation between surveyapp's structured conditions (FORMAT.md) and XLSForm `relevant` / `constraint`
expressions, for the export; the import keeps an author's expression as written (`{expression: ...}`).

The translation keeps our semantics: a comparison on an unanswered item is false. In XPath an empty answer
compares as NaN, which matches for `=`, `<`, `>`, ... but makes `!=` true, so `not_equals` is exported with an
explicit "answered" guard.
"""

import re

Number = int | float

COMPARISON_KEYS = {"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
RANGE_BOUND = re.compile(r"\. (>=|<=) (-?\d{1,15}(?:\.\d{1,15})?)")


def format_number(value: Number) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def format_value(value: Number | str) -> str:
    """A value in an expression: a number as is, a choice name quoted."""
    return f"'{value}'" if isinstance(value, str) else format_number(value)


def condition_to_expression(condition: dict) -> str:
    return _expression(condition, nested=False)


def _expression(condition: dict, nested: bool) -> str:
    if "expression" in condition:
        return f"({condition['expression']})" if nested else condition["expression"]
    if "any" in condition:
        return _join(condition["any"], "or", nested)
    if "all" in condition:
        return _join(condition["all"], "and", nested)
    if "not" in condition:
        return f"not({_expression(condition['not'], nested=False)})"
    if "item" not in condition:
        raise ValueError(f"condition cannot be expressed in XLSForm: {condition}")
    item = condition["item"]
    ref = f"${{{item}}}"
    if "answered" in condition:
        return f"{ref} != ''" if condition["answered"] else f"{ref} = ''"
    if "equals" in condition:
        return f"{ref} = {format_value(condition['equals'])}"
    if "not_equals" in condition:
        guarded = f"{ref} != {format_value(condition['not_equals'])} and {ref} != ''"
        return f"({guarded})" if nested else guarded
    if "in" in condition:
        return _join([{"item": item, "equals": value} for value in condition["in"]], "or", nested)
    if "contains" in condition:
        return f"selected({ref}, '{condition['contains']}')"
    for key, operator in COMPARISON_KEYS.items():
        if key in condition:
            return f"{ref} {operator} {format_number(condition[key])}"
    raise ValueError(f"condition cannot be expressed in XLSForm: {condition}")


def _join(conditions: list[dict], connective: str, nested: bool) -> str:
    joined = f" {connective} ".join(_expression(part, nested=True) for part in conditions)
    return f"({joined})" if nested and len(conditions) > 1 else joined


def range_to_constraint(minimum: Number | None, maximum: Number | None) -> str:
    bounds = [
        f". {operator} {format_number(value)}"
        for operator, value in ((">=", minimum), ("<=", maximum))
        if value is not None
    ]
    return " and ".join(bounds)


def range_from_constraint(text: str) -> dict[str, Number]:
    """`. >= 0 and . <= 10` -> {"min": 0, "max": 10}, for a constraint exactly as range_to_constraint writes it
    (so that the export writes it back unchanged); {} for any other constraint, which stays an expression."""
    bounds: dict[str, Number] = {}
    for part in text.split(" and "):
        match = RANGE_BOUND.fullmatch(part)
        if match is None:
            return {}
        bounds[{">=": "min", "<=": "max"}[match.group(1)]] = parse_number(match.group(2))
    if range_to_constraint(bounds.get("min"), bounds.get("max")) != text:
        return {}
    return bounds


def constraint_text(minimum: Number | None, maximum: Number | None, constraint: str | None) -> str:
    """An item's range and constraint as one XLSForm constraint (`. >= 0 and . <= 10 and (. != 5)`)."""
    parts = [range_to_constraint(minimum, maximum)] if minimum is not None or maximum is not None else []
    parts += [f"({constraint})" if parts else constraint] if constraint is not None else []
    return " and ".join(parts)


def split_constraint(text: str) -> dict[str, Number | str]:
    """The inverse of constraint_text for a number item: min and max when the text is (or starts with) a range
    as range_to_constraint writes it, the rest as `constraint`."""
    if bounds := range_from_constraint(text):
        return dict(bounds)
    head, separator, rest = text.partition(" and (")  # a range as written holds no parenthesis
    bounds = range_from_constraint(head) if separator else {}
    if bounds and one_group(f"({rest}"):
        return {**bounds, "constraint": rest[:-1]}
    return {"constraint": text}


def one_group(text: str) -> bool:
    """Whether `(...)` is one parenthesised expression, its first parenthesis closed by its last character
    (parentheses inside quotes do not count)."""
    unquoted = QUOTED.sub("''", text)
    depth = 0
    for position, character in enumerate(unquoted):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            return position == len(unquoted) - 1
    return False


def parse_number(text: str) -> Number:
    return float(text) if "." in text else int(text)
