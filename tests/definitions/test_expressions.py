"""Parsing XLSForm expressions into the tree the tablet evaluates (trees written by hand from XPath 1.0's
grammar), and the problems a definition author sees."""

from datetime import date

import pytest

from surveyapp.definitions.expressions import ExpressionError, evaluate_expression, parse_expression


def tree(source: str, **options: bool) -> dict:
    return parse_expression(source, **options).json()


def test_literals_references_and_self():
    assert tree("3") == {"num": 3}
    assert tree("2.5") == {"num": 2.5}
    assert tree("'yes'") == {"str": "yes"}
    assert tree('"it\'s"') == {"str": "it's"}
    assert tree("${age}") == {"ref": "age"}
    assert tree(".", self_allowed=True) == {"self": True}
    assert tree("county", columns=True) == {"col": "county"}


def test_precedence_follows_xpath():
    # or < and < equality < relational < additive < multiplicative < unary minus
    assert tree("${a} or ${b} and ${c} = 1 + 2 * -3", columns=True) == {
        "op": "or",
        "args": [
            {"ref": "a"},
            {
                "op": "and",
                "args": [
                    {"ref": "b"},
                    {
                        "op": "=",
                        "args": [
                            {"ref": "c"},
                            {
                                "op": "+",
                                "args": [
                                    {"num": 1},
                                    {"op": "*", "args": [{"num": 2}, {"op": "neg", "args": [{"num": 3}]}]},
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
    }


def test_operators_of_one_level_associate_to_the_left():
    assert tree("8 div 4 mod 3") == {"op": "mod", "args": [{"op": "div", "args": [{"num": 8}, {"num": 4}]}, {"num": 3}]}
    assert tree("1 < 2 <= 3") == {"op": "<=", "args": [{"op": "<", "args": [{"num": 1}, {"num": 2}]}, {"num": 3}]}


def test_functions_with_hyphenated_names_and_any_number_of_arguments():
    assert tree("count-selected(${m}) >= 2") == {
        "op": ">=",
        "args": [{"fn": "count-selected", "args": [{"ref": "m"}]}, {"num": 2}],
    }
    assert tree("concat('a', 'b', 'c')") == {"fn": "concat", "args": [{"str": "a"}, {"str": "b"}, {"str": "c"}]}
    assert tree("today()") == {"fn": "today", "args": []}


def test_references_and_columns_are_listed():
    expression = parse_expression("region = ${region} and selected(${tags}, name)", columns=True)
    assert expression.references == {"region", "tags"}
    assert expression.columns == {"region", "name"}
    assert expression.source == "region = ${region} and selected(${tags}, name)"


@pytest.mark.parametrize(
    ("source", "options", "message"),
    [
        ("pulldata('fruits', 'name', 'key', ${x})", {}, "function 'pulldata' is not supported"),
        ("if(${a} = 1, 'x')", {}, "function 'if' takes 3 argument(s), got 2"),
        ("round(1, 2, 3)", {}, "function 'round' takes 1 to 2 argument(s), got 3"),
        ("concat()", {}, "function 'concat' takes at least 1 argument(s), got 0"),
        ("${a} = ", {}, "ends too early"),
        ("(1 + 2", {}, "ends too early: ')' expected"),
        ("1 + 2)", {}, "unexpected ')' at character 6"),
        ("${a} 3", {}, "unexpected '3' at character 6"),
        ("'open", {}, 'unexpected "\'" at character 1'),
        ("${} = 1", {}, "'${}' at character 1 does not name an item"),
        ("/data/age > 3", {}, "'/' at character 1: XPath paths are not supported; refer to an answer as ${name}"),
        ("age > 3", {}, "bare name 'age' at character 1: refer to an answer as ${age}"),
        (". > 3", {}, "'.' at character 1: the item's own answer can only be used in a constraint"),
        ("regex(., '[0-9')", {"self_allowed": True}, "regex pattern '[0-9' is not valid"),
        ("", {}, "must be a non-empty expression"),
        ("(" * 41 + "1" + ")" * 41, {}, "nests more than 40 parentheses"),
        (" + ".join(["1"] * 201), {}, "is nested more than 200 levels deep"),
        ("-" * 5000 + "1", {}, "is nested more than 200 levels deep"),
    ],
)
def test_bad_expressions_are_refused_with_the_reason(source, options, message):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(source, **options)
    assert message in str(raised.value)


def test_today_is_the_given_day_as_an_iso_date():
    expression = parse_expression("today()")
    assert evaluate_expression(expression, {}, today=date(2026, 12, 3)) == "2026-12-03"


def test_a_date_answer_compares_with_today_as_days():
    constraint = parse_expression(". <= today()", self_allowed=True)
    assert evaluate_expression(constraint, {}, self_value="2026-12-03", today=date(2026, 12, 3)) is True
    assert evaluate_expression(constraint, {}, self_value="2026-12-04", today=date(2026, 12, 3)) is False


def test_an_integer_too_large_for_a_double_is_infinite_not_an_error():
    expression = parse_expression("${n} > 1")
    assert evaluate_expression(expression, {"n": 10**400}) is True
