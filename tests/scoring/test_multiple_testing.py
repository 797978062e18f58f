"""Holm-Bonferroni adjustment (Holm 1979), checked against hand-worked arithmetic."""

import pytest

from surveyapp.scoring.multiple_testing import holm_adjust


def test_holm_worked_example_keeps_input_order_and_skips_none():
    # m = 4 p-values (None is a test that could not be run and does not count).
    # Sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> raised to the running
    # maximum 0.06 so adjusted p-values keep the order of the raw ones.
    assert holm_adjust([0.01, 0.04, None, 0.03, 0.005]) == pytest.approx([0.03, 0.06, None, 0.06, 0.02])


def test_holm_caps_at_one():
    # 0.5 x 2 = 1.0; 0.6 x 1 = 0.6 -> running maximum 1.0
    assert holm_adjust([0.6, 0.5]) == pytest.approx([1.0, 1.0])


def test_holm_ties():
    # 0.02 x 2 = 0.04; 0.02 x 1 = 0.02 -> 0.04
    assert holm_adjust([0.02, 0.02]) == pytest.approx([0.04, 0.04])


def test_holm_single_and_empty():
    assert holm_adjust([0.03]) == pytest.approx([0.03])
    assert holm_adjust([]) == []
    assert holm_adjust([None, None]) == [None, None]


def test_holm_rejects_values_outside_unit_interval():
    with pytest.raises(ValueError):
        holm_adjust([0.2, 1.5])
