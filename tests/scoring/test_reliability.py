"""Cronbach's alpha and item analysis, checked against hand-worked arithmetic.

Formula: Cronbach (1951), alpha = k/(k-1) * (1 - sum of item variances / total-score variance).

Worked data (4 respondents x 3 items), used throughout:
    item1 item2 item3 | total
      1     2     3   |   6
      2     3     3   |   8
      3     3     4   |  10
      4     5     5   |  14
Sums of squared deviations (SS; variances are SS/3 with ddof=1, the 1/3 cancels in every ratio below):
    item1: mean 2.5,  deviations -1.5 -0.5  0.5  1.5  -> SS = 2.25+0.25+0.25+2.25 = 5
    item2: mean 3.25, deviations -1.25 -0.25 -0.25 1.75 -> SS = 1.5625+0.0625+0.0625+3.0625 = 4.75
    item3: mean 3.75, deviations -0.75 -0.75 0.25 1.25 -> SS = 0.5625+0.5625+0.0625+1.5625 = 2.75
    total: mean 9.5,  deviations -3.5 -1.5 0.5 4.5     -> SS = 12.25+2.25+0.25+20.25 = 35
"""

import math

import numpy as np
import pytest

from surveyapp.scoring.reliability import cronbach_alpha, item_total_correlations

WORKED = [[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]]


def test_alpha_worked_example():
    # alpha = 3/2 * (1 - (5 + 4.75 + 2.75) / 35) = 1.5 * 22.5/35 = 27/28 = 0.964286
    result = cronbach_alpha(WORKED)
    assert result.alpha == pytest.approx(27 / 28)
    assert (result.n_respondents_used, result.n_respondents_dropped, result.n_items) == (4, 0, 3)


def test_alpha_two_parallel_items_is_spearman_brown():
    # Two items with equal variance: alpha = 2r / (1 + r) (Spearman-Brown for 2 halves).
    # item a = 1 2 3 4, item b = 2 1 4 3: both SS = 5; cross-products of deviations
    # (-1.5)(-0.5) + (-0.5)(-1.5) + (0.5)(1.5) + (1.5)(0.5) = 3, so r = 3/5 = 0.6 and alpha = 1.2/1.6 = 0.75.
    # Directly: totals 3 3 7 7, SS = 4 * 2^2 = 16; alpha = 2 * (1 - 10/16) = 0.75.
    assert cronbach_alpha([[1, 2], [2, 1], [3, 4], [4, 3]]).alpha == pytest.approx(0.75)


def test_corrected_item_total_correlations_worked_example():
    # Each item against the sum of the OTHER two items (rest score).
    # item1 vs rest 5 6 7 10 (mean 7, dev -2 -1 0 3, SS 14): cross = 3 + 0.5 + 0 + 4.5 = 8
    #   r = 8 / sqrt(5 * 14) = 0.956183
    # item2 vs rest 4 5 7 9 (mean 6.25, dev -2.25 -1.25 0.75 2.75, SS 14.75):
    #   cross = 2.8125 + 0.3125 - 0.1875 + 4.8125 = 7.75; r = 7.75 / sqrt(4.75 * 14.75) = 0.925889
    # item3 vs rest 3 5 6 9 (mean 5.75, dev -2.75 -0.75 0.25 3.25, SS 18.75):
    #   cross = 2.0625 + 0.5625 + 0.0625 + 4.0625 = 6.75; r = 6.75 / sqrt(2.75 * 18.75) = 0.940019
    assert item_total_correlations(WORKED) == pytest.approx(
        [8 / math.sqrt(70), 7.75 / math.sqrt(4.75 * 14.75), 6.75 / math.sqrt(2.75 * 18.75)]
    )


def test_listwise_deletion_drops_incomplete_respondents():
    with_missing = WORKED + [[None, 1, 1], [5, float("nan"), 2]]
    result = cronbach_alpha(with_missing)
    assert result.alpha == pytest.approx(27 / 28)
    assert (result.n_respondents_used, result.n_respondents_dropped) == (4, 2)
    assert item_total_correlations(with_missing) == pytest.approx(item_total_correlations(WORKED))


def test_alpha_can_be_negative():
    # Negatively related items a = 1 2 3, b = 2 3 1: item SS 2 and 2, totals 3 5 4 (mean 4, SS 2);
    # alpha = 2 * (1 - (2 + 2)/2) = -2. Reported as is, not clipped to 0.
    assert cronbach_alpha([[1, 2], [2, 3], [3, 1]]).alpha == pytest.approx(-2.0)


@pytest.mark.parametrize(
    "matrix",
    [
        [[1], [2], [3]],  # a single item
        [[1, 2, 3]],  # a single respondent
        [[1, 3], [2, 2], [3, 1]],  # all totals equal (4): zero total variance
        [[None, 1], [2, None]],  # no complete respondent
        [],
    ],
)
def test_alpha_undefined_is_none(matrix):
    assert cronbach_alpha(matrix).alpha is None


def test_item_with_no_variance_has_no_item_total_correlation():
    # item2 is always 3: its correlation is undefined; item1 vs rest (item2+item3 = 4 5 6 9) still defined.
    matrix = [[1, 3, 1], [2, 3, 2], [3, 3, 3], [4, 3, 6]]
    correlations = item_total_correlations(matrix)
    assert correlations[1] is None
    # item1 dev -1.5 -0.5 0.5 1.5 (SS 5); rest 4 5 6 9, mean 6, dev -2 -1 0 3 (SS 14); cross = 3+0.5+0+4.5 = 8
    assert correlations[0] == pytest.approx(8 / math.sqrt(70))


def test_too_few_items_or_respondents_for_item_analysis():
    assert item_total_correlations([[1], [2]]) == [None]
    assert item_total_correlations([[1, 2, 3]]) == [None, None, None]


def test_rejects_non_matrix_input():
    with pytest.raises(ValueError):
        cronbach_alpha(np.array([1.0, 2.0, 3.0]))
