"""Reference scores for who5-1.0 (WHO-5 Well-Being Index).

Scoring source: WHO (2024). The World Health Organization-Five Well-Being Index (WHO-5),
WHO-UCN-MSD-MHE-2024.01: items scored 5 "All of the time" ... 0 "At no time"; raw score = sum (0-25);
percentage = raw x 4 (0-100). Cut-offs (WHO 2024; Topp et al. 2015, Psychother Psychosom 84:167-176):
percentage <= 50 poor wellbeing (screen further), <= 28 likely depression. Percentages move in steps
of 4, so the boundaries are raw 7 (28%) / raw 8 (32%) and raw 12 (48%) / raw 13 (52%).
The score is the sum of all five items; no proration rule is given, so incomplete forms are not scored.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

_, WHO5 = load_definition_file(Path(surveyapp.instruments.__file__).parent / "library" / "who5-1.0.yaml")
ITEMS = ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]


def with_raw(raw):
    """Five answers (each 0-5) summing to `raw`, filled from the first item."""
    values, left = [], raw
    for _ in ITEMS:
        values.append(min(5, left))
        left -= values[-1]
    assert left == 0
    return dict(zip(ITEMS, values))


def test_answer_scale_is_5_all_of_the_time_to_0_at_no_time():
    options = WHO5.item("who5_1").options
    assert [(option.value, option.label["en"]) for option in options] == [
        (5, "All of the time"),
        (4, "Most of the time"),
        (3, "More than half of the time"),
        (2, "Less than half of the time"),
        (1, "Some of the time"),
        (0, "At no time"),
    ]


@pytest.mark.parametrize(
    ("raw", "percent", "band", "flags"),
    [
        (0, 0, "likely_depression", ["who5_likely_depression"]),
        (7, 28, "likely_depression", ["who5_likely_depression"]),  # 7 x 4 = 28 <= 28
        (8, 32, "poor_wellbeing", ["who5_poor_wellbeing"]),  # 32 > 28, <= 50
        (12, 48, "poor_wellbeing", ["who5_poor_wellbeing"]),  # 48 <= 50
        (13, 52, "adequate", []),  # 52 > 50
        (25, 100, "adequate", []),
    ],
)
def test_every_cut_off_boundary(raw, percent, band, flags):
    result = score(WHO5, with_raw(raw))
    assert result.scales["raw"].value == raw
    assert result.scales["percent"].value == percent
    assert result.scales["percent"].band == band
    assert result.flags == flags
    assert result.flag_level == ("referral" if flags else "none")


def test_a_mixed_form():
    # 5 + 3 + 2 + 4 + 1 = 15 raw -> 60 % -> adequate
    result = score(WHO5, {"who5_1": 5, "who5_2": 3, "who5_3": 2, "who5_4": 4, "who5_5": 1})
    assert result.scales["raw"].value == 15
    assert result.scales["percent"].value == 60
    assert result.scales["percent"].band == "adequate"


@pytest.mark.parametrize("skipped", ITEMS)
def test_no_missing_item_is_tolerated(skipped):
    # WHO 2024: the score is the sum of the five items; an incomplete form gets no score and no band.
    given = with_raw(3)
    del given[skipped]
    result = score(WHO5, given)
    for scale_id in ("raw", "percent"):
        assert result.scales[scale_id].value is None
        assert result.scales[scale_id].band is None
        assert result.scales[scale_id].n_answered == 4
    # a scale condition on a scale without a score is false (FORMAT.md), so no flag
    assert result.flags == []
    assert result.flag_level == "none"


def test_answers_outside_0_5_are_invalid():
    problems = validate_answers(WHO5, {**with_raw(10), "who5_3": 6})
    assert [(problem.item_id, problem.code) for problem in problems] == [("who5_3", "invalid_value")]
