"""The tablet's expression evaluator (static/kiosk/expressions.js) under node: the shared cases of
tests/definitions/expression_cases.json give the same values as on the server (one table, two engines), so the
tablet asks, filters and checks exactly as the server validates."""

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from surveyapp.definitions.expressions import evaluate_expression, parse_expression

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXPRESSIONS_JS = PROJECT_ROOT / "surveyapp" / "static" / "kiosk" / "expressions.js"
CASES = json.loads((PROJECT_ROOT / "tests" / "definitions" / "expression_cases.json").read_text(encoding="utf-8"))
EDGE_CASES: list[dict] = [
    # Positions are whole and clamped to the text, never counted from its end: start -2 -> 0, end 2 -> "he".
    {"expression": "substr('hello', -2, 2)", "answers": {}, "expected": "he"},
    {"expression": "substr('hello', 1.9, 3.5)", "answers": {}, "expected": "el"},  # positions 1 and 3
    {"expression": "selected-at('a b c', 1.7)", "answers": {}, "expected": "b"},  # index 1
    {"expression": "selected-at('a b c', -1)", "answers": {}, "expected": ""},
    # round(2.567, 1.9): whole places, 1 -> floor(25.67 + 0.5) / 10 = 2.6.
    {"expression": "round(2.567, 1.9)", "answers": {}, "expected": 2.6},
    # A pattern made at run time that cannot be compiled matches nothing (a literal one is a definition problem).
    {"expression": "regex('a', concat('(', ''))", "answers": {}, "expected": False},
    {"expression": "number(' 2012-01-01 ')", "answers": {}, "expected": 15340},  # as number('2012-01-01')
    {"expression": "number('0000-01-01')", "answers": {}, "expected": {"number": "NaN"}},  # there is no year 0
]
NODE_SECONDS = 60
# Runs `calls` [{function, args}] of expressions.js; a number JSON cannot hold is written {"number": "NaN"}.
RUNNER = """
const expressions = require(process.argv[1]);
const calls = JSON.parse(require("fs").readFileSync(0, "utf8"));
const encode = (value) => typeof value === "number" && !Number.isFinite(value) ? { number: String(value) } : value;
const results = calls.map((call) => encode(expressions[call.function](...call.args)));
process.stdout.write(JSON.stringify(results));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_in_node(calls: list[dict]) -> list:
    """The results of expressions.js's functions, all calls in one node process."""
    result = subprocess.run(
        ["node", "-e", RUNNER, str(EXPRESSIONS_JS)],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=NODE_SECONDS,
        check=True,
    )
    return json.loads(result.stdout)


def tree_of(case: dict) -> dict:
    return parse_expression(case["expression"], columns="columns" in case, self_allowed="self" in case).json()


def evaluation(case: dict) -> dict:
    context = {"values": case["answers"], "self": case.get("self"), "columns": case.get("columns", {})}
    return {"function": "evaluate", "args": [tree_of(case), context]}


def same_value(actual: object, expected: object) -> bool:
    """Equal and of the same kind: true is not 1, "3" is not 3, and 3 is 3.0."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and math.isclose(actual, expected, rel_tol=1e-12, abs_tol=0)
    return actual == expected


def python_value(case: dict) -> object:
    """The server's value (definitions/expressions.py), a number JSON cannot hold written as the cases write it."""
    tree = parse_expression(case["expression"], columns="columns" in case, self_allowed="self" in case)
    value = evaluate_expression(tree, case["answers"], self_value=case.get("self"), columns=case.get("columns"))
    if isinstance(value, float) and not math.isfinite(value):
        return {"number": "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"}
    return value


@pytest.fixture(scope="module")
def node_results() -> list:
    return run_in_node([evaluation(case) for case in CASES + EDGE_CASES])


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["expression"] for case in CASES])
def test_the_tablet_evaluates_each_shared_case_as_the_server_does(node_results, index):
    case = CASES[index]
    assert same_value(node_results[index], case["expected"]), (case, node_results[index])


@pytest.mark.parametrize("case", EDGE_CASES, ids=[case["expression"] for case in EDGE_CASES])
def test_both_engines_agree_at_the_edges(node_results, case):
    assert same_value(node_results[len(CASES) + EDGE_CASES.index(case)], case["expected"])
    assert same_value(python_value(case), case["expected"])


def test_calculations_follow_item_order_and_are_kept_as_text():
    # ${total} = 2 + 3 = 5; ${label} uses the earlier calculate: concat('n=', '5') = "n=5"; a boolean
    # calculation is kept as XLSForm text, "true" (ODK stores a calculate's value as a string).
    calculates = [
        {"id": "total", "calculation": parse_expression("${a} + ${b}").json()},
        {"id": "label", "calculation": parse_expression("concat('n=', ${total})").json()},
        {"id": "big", "calculation": parse_expression("${total} > 4").json()},
    ]
    [values] = run_in_node([{"function": "withCalculatedValues", "args": [calculates, {"a": 2, "b": 3}]}])
    assert values == {"a": 2, "b": 3, "total": "5", "label": "n=5", "big": "true"}


def test_a_text_shows_each_named_item_with_its_value():
    values = {"name": "Aida", "pets": ["cat", "dog"], "age": 11, "half": 5.5}
    texts = [
        "Hello ${name}!",  # a text answer as given
        "You chose ${pets}.",  # a multi answer: its values joined by one space
        "${age} years, ${half}",  # numbers as XPath writes them: no ".0" on a whole one
        "Nothing: [${missing}]",  # an unanswered item is empty
        "Spaced: ${ name }",  # the name inside the braces as the server reads it (stripped)
    ]
    results = run_in_node([{"function": "fillText", "args": [text, values]} for text in texts])
    assert results == ["Hello Aida!", "You chose cat dog.", "11 years, 5.5", "Nothing: []", "Spaced: Aida"]
