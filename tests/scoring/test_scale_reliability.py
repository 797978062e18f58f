import pytest

from surveyapp.definitions.documents import parse_definition
from surveyapp.scoring.scale_reliability import reliability_by_scale
from tests.factories import mood_instrument

# Three children; m2 is reverse-keyed on 0-3, so its scored value is 3 - answer.
ANSWER_SETS = [
    {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0},  # scored 3, 3, 2, 3 -> total 11
    {"m1": 1, "m2": 2, "m3": 1, "m4": 2, "worry": 0},  # scored 1, 1, 1, 2 -> total 5
    {"m1": 2, "m2": 1, "m3": 0, "m4": 1, "worry": 0},  # scored 2, 2, 0, 1 -> total 5
]


def test_alpha_is_computed_on_reverse_keyed_item_scores():
    # Worked by hand: each item's variance (ddof 1) is 1, so their sum is 4; totals 11, 5, 5 have mean 7 and
    # variance (16 + 4 + 4) / 2 = 12. alpha = k/(k-1) (1 - 4/12) = 4/3 x 2/3 = 8/9 (Cronbach 1951, formula 2).
    [total] = reliability_by_scale(parse_definition(mood_instrument()), ANSWER_SETS)
    assert total.scale_id == "total" and total.item_ids == ("m1", "m2", "m3", "m4")
    assert total.alpha.alpha == pytest.approx(8 / 9)
    assert total.alpha.n_respondents_used == 3


def test_incomplete_answer_sets_are_left_out():
    incomplete = {"m1": 3, "worry": 0}
    [total] = reliability_by_scale(parse_definition(mood_instrument()), [*ANSWER_SETS, incomplete])
    assert (total.alpha.n_respondents_used, total.alpha.n_respondents_dropped) == (3, 1)
    assert total.alpha.alpha == pytest.approx(8 / 9)


def test_no_answers_give_no_alpha():
    [total] = reliability_by_scale(parse_definition(mood_instrument()), [])
    assert total.alpha.alpha is None
