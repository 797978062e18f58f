from typing import Any

import pytest

from surveyapp.definitions.documents import InstrumentDefinition, parse_definition
from surveyapp.scoring.engine import AnswerProblem, InvalidAnswersError, ScaleScore, score, validate_answers
from tests.definition_builders import band, choice, definition, flag, item, options, scale


def mixed_definition() -> InstrumentDefinition:
    return parse_definition(
        definition(
            [
                item("intro", "note"),
                choice("q1", required=True),
                choice("q2", relevant={"item": "q1", "gte": 2}, required=True),
                item("topics", "multi", options=options(1, 2, 3)),
                item("age", "integer", min=5, max=18),
                item("weight", "decimal", min=0),
                item("comment", "text"),
            ]
        )
    )


def scale_definition(
    score_range: tuple[float, float] = (0, 12),  # four items 0..3 summed
    item_ids: tuple[str, ...] = ("q1", "q2", "q3", "q4"),
    values: tuple[int, ...] = (0, 1, 2, 3),
    item_extra: dict[str, dict[str, Any]] | None = None,
    **scale_extra: Any,
) -> InstrumentDefinition:
    """Choice items with the given option values, all in one scale `s`."""
    item_extra = item_extra or {}
    items = [choice(item_id, values=values, **item_extra.get(item_id, {})) for item_id in item_ids]
    return parse_definition(definition(items, scales=[scale("s", list(item_ids), list(score_range), **scale_extra)]))


def scale_score(parsed: InstrumentDefinition, answers: dict[str, Any]) -> ScaleScore:
    return score(parsed, answers).scales["s"]


# -- validate_answers


def test_valid_answers_have_no_problems():
    answers = {"q1": 2, "q2": 0, "topics": [3, 1], "age": 18, "weight": 0.5, "comment": "Fine"}
    assert validate_answers(mixed_definition(), answers) == []


def test_integral_float_is_accepted_where_a_whole_number_is_expected():
    # JSON clients may send 7.0; only the value matters
    assert validate_answers(mixed_definition(), {"q1": 1.0, "age": 7.0, "topics": [2.0]}) == []


def test_unknown_item_is_reported():
    assert validate_answers(mixed_definition(), {"q1": 0, "q77": 1}) == [
        AnswerProblem("q77", "unknown_item", "'q77' is not an item of this questionnaire.")
    ]


def test_answering_a_note_is_not_answerable():
    assert validate_answers(mixed_definition(), {"q1": 0, "intro": "ok"}) == [
        AnswerProblem("intro", "not_answerable", "Item 'intro' is a note and cannot be answered.")
    ]


def test_missing_required_item_is_reported():
    assert validate_answers(mixed_definition(), {"age": 9}) == [
        AnswerProblem("q1", "missing_required", "Item 'q1' is required but was not answered.")
    ]


def test_required_item_that_does_not_apply_may_be_left_out():
    # q2 is required but asked only when q1 >= 2
    assert validate_answers(mixed_definition(), {"q1": 1}) == []


def test_required_item_that_applies_must_be_answered():
    assert [problem.code for problem in validate_answers(mixed_definition(), {"q1": 2})] == ["missing_required"]


def test_answer_to_an_item_that_does_not_apply_is_not_relevant():
    assert validate_answers(mixed_definition(), {"q1": 1, "q2": 3}) == [
        AnswerProblem("q2", "not_relevant", "Item 'q2' was answered but does not apply, given the other answers.")
    ]


def test_relevance_ignores_invalid_answers():
    # q1 = true must not count as q1 >= 2 (true == 1 in Python): q2 then does not apply
    problems = validate_answers(mixed_definition(), {"q1": True, "q2": 3})
    assert [(problem.item_id, problem.code) for problem in problems] == [
        ("q1", "invalid_value"),
        ("q2", "not_relevant"),
    ]


def test_answer_that_does_not_apply_cannot_make_a_follow_up_apply():
    # q2 applies only when q1 >= 2, q3 only when q2 = 3; with q1 = 1 the stray q2 = 3 counts as not given
    data = definition(
        [
            choice("q1"),
            choice("q2", relevant={"item": "q1", "gte": 2}),
            choice("q3", relevant={"item": "q2", "equals": 3}),
        ]
    )
    problems = validate_answers(parse_definition(data), {"q1": 1, "q2": 3, "q3": 0})
    assert [(problem.item_id, problem.code) for problem in problems] == [("q2", "not_relevant"), ("q3", "not_relevant")]


