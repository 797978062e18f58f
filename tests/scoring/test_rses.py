"""Reference scores for rses-1.0 (Rosenberg Self-Esteem Scale, UMD item order).

Scoring source: Rosenberg (1965); University of Maryland Sociology, "Using the Rosenberg Self-Esteem
Scale": Strongly agree 3, Agree 2, Disagree 1, Strongly disagree 0; items 2, 5, 6, 8, 9 reversed
(SA 0 ... SD 3); total 0-30. The author gives no cut-offs (UMD FAQ); "below 15 = low" is a secondary-source
convention, shipped as such. Missing rule (at most 1 missing, prorated) is a project convention.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

_, RSES = load_definition_file(Path(surveyapp.instruments.__file__).parent / "library" / "rses-1.0.yaml")

POSITIVE = ["rses_01", "rses_03", "rses_04", "rses_07", "rses_10"]
NEGATIVE = ["rses_02", "rses_05", "rses_06", "rses_08", "rses_09"]
SA, A, D, SD = 3, 2, 1, 0


def answers(positive, negative):
    """Same answer on all positive items / all negative items, or per-item lists."""
    positive = positive if isinstance(positive, list) else [positive] * 5
    negative = negative if isinstance(negative, list) else [negative] * 5
    return {**dict(zip(POSITIVE, positive)), **dict(zip(NEGATIVE, negative))}


def total(result):
    return result.scales["total"]


def test_reverse_keys_are_the_negatively_worded_items_by_text():
    # UMD order: reversed items are 2, 5, 6, 8, 9 - identified here by their wording, not position.
    reversed_texts = {item.text["en"] for item in RSES.items if item.reverse}
    assert reversed_texts == {
        "At times I think I am no good at all.",
        "I feel I do not have much to be proud of.",
        "I certainly feel useless at times.",
        "I wish I could have more respect for myself.",
        "All in all, I am inclined to feel that I am a failure.",
    }
    assert {item.id for item in RSES.items if item.reverse} == set(NEGATIVE)
    assert RSES.item("rses_01").text["en"] == "On the whole, I am satisfied with myself."


def test_worked_example_agree_on_positive_disagree_on_negative_is_20():
    # UMD scoring: 'agree' (2) on the 5 positive items and 'disagree' (1) on the 5 negative items
    # -> 5 x 2 + 5 x (3 - 1) = 20.
    result = score(RSES, answers(A, D))
    assert total(result).value == 20
    assert total(result).band == "not_low"
    assert total(result).note is None
    assert (total(result).n_answered, total(result).n_items) == (10, 10)


def test_maximum_30_and_minimum_0():
    # UMD: SA (3) on positive + SD (0 -> reversed 3) on negative = 5x3 + 5x3 = 30.
    assert total(score(RSES, answers(SA, SD))).value == 30
    # SD (0) on positive + SA (3 -> reversed 0) on negative = 0.
    result = score(RSES, answers(SD, SA))
    assert total(result).value == 0
    assert total(result).band == "low"


def test_acquiescence_strongly_agree_to_everything_is_15():
    # SA on all 10: positives 5x3 = 15, negatives reversed 5x(3-3) = 0 -> 15 (the reverse keys at work).
    assert total(score(RSES, answers(SA, SA))).value == 15


def test_reversing_one_item_changes_the_total_in_the_opposite_direction():
    base = answers(A, D)  # 20
    base_value = total(score(RSES, base)).value
    # rses_02 ("At times I think I am no good at all") from Disagree (1 -> 2 points) to Strongly agree (3 -> 0)
    assert total(score(RSES, {**base, "rses_02": SA})).value == base_value - 2
    # rses_01 (positive) from Agree (2) to Strongly agree (3) adds 1
    assert total(score(RSES, {**base, "rses_01": SA})).value == base_value + 1


@pytest.mark.parametrize(
    ("negative", "expected", "band"),
    [
        # positives all Agree = 10; negatives reversed (3 - answer)
        ([A, A, A, A, SA], 14, "low"),  # 10 + (1+1+1+1+0) = 14 -> below 15 -> low (convention)
        ([A, A, A, A, A], 15, "not_low"),  # 10 + 5x1 = 15 -> not below 15
        ([A, A, A, A, D], 16, "not_low"),  # 10 + (1+1+1+1+2) = 16
    ],
)
def test_band_boundary_below_15_is_low(negative, expected, band):
    result = total(score(RSES, answers(A, negative)))
    assert result.value == expected
    assert result.band == band


def test_one_missing_item_is_prorated():
    # 9 answered: positives (without rses_10) 4 x 2 = 8, negatives 5 x 2 = 10 -> 18;
    # prorated: 18 x 10 / 9 = 20 (project convention: mean of answered x 10).
    given = answers(A, D)
    del given["rses_10"]
    result = total(score(RSES, given))
    assert result.value == pytest.approx(20)
    assert (result.n_answered, result.n_items) == (9, 10)
    assert "prorated" in result.note


def test_prorated_boundaries_around_15():
    # 9 answered summing to 13 -> 13 x 10/9 = 14.44 -> still below 15 -> low
    given = answers(A, [A, A, A, SA, SA])  # 10 + (1+1+1+0+0) = 13 with all 10 answered
    del given["rses_09"]  # rses_09 was SA, scored 0: the 9 answered still sum to 13
    result = total(score(RSES, given))
    assert result.value == pytest.approx(130 / 9)
    assert result.band == "low"
    # 9 answered summing to 14 -> 14 x 10/9 = 15.56 -> not low
    given = answers(A, [A, A, A, A, SA])  # 10 + 4 = 14 with all 10 answered
    del given["rses_09"]  # scored 0: the 9 answered sum to 14
    result = total(score(RSES, given))
    assert result.value == pytest.approx(140 / 9)
    assert result.band == "not_low"


def test_two_missing_items_give_no_score():
    given = answers(A, D)
    del given["rses_01"], given["rses_02"]
    result = total(score(RSES, given))
    assert result.value is None
    assert result.band is None
    assert result.n_answered == 8
    assert "at most 1" in result.note


def test_items_are_optional_for_children():
    assert validate_answers(RSES, {}) == []
    assert validate_answers(RSES, answers(A, D)) == []


def test_out_of_scale_answer_is_invalid():
    problems = validate_answers(RSES, {**answers(A, D), "rses_03": 4})
    assert [(problem.item_id, problem.code) for problem in problems] == [("rses_03", "invalid_value")]
