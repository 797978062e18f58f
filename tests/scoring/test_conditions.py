import pytest

from surveyapp.definitions.documents import AllOf, AnyOf, ItemCondition, Not, ScaleCondition, parse_definition
from surveyapp.scoring.conditions import evaluate, is_relevant
from tests.definition_builders import choice, definition

ANSWERS = {"q1": 2, "age": 7.5, "topics": [1, 3]}


@pytest.mark.parametrize(
    "operator, operand, expected",
    [
        ("equals", 2, True),
        ("equals", 3, False),
        ("not_equals", 3, True),
        ("not_equals", 2, False),
        ("in", (1, 2), True),
        ("in", (3, 4), False),
        ("gte", 2, True),
        ("gte", 3, False),
        ("lte", 2, True),
        ("lte", 1, False),
        ("gt", 1, True),
        ("gt", 2, False),
        ("lt", 3, True),
        ("lt", 2, False),
    ],
)
def test_comparison_on_an_answered_item(operator, operand, expected):
    assert evaluate(ItemCondition("q1", operator, operand), ANSWERS) is expected


@pytest.mark.parametrize("operator, operand", [("equals", 2), ("not_equals", 2), ("in", (2,)), ("lt", 9), ("gte", 0)])
def test_comparison_on_an_unanswered_item_is_false_even_not_equals(operator, operand):
    assert evaluate(ItemCondition("q9", operator, operand), ANSWERS) is False


def test_decimal_answers_compare_as_numbers():
    assert evaluate(ItemCondition("age", "gt", 7), ANSWERS) is True
    assert evaluate(ItemCondition("age", "lte", 7), ANSWERS) is False


def test_answered_checks_presence():
    assert evaluate(ItemCondition("q1", "answered", True), ANSWERS) is True
    assert evaluate(ItemCondition("q9", "answered", True), ANSWERS) is False
    assert evaluate(ItemCondition("q9", "answered", False), ANSWERS) is True


def test_contains_checks_a_multi_selection():
    assert evaluate(ItemCondition("topics", "contains", 3), ANSWERS) is True
    assert evaluate(ItemCondition("topics", "contains", 2), ANSWERS) is False
    assert evaluate(ItemCondition("q9", "contains", 1), ANSWERS) is False


def test_answers_of_the_wrong_kind_never_match():
    # raw form input may hold strings or bools before validation; `true == 1` must not match
    assert evaluate(ItemCondition("q1", "equals", 1), {"q1": True}) is False
    assert evaluate(ItemCondition("q1", "not_equals", 1), {"q1": "abc"}) is False
    assert evaluate(ItemCondition("q1", "gte", 1), {"q1": "abc"}) is False
    assert evaluate(ItemCondition("topics", "contains", 1), {"topics": [True]}) is False


def test_all_any_and_not_combine_conditions():
    q1_is_2 = ItemCondition("q1", "equals", 2)
    q1_is_3 = ItemCondition("q1", "equals", 3)

    assert evaluate(AllOf((q1_is_2, ItemCondition("topics", "contains", 1))), ANSWERS) is True
    assert evaluate(AllOf((q1_is_2, q1_is_3)), ANSWERS) is False
    assert evaluate(AnyOf((q1_is_3, q1_is_2)), ANSWERS) is True
    assert evaluate(AnyOf((q1_is_3, ItemCondition("q9", "equals", 1))), ANSWERS) is False
    assert evaluate(Not(q1_is_3), ANSWERS) is True
    assert evaluate(Not(AnyOf((q1_is_2, q1_is_3))), ANSWERS) is False


def test_scale_condition_compares_the_scale_score():
    assert evaluate(ScaleCondition("who5", "lte", 28), {}, {"who5": 28.0}) is True
    assert evaluate(ScaleCondition("who5", "lte", 28), {}, {"who5": 32.0}) is False


def test_scale_condition_is_false_when_the_scale_has_no_score():
    assert evaluate(ScaleCondition("who5", "lte", 28), {}, {"who5": None}) is False
    assert evaluate(ScaleCondition("who5", "not_equals", 28), {}, {}) is False


def test_item_is_relevant_only_when_its_condition_holds():
    parsed = parse_definition(definition([choice("q1"), choice("q2", relevant={"item": "q1", "gte": 2})]))

    assert is_relevant(parsed, parsed.item("q1"), {}) is True
    assert is_relevant(parsed, parsed.item("q2"), {"q1": 2}) is True
    assert is_relevant(parsed, parsed.item("q2"), {"q1": 1}) is False
    assert is_relevant(parsed, parsed.item("q2"), {}) is False