def risk_follow_up() -> InstrumentDefinition:
    """q2 (a risk item, kept when it does not apply) is asked when q1 >= 2; q3 when q2 = 3; q4 refuses."""
    return parse_definition(
        definition(
            [
                choice("q1"),
                choice("q2", relevant={"item": "q1", "gte": 2}, if_not_relevant="keep"),
                item("q3", "text", relevant={"item": "q2", "equals": 3}),
                choice("q4", relevant={"item": "q1", "gte": 2}),
            ],
            scales=[scale("s", ["q1", "q2"], [0, 6])],
            flags=[flag("q2_top", "acute", {"item": "q2", "equals": 3})],
        )
    )


def test_an_answer_to_a_risk_item_that_does_not_apply_is_kept():
    # q1 = 1, so q2 does not apply; its answer is valid and makes its own follow-up q3 apply
    assert validate_answers(risk_follow_up(), {"q1": 1, "q2": 3, "q3": "every day"}) == []


def test_a_kept_answer_counts_in_scales_and_flags():
    # s = q1 + q2 = 1 + 3 = 4, both answered; q2 = 3 matches q2_top (acute)
    result = score(risk_follow_up(), {"q1": 1, "q2": 3})
    assert (result.scales["s"].value, result.scales["s"].n_answered) == (4, 2)
    assert (result.flag_level, result.flags) == ("acute", ["q2_top"])


def test_an_item_without_the_setting_still_refuses_an_answer_that_does_not_apply():
    problems = validate_answers(risk_follow_up(), {"q1": 1, "q2": 0, "q4": 2})
    assert [(problem.item_id, problem.code) for problem in problems] == [("q4", "not_relevant")]
    with pytest.raises(InvalidAnswersError):
        score(risk_follow_up(), {"q1": 1, "q4": 2})


@pytest.mark.parametrize(
    "item_id, value, message",
    [
        ("q1", True, "Item 'q1' expects one option value (an integer), got true."),
        ("q1", "2", "Item 'q1' expects one option value (an integer), got \"2\"."),
        ("q1", 2.5, "Item 'q1' expects one option value (an integer), got 2.5."),
        ("q1", None, "Item 'q1' expects one option value (an integer), got null."),
        ("q1", 7, "Item 'q1' has no option 7; the options are 0, 1, 2, 3."),
        ("topics", 1, "Item 'topics' expects a list of option values, got 1."),
        ("topics", [], "Item 'topics' lists no option; leave it out when it is not answered."),
        ("topics", [1, 3, 1], "Item 'topics' lists option 1 more than once."),
        ("topics", [1, True], "Item 'topics' expects a list of option values (integers), got true."),
        ("topics", [4], "Item 'topics' has no option 4; the options are 1, 2, 3."),
        ("age", True, "Item 'age' expects a whole number, got true."),
        ("age", 7.5, "Item 'age' expects a whole number, got 7.5."),
        ("age", "7", "Item 'age' expects a whole number, got \"7\"."),
        ("weight", "1.5", "Item 'weight' expects a number, got \"1.5\"."),
        ("weight", False, "Item 'weight' expects a number, got false."),
        ("weight", float("nan"), "Item 'weight' expects a number, got NaN."),
        ("comment", 5, "Item 'comment' expects text, got 5."),
        ("comment", "  ", "Item 'comment' is empty; leave it out when it is not answered."),
    ],
)
def test_value_of_the_wrong_kind_is_invalid(item_id, value, message):
    assert validate_answers(mixed_definition(), {"q1": 0, item_id: value} if item_id != "q1" else {"q1": value}) == [
        AnswerProblem(item_id, "invalid_value", message)
    ]


@pytest.mark.parametrize(
    "item_id, value, message",
    [
        ("age", 4, "Item 'age' must be between 5 and 18, got 4."),
        ("age", 19, "Item 'age' must be between 5 and 18, got 19."),
        ("weight", -0.5, "Item 'weight' must be at least 0, got -0.5."),
    ],
)
def test_number_outside_min_max_is_out_of_range(item_id, value, message):
    assert validate_answers(mixed_definition(), {"q1": 0, item_id: value}) == [
        AnswerProblem(item_id, "out_of_range", message)
    ]


@pytest.mark.parametrize("age", [5, 18])
def test_min_and_max_themselves_are_in_range(age):
    assert validate_answers(mixed_definition(), {"q1": 0, "age": age}) == []


