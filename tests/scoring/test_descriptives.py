"""Descriptive statistics; quartiles with numpy's default "linear" method (Hyndman & Fan 1996, type 7):
the p-quantile of n sorted values sits at 0-based position (n - 1) * p, interpolating linearly."""

import math

import pytest

from surveyapp.scoring.descriptives import describe


def test_describe_worked_example():
    # 1 2 3 4: mean 2.5; deviations -1.5 -0.5 0.5 1.5, SS 5, SD = sqrt(5/3) = 1.290994
    # Q1 at position 3 * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75; median at 1.5 -> 2.5;
    # Q3 at 2.25 -> 3 + 0.25 * (4 - 3) = 3.25; IQR 1.5. Missing values are ignored.
    result = describe([4, None, 2, 1, float("nan"), 3])
    assert result.n == 4
    assert result.mean == pytest.approx(2.5)
    assert result.sd == pytest.approx(math.sqrt(5 / 3))
    assert (result.q1, result.median, result.q3) == pytest.approx((1.75, 2.5, 3.25))
    assert result.iqr == pytest.approx(1.5)
    assert result.quantile_method == "linear"


def test_describe_odd_n():
    # 2 4 4 5 7 (n 5): mean 22/5 = 4.4; deviations -2.4 -0.4 -0.4 0.6 2.6, SS 5.76+0.16+0.16+0.36+6.76 = 13.2,
    # SD = sqrt(13.2/4) = sqrt(3.3). Q1 at position 1 -> 4, median at 2 -> 4, Q3 at 3 -> 5.
    result = describe([7, 4, 2, 5, 4])
    assert result.mean == pytest.approx(4.4)
    assert result.sd == pytest.approx(math.sqrt(3.3))
    assert (result.q1, result.median, result.q3) == (4, 4, 5)


def test_describe_single_and_no_values():
    single = describe([7])
    assert (single.n, single.mean, single.sd, single.median, single.q1, single.q3) == (1, 7, None, 7, 7, 7)
    empty = describe([None])
    assert (empty.n, empty.mean, empty.sd, empty.median, empty.iqr) == (0, None, None, None, None)
