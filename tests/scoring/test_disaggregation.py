"""Disaggregation by group with small-cell suppression, and age groups from birth year."""

import pytest

from surveyapp.scoring.disaggregation import age_group, disaggregate


@pytest.mark.parametrize(
    "birth_year, expected",
    [
        (2016, None),  # 9 in 2025
        (2015, "10-12"),
        (2013, "10-12"),
        (2012, "13-14"),
        (2011, "13-14"),
        (2010, "15-16"),
        (2009, "15-16"),
        (2008, None),  # 17
        (None, None),
    ],
)
def test_age_group_from_birth_year_and_survey_year(birth_year, expected):
    assert age_group(birth_year, survey_year=2025) == expected


CHILDREN = (
    [("F", score) for score in (10, 12, 14, 16, 18, 20)] + [("M", score) for score in (11, 13, 15)] + [(None, 30)]
)


def mean_score(children):
    return sum(score for _, score in children) / len(children)


def test_small_cells_are_suppressed():
    # F: n = 6, mean (10+12+14+16+18+20)/6 = 90/6 = 15. M: n = 3 < 5 -> suppressed. Unknown sex: n = 1, last.
    cells = disaggregate(CHILDREN, key=lambda child: child[0], statistic=mean_score)
    assert [(cell.key, cell.n, cell.value, cell.suppressed) for cell in cells] == [
        ("F", 6, 15.0, False),
        ("M", 3, None, True),
        (None, 1, None, True),
    ]


def test_suppression_can_be_switched_off():
    # M: (11 + 13 + 15)/3 = 13
    cells = disaggregate(CHILDREN, key=lambda child: child[0], statistic=mean_score, suppress_small=False)
    assert [(cell.key, cell.value, cell.suppressed) for cell in cells] == [
        ("F", 15.0, False),
        ("M", 13.0, False),
        (None, 30.0, False),
    ]


def test_statistic_is_not_computed_for_suppressed_cells():
    def statistic_needing_five(children):
        assert len(children) >= 5
        return len(children)

    cells = disaggregate(CHILDREN, key=lambda child: child[0], statistic=statistic_needing_five)
    assert [cell.value for cell in cells] == [6, None, None]


def test_cell_size_threshold_is_inclusive_at_five():
    cells = disaggregate(range(5), key=lambda _: "all", statistic=len)
    assert (cells[0].n, cells[0].value, cells[0].suppressed) == (5, 5, False)
