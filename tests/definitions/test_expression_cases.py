"""The shared expression cases (expression_cases.json, values worked by hand from XPath 1.0 and ODK's rules)
through the Python evaluator; tests/responses/test_expressions_js.py runs the same file through the tablet's."""

import json
import math
from pathlib import Path

import pytest

from surveyapp.definitions.expressions import evaluate_expression, parse_expression

CASES = json.loads((Path(__file__).parent / "expression_cases.json").read_text(encoding="utf-8"))
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def same_value(result: object, expected: object) -> bool:
    """Equal and of the same XPath kind (True is not 1.0); NaN equals NaN here."""
    if isinstance(expected, dict):
        return isinstance(result, float) and repr(result) == repr(NON_FINITE[expected["number"]])
    if isinstance(expected, bool) or isinstance(result, bool):
        return result is expected
    if isinstance(expected, int | float):
        return isinstance(result, float) and result == expected
    return result == expected


@pytest.mark.parametrize("case", CASES, ids=[f"{index}:{case['expression']}" for index, case in enumerate(CASES)])
def test_expression_case(case):
    expression = parse_expression(case["expression"], columns="columns" in case, self_allowed="self" in case)

    result = evaluate_expression(expression, case["answers"], self_value=case.get("self"), columns=case.get("columns"))

    assert same_value(result, case["expected"]), f"got {result!r}"