def test_long_values_are_shortened_in_messages():
    [problem] = validate_answers(mixed_definition(), {"q1": 0, "age": "x" * 500})
    assert problem.message == f"Item 'age' expects a whole number, got \"{'x' * 36}...."


def test_problems_are_listed_in_item_order_with_unknown_items_last():
    answers = {"zzz": 1, "comment": 3, "age": 30, "intro": "x"}
    assert [(p.item_id, p.code) for p in validate_answers(mixed_definition(), answers)] == [
        ("intro", "not_answerable"),
        ("q1", "missing_required"),
        ("age", "out_of_range"),
        ("comment", "invalid_value"),
        ("zzz", "unknown_item"),
    ]


# -- score: sum, reverse keying


def test_sum_of_a_complete_scale():
    # 3 + 2 + 1 + 0 = 6
    assert scale_score(scale_definition(), {"q1": 3, "q2": 2, "q3": 1, "q4": 0}) == ScaleScore(6.0, None, 4, 4, None)


def test_reverse_keyed_item_on_a_0_to_3_scale():
    # q2 reversed: 0 + 3 - answer, so 0 -> 3 and 3 -> 0; q1 = 1 as is: 1 + 3 = 4, then 1 + 0 = 1
    parsed = scale_definition([0, 6], ("q1", "q2"), item_extra={"q2": {"reverse": True}})
    assert scale_score(parsed, {"q1": 1, "q2": 0}).value == 4
    assert scale_score(parsed, {"q1": 1, "q2": 3}).value == 1


def test_reverse_keyed_item_on_a_1_to_5_scale():
    # q2 reversed: 1 + 5 - answer, so 2 -> 4 and 5 -> 1; q1 = 2 as is: 2 + 4 = 6, then 2 + 1 = 3
    parsed = scale_definition([2, 10], ("q1", "q2"), values=(1, 2, 3, 4, 5), item_extra={"q2": {"reverse": True}})
    assert scale_score(parsed, {"q1": 2, "q2": 2}).value == 6
    assert scale_score(parsed, {"q1": 2, "q2": 5}).value == 3


def test_reverse_keying_ignores_options_scored_as_missing():
    # options 1..5 plus 9 "prefer not to say": reversed 2 is 1 + 5 - 2 = 4, not 1 + 9 - 2 = 8
    data = definition(
        [{**choice("q1"), "options": options(1, 2, 3, 4, 5, 9, missing=(9,)), "reverse": True}],
        scales=[scale("s", ["q1"], [1, 5])],
    )
    assert scale_score(parse_definition(data), {"q1": 2}).value == 4


# -- score: missing rules


def prorated(max_missing: int = 1, **extra: Any) -> InstrumentDefinition:
    return scale_definition(missing={"max_missing": max_missing, "rule": "prorate"}, **extra)


def test_one_missing_item_of_four_is_prorated():
    # answers 3, 2, 1: mean 2 x 4 items = 8
    assert scale_score(prorated(), {"q1": 3, "q2": 2, "q3": 1}) == ScaleScore(
        8.0, None, 3, 4, "1 of 4 items missing; prorated from the answered items."
    )


def test_prorated_sum_is_not_rounded():
    # answers 3, 2, 2: 7 / 3 x 4 = 28 / 3 = 9.333...
    assert scale_score(prorated(), {"q1": 3, "q2": 2, "q3": 2}).value == 28 / 3


def test_exactly_max_missing_items_are_tolerated():
    # max_missing 2, answers 3 and 1: mean 2 x 4 = 8
    assert scale_score(prorated(max_missing=2), {"q1": 3, "q3": 1}).value == 8


def test_more_than_max_missing_items_give_no_score():
    assert scale_score(prorated(max_missing=1), {"q1": 3, "q3": 1}) == ScaleScore(
        None, None, 2, 4, "2 of 4 items missing; at most 1 allowed."
    )


def test_refuse_rule_gives_no_score_when_any_item_is_missing():
    parsed = scale_definition(missing={"rule": "refuse"})
    assert scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1}) == ScaleScore(
        None, None, 3, 4, "1 of 4 items missing; this scale is only scored when complete."
    )
    assert scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1, "q4": 3}).value == 9


def test_default_missing_rule_refuses():
    assert scale_score(scale_definition(), {"q1": 3, "q2": 2, "q3": 1}).value is None


