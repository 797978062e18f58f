"""XLSForm expressions (the XPath 1.0 subset ODK Collect and Enketo evaluate; FORMAT.md, "Expressions").

An expression is parsed once, when its definition is parsed, into a tree of nodes; `Expression.json()` is the
form the tablet evaluates (static/kiosk/expressions.js), `evaluate_expression` the server's evaluation. Both
follow the same rules, pinned by tests/definitions/expression_cases.json.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

Value = bool | float | str
"""What an expression evaluates to: XPath's boolean, number and string."""

MAX_DEPTH = 200
"""Deepest tree accepted: evaluation recurses once per level."""
MAX_PARENTHESES = 40
"""Deepest nesting of parentheses and calls accepted: parsing recurses about ten times per level."""
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_.-]*"
EPOCH = date(1970, 1, 1)
TEXT_REFERENCE = re.compile(r"\$\{([^}]*)\}")
"""`${id}` in a text: replaced by the item's value when shown."""
T = TypeVar("T")


class ExpressionError(ValueError):
    """An expression that cannot be parsed; the message says why (and where)."""


# -- tree


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Ref:
    item: str
    """`${item}`: an answer or a calculated value."""


@dataclass(frozen=True)
class Self:
    """`.`: the answer being constrained."""


@dataclass(frozen=True)
class Col:
    name: str
    """A bare name in a choice_filter: the option's filter column (`name` is the option's value)."""


@dataclass(frozen=True)
class Op:
    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Fn:
    name: str
    args: tuple[Node, ...]


Node = Num | Str | Ref | Self | Col | Op | Fn


@dataclass(frozen=True)
class Expression:
    source: str
    """As written (XLSForm syntax); exported back unchanged."""
    tree: Node

    def json(self) -> dict[str, object]:
        """The tree as the tablet reads it (FORMAT.md, "Expressions")."""
        return tree_json(self.tree)

    @cached_property
    def references(self) -> frozenset[str]:
        """The item ids written as `${id}`."""
        return frozenset(node.item for node in _nodes(self.tree) if isinstance(node, Ref))

    @cached_property
    def columns(self) -> frozenset[str]:
        """The bare names (filter columns, or `name`)."""
        return frozenset(node.name for node in _nodes(self.tree) if isinstance(node, Col))


def tree_json(node: Node) -> dict[str, object]:
    match node:
        case Num(value):
            return {"num": int(value) if value.is_integer() else value}
        case Str(value):
            return {"str": value}
        case Ref(item):
            return {"ref": item}
        case Self():
            return {"self": True}
        case Col(name):
            return {"col": name}
        case Op(op, args):
            return {"op": op, "args": [tree_json(arg) for arg in args]}
        case Fn(name, args):
            return {"fn": name, "args": [tree_json(arg) for arg in args]}
    raise TypeError(f"not an expression node: {node!r}")


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Op | Fn):
        for arg in node.args:
            yield from _nodes(arg)


def _depth(tree: Node) -> int:
    """Counted without recursion: the tree may be too deep for it (that is what is being checked)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Op | Fn):
            stack.extend((arg, depth + 1) for arg in node.args)
    return deepest


# -- parsing

FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "string-length": (1, 1),
    "concat": (1, None),
    "if": (3, 3),
    "coalesce": (2, 2),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "number": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "string": (1, 1),
    "regex": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "today": (0, 0),
    "boolean-from-string": (1, 1),
}
"""Supported functions: (least, most) arguments; None = any number."""

_TOKEN = re.compile(
    rf"""\s*(?:
      (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<ref>\$\{{[^}}]*\}})
    | (?P<symbol>!=|<=|>=|[=<>+\-*(),])
    | (?P<name>{NAME_PATTERN})
    | (?P<dot>\.(?!\.))
    | (?P<other>\S)
    )""",
    re.VERBOSE,
)
_LEVELS: tuple[tuple[str, ...], ...] = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"))
_MULTIPLICATIVE = ("*", "div", "mod")
_OPERATOR_NAMES = ("or", "and", "div", "mod")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def parse_expression(source: str, *, columns: bool = False, self_allowed: bool = False) -> Expression:
    """Parse `source`; raises ExpressionError. `columns`: bare names are option columns (a choice_filter);
    `self_allowed`: `.` is the item's own answer (a constraint)."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("must be a non-empty expression")
    tree = _Parser(_tokens(source), columns, self_allowed).parse()
    if _depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"is nested more than {MAX_DEPTH} levels deep")
    return Expression(source, tree)


