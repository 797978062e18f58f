"""Translation between surveyapp conditions (FORMAT.md) and XLSForm `relevant` / `constraint` expressions.

The translation keeps our semantics: a comparison on an unanswered item is false. In XPath an empty answer
compares as NaN, which matches for `=`, `<`, `>`, ... but makes `!=` true, so `not_equals` is exported with an
explicit "answered" guard and an imported `${x} != 1` becomes `{not: {item: x, equals: 1}}`.
"""

import re
from collections.abc import Callable, Mapping

Number = int | float

COMPARISON_KEYS = {"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}
OPERATOR_KEYS = {operator: key for key, operator in COMPARISON_KEYS.items()}

TOKEN = re.compile(
    r"""\s*(?:
        \$\{(?P<ref>[^}]*)\}
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<operator>!=|>=|<=|=|>|<)
      | (?P<punctuation>[(),])
      | (?P<word>[A-Za-z][\w-]*)
    )""",
    re.VERBOSE,
)
RANGE_BOUND = re.compile(r"\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)")
MAX_NESTING = 16
MAX_NUMBER_CHARS = 20  # past 4,300 digits int() refuses a string; no answer needs more than a few


class ExpressionError(ValueError):
    """An expression outside the subset surveyapp translates."""


# ---- export -------------------------------------------------------------------------------------------------


def format_number(value: Number) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def condition_to_expression(condition: dict) -> str:
    return _expression(condition, nested=False)


def _expression(condition: dict, nested: bool) -> str:
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
        return f"{ref} = {format_number(condition['equals'])}"
    if "not_equals" in condition:
        guarded = f"{ref} != {format_number(condition['not_equals'])} and {ref} != ''"
        return f"({guarded})" if nested else guarded
    if "in" in condition:
        return _join([{"item": item, "equals": value} for value in condition["in"]], "or", nested)
    if "contains" in condition:
        return f"selected({ref}, '{format_number(condition['contains'])}')"
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


# ---- import -------------------------------------------------------------------------------------------------


def parse_constraint(text: str) -> dict[str, Number]:
    """`. >= 0 and . <= 10` (either order, either bound alone) -> {"min": 0, "max": 10}."""
    bounds: dict[str, Number] = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        match = RANGE_BOUND.fullmatch(part)
        key = {">=": "min", "<=": "max"}[match.group(1)] if match else None
        if key is None or key in bounds:
            raise ExpressionError("only a range like '. >= 0 and . <= 10' is supported")
        bounds[key] = parse_number(match.group(2))
    return bounds


def parse_number(text: str) -> Number:
    if len(text) > MAX_NUMBER_CHARS:
        raise ExpressionError(f"a number of more than {MAX_NUMBER_CHARS} characters")
    return float(text) if "." in text else int(text)


def parse_relevant(text: str, item_types: Mapping[str, str]) -> dict:
    """Parse a `relevant` expression; `item_types` maps the earlier questions' names to our item types."""
    return _RelevantParser(_tokenize(text), item_types).parse()


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position, text = [], 0, text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected text {text[position:].strip()!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _RelevantParser:
    """Recursive descent over: or / and / not(...) / (...) / ${x} op literal / selected() / string-length()."""

    def __init__(self, tokens: list[tuple[str, str]], item_types: Mapping[str, str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0
        self.item_types = item_types

    def parse(self) -> dict:
        condition = self._disjunction()
        if self.position < len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.position][1]!r}")
        return condition

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, kind: str, value: str | None = None) -> str:
        token = self._peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = repr(token[1]) if token else "the end"
            raise ExpressionError(f"expected {value or kind} but found {found}")
        self.position += 1
        return token[1]

    def _disjunction(self) -> dict:
        return self._connected("or", "any", self._conjunction)

    def _conjunction(self) -> dict:
        return self._connected("and", "all", self._unary)

    def _connected(self, word: str, key: str, operand: Callable[[], dict]) -> dict:
        parts = [operand()]
        while self._peek() == ("word", word):
            self.position += 1
            parts.append(operand())
        return parts[0] if len(parts) == 1 else {key: parts}

    def _unary(self) -> dict:
        token = self._peek()
        if token == ("punctuation", "("):
            self.position += 1
            return self._parenthesised()
        if token == ("word", "not"):
            self.position += 1
            self._take("punctuation", "(")
            return {"not": self._parenthesised()}
        if token == ("word", "selected"):
            return self._selected()
        if token == ("word", "string-length"):
            return self._string_length()
        if token is not None and token[0] == "ref":
            return self._comparison()
        found = repr(token[1]) if token else "the end"
        raise ExpressionError(f"unsupported {found}")

    def _parenthesised(self) -> dict:
        """What follows an opening parenthesis, up to its closing one; nested no deeper than MAX_NESTING, as the
        condition it makes is walked recursively (a few hundred levels exhaust Python's stack)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"parentheses nested more than {MAX_NESTING} deep")
        condition = self._disjunction()
        self._take("punctuation", ")")
        self.depth -= 1
        return condition

    def _item(self) -> tuple[str, str]:
        name = self._take("ref")
        if name not in self.item_types:
            raise ExpressionError(f"${{{name}}} is not an earlier question of this form")
        return name, self.item_types[name]

    def _selected(self) -> dict:
        self.position += 1
        self._take("punctuation", "(")
        name, item_type = self._item()
        self._take("punctuation", ",")
        value = self._literal()
        self._take("punctuation", ")")
        if not isinstance(value, int):
            raise ExpressionError("selected() needs a whole-number choice name")
        if item_type == "multi":
            return {"item": name, "contains": value}
        if item_type == "choice":
            return {"item": name, "equals": value}
        raise ExpressionError(f"selected() on ${{{name}}}, which is not a select question")

    def _string_length(self) -> dict:
        self.position += 1
        self._take("punctuation", "(")
        name, _ = self._item()
        self._take("punctuation", ")")
        operator, value = self._take("operator"), self._literal()
        if value == 0 and operator in (">", "!="):
            return {"item": name, "answered": True}
        if value == 0 and operator == "=":
            return {"item": name, "answered": False}
        raise ExpressionError("string-length() is supported only as '> 0' or '= 0'")

    def _comparison(self) -> dict:
        name, item_type = self._item()
        operator, value = self._take("operator"), self._literal()
        if value == "":
            if operator not in ("=", "!="):
                raise ExpressionError(f"'{operator} \"\"' is not supported")
            return {"item": name, "answered": operator == "!="}
        if item_type == "multi":
            raise ExpressionError(f"${{{name}}} is a select_multiple: use selected(${{{name}}}, '1')")
        if operator == "=":
            return {"item": name, "equals": value}
        if operator == "!=":
            return {"not": {"item": name, "equals": value}}
        return {"item": name, OPERATOR_KEYS[operator]: value}

    def _literal(self) -> Number | str:
        """A number, a quoted number (select answers are strings in XLSForm) or the empty string ''."""
        token = self._peek()
        if token is not None and token[0] == "number":
            self.position += 1
            return parse_number(token[1])
        if token is not None and token[0] == "string":
            self.position += 1
            text = token[1][1:-1].strip()
            if text == "" or re.fullmatch(r"-?\d+(?:\.\d+)?", text):
                return text if text == "" else parse_number(text)
            raise ExpressionError(f"comparison with {token[1]}: surveyapp compares answers with numbers only")
        found = repr(token[1]) if token else "the end"
        raise ExpressionError(f"expected a number but found {found}")