def test_zero_rule_counts_missing_items_as_zero():
    # 3 + 2 + 1 + 0 = 6
    parsed = scale_definition(missing={"max_missing": 1, "rule": "zero"})
    assert scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1}) == ScaleScore(
        6.0, None, 3, 4, "1 of 4 items missing; counted as 0."
    )


def test_zero_rule_still_respects_max_missing():
    parsed = scale_definition(missing={"max_missing": 1, "rule": "zero"})
    assert scale_score(parsed, {"q1": 3, "q2": 2}).value is None


def test_mean_of_a_complete_scale():
    # (3 + 2 + 1 + 0) / 4 = 1.5
    assert scale_score(scale_definition([0, 3], method="mean"), {"q1": 3, "q2": 2, "q3": 1, "q4": 0}).value == 1.5


def test_prorated_mean_is_the_mean_of_the_answered_items():
    # (3 + 2 + 1) / 3 = 2
    parsed = scale_definition([0, 3], method="mean", missing={"max_missing": 1, "rule": "prorate"})
    assert scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1}).value == 2


def test_mean_with_zero_rule_divides_by_every_item():
    # (3 + 2 + 1 + 0) / 4 = 1.5
    parsed = scale_definition([0, 3], method="mean", missing={"max_missing": 1, "rule": "zero"})
    assert scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1}).value == 1.5


def test_option_marked_missing_counts_as_a_missing_answer():
    # 9 = "prefer not to say": answers 3, 2, 1 scored, 9 missing -> mean 2 x 4 = 8
    parsed = prorated(item_extra={"q4": {"options": options(0, 1, 2, 3, 9, missing=(9,))}})
    result = scale_score(parsed, {"q1": 3, "q2": 2, "q3": 1, "q4": 9})
    assert (result.value, result.n_answered) == (8, 3)


def test_item_that_does_not_apply_counts_as_missing():
    # q2 is asked only when q1 >= 2; q1 = 1 alone, prorated: 1 x 2 = 2
    data = definition(
        [choice("q1"), choice("q2", relevant={"item": "q1", "gte": 2})],
        scales=[scale("s", ["q1", "q2"], [0, 6], missing={"max_missing": 1, "rule": "prorate"})],
    )
    result = scale_score(parse_definition(data), {"q1": 1})
    assert (result.value, result.n_answered, result.n_items) == (2, 1, 2)


def test_decimal_answers_are_scored_exactly_as_written():
    # (0.1 + 0.2) / 2 = 0.15 exactly, where float arithmetic gives 0.15000000000000002
    data = definition(
        [item("a", "decimal", min=0, max=1), item("b", "decimal", min=0, max=1)],
        scales=[scale("s", ["a", "b"], [0, 1], method="mean")],
    )
    assert scale_score(parse_definition(data), {"a": 0.1, "b": 0.2}).value == 0.15


# -- score: percent_correct


def knowledge_test(rule: str = "refuse", max_missing: int = 0) -> InstrumentDefinition:
    """Four true/false/don't-know items (0 false, 1 true, 9 don't know = missing); the answer key is 1, 0, 1, 1."""
    keys = {"k1": 1, "k2": 0, "k3": 1, "k4": 1}
    items = [
        {**choice(item_id, correct=key), "options": options(0, 1, 9, missing=(9,))} for item_id, key in keys.items()
    ]
    scales = [
        scale("s", list(keys), [0, 100], method="percent_correct", missing={"max_missing": max_missing, "rule": rule})
    ]
    return parse_definition(definition(items, scales=scales))


def test_percent_correct_counts_correct_answers():
    # correct, correct, wrong, correct: 100 x 3 / 4 = 75
    assert scale_score(knowledge_test(), {"k1": 1, "k2": 0, "k3": 0, "k4": 1}).value == 75


def test_percent_correct_zero_rule_counts_missing_as_incorrect():
    # correct, correct, wrong, missing: 100 x 2 / 4 = 50
    result = scale_score(knowledge_test("zero", 1), {"k1": 1, "k2": 0, "k3": 0})
    assert (result.value, result.note) == (50, "1 of 4 items missing; counted as incorrect.")


def test_percent_correct_prorated_is_over_the_answered_items():
    # correct, correct, wrong, "don't know": 100 x 2 / 3 = 66.67
    assert scale_score(knowledge_test("prorate", 1), {"k1": 1, "k2": 0, "k3": 0, "k4": 9}).value == 200 / 3