def _tokens(source: str) -> list[_Token]:
    """Every token, in order (the pattern's last branch takes any other character, so none is skipped)."""
    return [
        _Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup) + 1)
        for match in _TOKEN.finditer(source)
        if match.lastgroup is not None
    ]


class _Parser:
    """Recursive descent over XPath's precedence levels (loosest first: or, and, equality, relational,
    additive, multiplicative, unary minus)."""

    def __init__(self, tokens: list[_Token], columns: bool, self_allowed: bool) -> None:
        self.tokens = tokens
        self.index = 0
        self.columns = columns
        self.self_allowed = self_allowed
        self.nesting = 0

    def parse(self) -> Node:
        tree = self.binary(0)
        if self.index < len(self.tokens):
            self.fail(self.tokens[self.index], "unexpected")
        return tree

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def next_is(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text == text and token.kind == "symbol"

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("ends too early")
        self.index += 1
        return token

    def fail(self, token: _Token, what: str) -> None:
        raise ExpressionError(f"{what} {token.text!r} at character {token.position}")

    def operator_ahead(self, operators: tuple[str, ...]) -> str | None:
        token = self.peek()
        if token is None or token.text not in operators:
            return None
        if token.kind == "name" and token.text not in _OPERATOR_NAMES:
            return None
        self.index += 1
        return token.text

    def binary(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.multiplicative()
        left = self.binary(level + 1)
        while (operator := self.operator_ahead(_LEVELS[level])) is not None:
            left = Op(operator, (left, self.binary(level + 1)))
        return left

    def multiplicative(self) -> Node:
        left = self.unary()
        while (operator := self.operator_ahead(_MULTIPLICATIVE)) is not None:
            left = Op(operator, (left, self.unary()))
        return left

    def unary(self) -> Node:
        minuses = 0
        while self.operator_ahead(("-",)):
            minuses += 1
        node = self.primary()
        for _ in range(minuses):
            node = Op("neg", (node,))
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Num(float(token.text))
        if token.kind == "string":
            return Str(token.text[1:-1])
        if token.kind == "ref":
            return self.reference(token)
        if token.kind == "dot":
            return self.self_node(token)
        if token.text == "(":
            return self.nested(lambda: self.binary(0))
        if token.kind == "name" and self.next_is("("):
            return self.function(token)
        if token.kind == "name":
            return self.column(token)
        if token.kind == "other" and token.text in "/@[]|$":
            raise ExpressionError(
                f"{token.text!r} at character {token.position}: XPath paths are not supported; "
                "refer to an answer as ${name}"
            )
        self.fail(token, "unexpected")
        raise AssertionError  # fail always raises

    def nested(self, parse: Callable[[], T]) -> T:
        self.nesting += 1
        if self.nesting > MAX_PARENTHESES:
            raise ExpressionError(f"nests more than {MAX_PARENTHESES} parentheses")
        node = parse()
        self.expect(")")
        self.nesting -= 1
        return node

    def expect(self, text: str) -> None:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"ends too early: {text!r} expected")
        if token.text != text:
            self.fail(token, f"{text!r} expected, got")
        self.index += 1

    def reference(self, token: _Token) -> Ref:
        name = token.text[2:-1].strip()
        if not re.fullmatch(NAME_PATTERN, name):
            raise ExpressionError(f"{token.text!r} at character {token.position} does not name an item")
        return Ref(name)

    def self_node(self, token: _Token) -> Self:
        if not self.self_allowed:
            raise ExpressionError(
                f"'.' at character {token.position}: the item's own answer can only be used in a constraint"
            )
        return Self()

    def column(self, token: _Token) -> Col:
        if not self.columns:
            raise ExpressionError(
                f"bare name {token.text!r} at character {token.position}: refer to an answer as ${{{token.text}}}"
                " (bare names are the options' columns, only in a choice_filter)"
            )
        return Col(token.text)

    def function(self, token: _Token) -> Fn:
        name = token.text
        if name not in FUNCTION_ARITY:
            raise ExpressionError(f"function {name!r} is not supported")
        self.take()  # "("
        args = self.nested(self.arguments)
        least, most = FUNCTION_ARITY[name]
        if len(args) < least or (most is not None and len(args) > most):
            expected = str(least) if least == most else f"at least {least}" if most is None else f"{least} to {most}"
            raise ExpressionError(f"function {name!r} takes {expected} argument(s), got {len(args)}")
        if name == "regex" and isinstance(args[1], Str):
            _check_pattern(args[1].value)
        return Fn(name, args)

    def arguments(self) -> tuple[Node, ...]:
        if self.next_is(")"):
            return ()
        args = [self.binary(0)]
        while self.operator_ahead((",",)):
            args.append(self.binary(0))
        return tuple(args)


def _check_pattern(pattern: str) -> None:
    try:
        re.compile(pattern, re.ASCII)
    except re.error as error:
        raise ExpressionError(f"regex pattern {pattern!r} is not valid: {error}") from error


# -- values


def xpath_value(answer: object) -> Value:
    """An answer or calculated value as an expression sees it: unanswered (None) is "", a number a number,
    a multi answer its values joined by one space, a date its "YYYY-MM-DD" string."""
    if answer is None:
        return ""
    if isinstance(answer, bool | str):
        return answer
    if isinstance(answer, float):
        return answer
    if isinstance(answer, int):
        return _int_as_number(answer)
    if isinstance(answer, list | tuple):
        return " ".join(to_string(xpath_value(element)) for element in answer)
    return str(answer)


def _int_as_number(number: int) -> float:
    """A JSON integer as a double; one too large for a double is infinite, as JavaScript reads it."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


_NUMBER = re.compile(r"\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*")
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def to_number(value: Value) -> float:
    """XPath number(); a real calendar date "YYYY-MM-DD" is its days since 1970-01-01, as ODK compares dates."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if number := _NUMBER.fullmatch(value):
        return float(number.group(1))
    if day := _DATE.fullmatch(value):
        try:
            return float((date(*map(int, day.groups())) - EPOCH).days)
        except ValueError:
            return math.nan
    return math.nan


def to_string(value: Value) -> str:
    """XPath string(): whole numbers without ".0", never an exponent."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def to_boolean(value: Value) -> bool:
    """XPath boolean(): a number is true when neither 0 nor NaN, a string when not empty."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


# -- evaluation


@dataclass(frozen=True)
class _Scope:
    values: Mapping[str, object]
    self_value: object
    columns: Mapping[str, object]
    today: date | None


def evaluate_expression(
    expression: Expression,
    values: Mapping[str, object],
    *,
    self_value: object = None,
    columns: Mapping[str, object] | None = None,
    today: date | None = None,
) -> Value:
    """The expression's value. `values`: item id -> answer or calculated value (absent = unanswered);
    `self_value`: the answer `.` stands for; `columns`: an option's filter columns and `name`."""
    return _evaluate(expression.tree, _Scope(values, self_value, columns or {}, today))


def _evaluate(node: Node, scope: _Scope) -> Value:
    match node:
        case Num(value) | Str(value):
            return value
        case Ref(item):
            return xpath_value(scope.values.get(item))
        case Self():
            return xpath_value(scope.self_value)
        case Col(name):
            return xpath_value(scope.columns.get(name))
        case Op("or", (left, right)):
            return to_boolean(_evaluate(left, scope)) or to_boolean(_evaluate(right, scope))
        case Op("and", (left, right)):
            return to_boolean(_evaluate(left, scope)) and to_boolean(_evaluate(right, scope))
        case Op("neg", (operand,)):
            return -to_number(_evaluate(operand, scope))
        case Op(op, (left, right)):
            return _OPERATORS[op](_evaluate(left, scope), _evaluate(right, scope))
        case Fn("if", (condition, then, otherwise)):
            return _evaluate(then if to_boolean(_evaluate(condition, scope)) else otherwise, scope)
        case Fn("today", ()):
            return (scope.today or date.today()).isoformat()
        case Fn(name, args):
            return _FUNCTIONS[name](*(_evaluate(arg, scope) for arg in args))
    raise TypeError(f"not an expression node: {node!r}")


def _equal(left: Value, right: Value) -> bool:
    """XPath `=`: booleans if either side is one, else numbers if either is one, else strings."""
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


def _divide(left: float, right: float) -> float:
    if right != 0:
        return left / right
    if left == 0 or math.isnan(left):
        return math.nan
    return math.copysign(math.inf, left) * math.copysign(1.0, right)


def _modulo(left: float, right: float) -> float:
    """XPath mod: the remainder of truncating division (the sign of the dividend), as JavaScript's %."""
    if right == 0 or math.isnan(right) or not math.isfinite(left):
        return math.nan
    return math.fmod(left, right)


def _numeric(operation: Callable[[float, float], float | bool]) -> Callable[[Value, Value], Value]:
    return lambda left, right: operation(to_number(left), to_number(right))


_OPERATORS: dict[str, Callable[[Value, Value], Value]] = {
    "=": _equal,
    "!=": lambda left, right: not _equal(left, right),
    "<": _numeric(lambda left, right: left < right),
    "<=": _numeric(lambda left, right: left <= right),
    ">": _numeric(lambda left, right: left > right),
    ">=": _numeric(lambda left, right: left >= right),
    "+": _numeric(lambda left, right: left + right),
    "-": _numeric(lambda left, right: left - right),
    "*": _numeric(lambda left, right: left * right),
    "div": _numeric(_divide),
    "mod": _numeric(_modulo),
}


def _selected_at(selection: Value, index: Value) -> str:
    values = to_string(selection).split()
    position = to_number(index)
    if not math.isfinite(position) or not 0 <= int(position) < len(values):
        return ""
    return values[int(position)]


def _truncated(value: Value) -> float:
    number = to_number(value)
    return float(math.trunc(number)) if math.isfinite(number) else number


def _round(value: Value, digits: Value = 0.0) -> float:
    """XPath round (the nearest whole number, halves upwards), to `digits` decimals as ODK's round(x, n)."""
    number, places = to_number(value), to_number(digits)
    if not math.isfinite(number) or not math.isfinite(places) or abs(places) > 300:
        return number if math.isfinite(places) else math.nan
    scale = 10.0 ** math.trunc(places)
    return math.floor(number * scale + 0.5) / scale


def _regex(value: Value, pattern: Value) -> bool:
    """ASCII classes (`\\d` is 0-9), as in the tablet's JavaScript."""
    try:
        return re.search(to_string(pattern), to_string(value), re.ASCII) is not None
    except re.error:
        return False


def _substring(value: Value, start: Value, end: Value | None = None) -> str:
    """ODK substr: 0-based `start`, `end` excluded (the string's end when left out)."""
    text = to_string(value)
    first = _position(to_number(start), len(text))
    last = len(text) if end is None else _position(to_number(end), len(text))
    return text[first:last]


def _position(number: float, length: int) -> int:
    if math.isnan(number):
        return 0
    return max(0, min(length, int(number) if math.isfinite(number) else (length if number > 0 else 0)))


def _coalesce(first: Value, second: Value) -> Value:
    return first if to_string(first) != "" else second


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "selected": lambda selection, value: to_string(value).strip() in to_string(selection).split(),
    "count-selected": lambda selection: float(len(to_string(selection).split())),
    "selected-at": _selected_at,
    "string-length": lambda value: float(len(to_string(value))),
    "concat": lambda *values: "".join(to_string(value) for value in values),
    "coalesce": _coalesce,
    "not": lambda value: not to_boolean(value),
    "true": lambda: True,
    "false": lambda: False,
    "number": to_number,
    "int": _truncated,
    "round": _round,
    "string": to_string,
    "regex": _regex,
    "contains": lambda value, part: to_string(part) in to_string(value),
    "starts-with": lambda value, part: to_string(value).startswith(to_string(part)),
    "ends-with": lambda value, part: to_string(value).endswith(to_string(part)),
    "substr": _substring,
    "boolean-from-string": lambda value: to_string(value) in ("true", "1"),
}
