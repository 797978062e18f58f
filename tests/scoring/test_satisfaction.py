"""Reference scores for satisfaction-1.0 (programme-authored event satisfaction, faces 1-5).

Scoring (defined in the file, project convention): mean of the five rated items, 1-5; up to 2 of the
5 items may be missing (mean of the answered); the comment item is optional and not scored.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

_, SATISFACTION = load_definition_file(
    Path(surveyapp.instruments.__file__).parent / "library" / "satisfaction-1.0.yaml"
)
RATED = ["sat_liked", "sat_learned", "sat_safe", "sat_peers", "sat_again"]


def test_the_five_rated_items_make_the_scale_and_the_comment_is_optional():
    assert SATISFACTION.scale("mean").items == tuple(RATED)
    comment = SATISFACTION.item("sat_comment")
    assert comment.type == "text" and not comment.required


@pytest.mark.parametrize("item_id", RATED)
def test_every_question_is_answered_on_a_yes_scale_that_fits_it(item_id):
    # "Did you feel safe?" cannot be answered "I liked it a lot": the labels say how much the answer is yes
    options = SATISFACTION.item(item_id).options
    assert [option.value for option in options] == [1, 2, 3, 4, 5]
    assert [option.label["en"] for option in options] == [
        "😞 No",
        "🙁 Not really",
        "😐 So-so",
        "🙂 Mostly yes",
        "😄 Yes",
    ]
    assert [option.label["ru"] for option in options] == [
        "😞 Нет",
        "🙁 Скорее нет",
        "😐 Так себе",
        "🙂 Скорее да",
        "😄 Да",
    ]
    assert not [option.label["ky"] for option in options if "жак" in option.label["ky"].lower()]  # жакты = liked


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5, 5, 5, 5, 5], 5),
        ([1, 1, 1, 1, 1], 1),
        ([1, 2, 3, 4, 5], 3),  # 15 / 5
        ([4, 5, 4, 5, 4], 4.4),  # 22 / 5
    ],
)
def test_mean(values, expected):
    given = {**dict(zip(RATED, values)), "sat_comment": "More games please"}
    assert validate_answers(SATISFACTION, given) == []
    result = score(SATISFACTION, given).scales["mean"]
    assert result.value == pytest.approx(expected)


def test_two_missing_items_give_the_mean_of_the_answered():
    # answered 5, 4, 3 -> 12 / 3 = 4
    result = score(SATISFACTION, dict(zip(RATED, [5, 4, 3]))).scales["mean"]
    assert result.value == pytest.approx(4)
    assert (result.n_answered, result.n_items) == (3, 5)


def test_three_missing_items_give_no_score():
    assert score(SATISFACTION, dict(zip(RATED, [5, 4]))).scales["mean"].value is None


def test_no_flags():
    assert score(SATISFACTION, dict.fromkeys(RATED, 1)).flag_level == "none"