def test_percent_correct_refuses_an_incomplete_test():
    assert scale_score(knowledge_test(), {"k1": 1, "k2": 0, "k3": 1, "k4": 9}).value is None


# -- score: multiply and bands


def who5(**extra: Any) -> InstrumentDefinition:
    # five items 0..5: raw 0..25, x 4 = 0..100
    return scale_definition([0, 100], ("w1", "w2", "w3", "w4", "w5"), values=(0, 1, 2, 3, 4, 5), multiply=4, **extra)


def test_multiply_is_applied_after_the_sum():
    # raw 3 + 2 + 3 + 2 + 3 = 13, x 4 = 52
    assert scale_score(who5(), {"w1": 3, "w2": 2, "w3": 3, "w4": 2, "w5": 3}).value == 52


def test_multiply_is_applied_after_proration():
    # raw 3 + 2 + 3 + 2 = 10 prorated to 10 / 4 x 5 = 12.5, x 4 = 50
    parsed = who5(missing={"max_missing": 1, "rule": "prorate"})
    assert scale_score(parsed, {"w1": 3, "w2": 2, "w3": 3, "w4": 2}).value == 50


def banded() -> InstrumentDefinition:
    """One decimal item 0..10 as a scale with bands low <= 3 < mid <= 6 < high."""
    data = definition(
        [item("x", "decimal", min=0, max=10)],
        scales=[scale("s", ["x"], [0, 10], bands=[band("low", 3), band("mid", 6), band("high")])],
    )
    return parse_definition(data)


@pytest.mark.parametrize(
    "value, expected_band",
    [(0, "low"), (3, "low"), (3.0001, "mid"), (6, "mid"), (6.0001, "high"), (10, "high")],
)
def test_score_at_a_band_max_is_in_that_band_and_above_it_in_the_next(value, expected_band):
    assert scale_score(banded(), {"x": value}).band == expected_band


def test_scale_without_a_score_has_no_band():
    assert scale_score(banded(), {}).band is None


# -- score: flags


def flagged() -> InstrumentDefinition:
    # flags listed out of severity order, to show that precedence comes from the level
    data = definition(
        [choice("q1"), choice("q2")],
        scales=[scale("total", ["q1", "q2"], [0, 6])],
        flags=[
            flag("q1_top", "acute", {"item": "q1", "equals": 3}),
            flag("high_total", "referral", {"scale": "total", "gte": 4}),
            flag("q2_top", "non_acute", {"item": "q2", "equals": 3}),
        ],
    )
    return parse_definition(data)


@pytest.mark.parametrize(
    "answers, level, flags",
    [
        ({"q1": 0, "q2": 0}, "none", []),
        ({"q1": 2, "q2": 2}, "referral", ["high_total"]),
        ({"q1": 1, "q2": 3}, "non_acute", ["high_total", "q2_top"]),
        ({"q1": 3, "q2": 0}, "acute", ["q1_top"]),
        ({"q1": 3, "q2": 3}, "acute", ["q1_top", "high_total", "q2_top"]),
    ],
)
def test_flag_level_is_the_highest_level_of_the_matching_rules(answers, level, flags):
    result = score(flagged(), answers)
    assert (result.flag_level, result.flags) == (level, flags)


def test_flag_on_a_scale_without_a_score_does_not_match():
    # total refuses the missing q2, so `total >= 4` cannot hold
    result = score(flagged(), {"q1": 2})
    assert (result.scales["total"].value, result.flag_level, result.flags) == (None, "none", [])


# -- score: answers with problems


def test_scoring_invalid_answers_raises_with_the_problems():
    with pytest.raises(InvalidAnswersError) as raised:
        score(mixed_definition(), {"q1": True, "age": 2})
    assert [problem.code for problem in raised.value.problems] == ["invalid_value", "out_of_range"]


def test_missing_required_answers_are_left_to_the_missing_rule():
    data = definition(
        [choice("q1", required=True), choice("q2", required=True)],
        scales=[scale("s", ["q1", "q2"], [0, 6], missing={"max_missing": 1, "rule": "prorate"})],
    )
    # q2 missing: 2 x 2 = 4
    assert scale_score(parse_definition(data), {"q1": 2}).value == 4


def test_integral_float_answers_score_like_ints():
    assert scale_score(scale_definition(), {"q1": 3.0, "q2": 2, "q3": 1, "q4": 0}).value == 6
