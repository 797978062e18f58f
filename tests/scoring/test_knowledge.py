"""Knowledge-test gains. Normalized gain as defined by Hake (1998), Am. J. Phys. 66(1), 64-74:
<g> = (%<post> - %<pre>) / (100 - %<pre>) on class averages. Values below are worked by hand.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.knowledge import (
    POST_FORM,
    PRE_FORM,
    correct_by_question,
    hake_normalized_gain,
    knowledge_gain,
    paired_questions,
    percent_correct,
    whole_test_scale,
)

DEFINITIONS = Path(surveyapp.instruments.__file__).parent / "library"

QUESTIONS = ["q1", "q2", "q3"]
PRE = {
    "A": {"q1": True, "q2": False, "q3": False},  # 1/3 = 33.33%
    "B": {"q1": True, "q2": True, "q3": False},  # 2/3 = 66.67%
    "C": {"q1": True, "q2": True, "q3": True},  # 100%
    "D": {"q1": True},  # pre only
}
POST = {
    "A": {"q1": True, "q2": True, "q3": False},  # 66.67%
    "B": {"q1": True, "q2": True, "q3": True},  # 100%
    "C": {"q1": True, "q2": True, "q3": None},  # unanswered = incorrect: 66.67%
    "E": {"q1": False, "q2": False, "q3": False},  # post only
}


def test_class_averages_and_gain():
    # Matched A, B, C. Mean pre = (100/3 + 200/3 + 100)/3 = 200/3 = 66.67%
    # Mean post = (200/3 + 100 + 200/3)/3 = 700/9 = 77.78%; gain = 700/9 - 600/9 = 100/9 = 11.11 points
    result = knowledge_gain(PRE, POST, QUESTIONS)
    assert (result.n_matched, result.n_pre_only, result.n_post_only) == (3, 1, 1)
    assert result.respondent_codes == ("A", "B", "C")
    assert result.percent_pre == pytest.approx((100 / 3, 200 / 3, 100))
    assert result.percent_post == pytest.approx((200 / 3, 100, 200 / 3))
    assert result.mean_percent_pre == pytest.approx(200 / 3)
    assert result.mean_percent_post == pytest.approx(700 / 9)
    assert result.mean_gain_points == pytest.approx(100 / 9)


def test_hake_gain_differs_from_mean_of_individual_gains():
    # Hake on class averages: (700/9 - 600/9) / (100 - 600/9) = (100/9) / (300/9) = 1/3
    # Individual: A (200/3 - 100/3) / (100 - 100/3) = 0.5; B (100 - 200/3) / (100 - 200/3) = 1.0;
    # C has 100% at pre: undefined, left out. Mean of individual gains = (0.5 + 1.0)/2 = 0.75 over 2 people.
    result = knowledge_gain(PRE, POST, QUESTIONS)
    assert result.hake_gain_of_class_averages == pytest.approx(1 / 3)
    assert result.mean_of_individual_normalized_gains == pytest.approx(0.75)
    assert result.n_individual_gains == 2


def test_percent_correct_per_question():
    # Matched A, B, C. q1 pre T T T = 100, post T T T = 100; q2 pre F T T = 66.67, post T T T = 100;
    # q3 pre F F T = 33.33, post F T unanswered = 33.33.
    result = knowledge_gain(PRE, POST, QUESTIONS)
    assert [q.question_id for q in result.questions] == QUESTIONS
    assert [q.percent_correct_pre for q in result.questions] == pytest.approx([100, 200 / 3, 100 / 3])
    assert [q.percent_correct_post for q in result.questions] == pytest.approx([100, 100, 100 / 3])


def test_everyone_perfect_at_pre():
    # Class pre% = 100: Hake's g divides by zero -> None; no individual gain is defined either.
    perfect = {"A": {"q1": True}, "B": {"q1": True}}
    result = knowledge_gain(perfect, {"A": {"q1": True}, "B": {"q1": False}}, ["q1"])
    assert result.mean_percent_pre == 100
    assert result.mean_gain_points == pytest.approx(-50)
    assert result.hake_gain_of_class_averages is None
    assert result.mean_of_individual_normalized_gains is None and result.n_individual_gains == 0


def test_nobody_took_both_tests():
    result = knowledge_gain({"A": {"q1": True}}, {"B": {"q1": True}}, ["q1"])
    assert (result.n_matched, result.n_pre_only, result.n_post_only) == (0, 1, 1)
    assert result.mean_percent_pre is result.hake_gain_of_class_averages is result.mean_gain_points is None
    assert result.questions[0].percent_correct_pre is None


def test_hake_gain_function():
    # (75 - 50) / (100 - 50) = 0.5; a loss gives a negative g: (40 - 50)/50 = -0.2
    assert hake_normalized_gain(50, 75) == pytest.approx(0.5)
    assert hake_normalized_gain(50, 40) == pytest.approx(-0.2)
    assert hake_normalized_gain(100, 100) is None
    assert hake_normalized_gain(None, 50) is None


def test_a_test_needs_questions():
    with pytest.raises(ValueError):
        knowledge_gain(PRE, POST, [])


# --- pairing the parallel forms into questions (the shipped staff tests) ------------------------------------

STAFF_PRE, STAFF_POST = (
    load_definition_file(DEFINITIONS / f"staff_knowledge_{form}-1.0.yaml")[1] for form in ("pre", "post")
)


def test_the_parallel_forms_items_are_paired_by_their_position_in_the_scale():
    questions = paired_questions(STAFF_PRE, STAFF_POST, "percent")
    assert len(questions) == 15
    first, last = questions[0], questions[-1]
    assert (first.question_id, first.number, first.pre_item, first.post_item) == (
        "q01",
        1,
        "staff_pre_law_1",
        "staff_post_law_1",
    )
    assert first.section["en"] == "Guardianship and supervision (law)"
    assert (last.question_id, last.pre_item, last.post_item) == (
        "q15",
        "staff_pre_communication_3",
        "staff_post_communication_3",
    )


def test_answers_become_right_wrong_or_unanswered_per_question():
    questions = paired_questions(STAFF_PRE, STAFF_POST, "percent")[:3]
    # Keys (staff_knowledge_pre-1.0.yaml): law_1 = 2, law_2 = 1; law_3 left unanswered.
    pre = correct_by_question(STAFF_PRE, "percent", {"staff_pre_law_1": 2, "staff_pre_law_2": 3}, questions, PRE_FORM)
    assert pre == {"q01": True, "q02": False, "q03": None}
    # Keys (staff_knowledge_post-1.0.yaml): law_1 = 3, law_2 = 4, law_3 = 1.
    post = correct_by_question(
        STAFF_POST,
        "percent",
        {"staff_post_law_1": 3, "staff_post_law_2": 4, "staff_post_law_3": 2},
        questions,
        POST_FORM,
    )
    assert post == {"q01": True, "q02": True, "q03": False}


def test_percent_correct_of_one_respondent_counts_unanswered_as_incorrect():
    # 1 right, 1 wrong, 2 unanswered (one absent) of 4: 1/4 = 25%.
    assert percent_correct({"q1": True, "q2": False, "q3": None}, ["q1", "q2", "q3", "q4"]) == 25
    with pytest.raises(ValueError):
        percent_correct({}, [])


def test_the_whole_test_is_the_common_percent_correct_scale_of_most_items():
    # "percent" has all 15 items; the five topic scales (law, abuse, ...) 3 each.
    assert whole_test_scale(STAFF_PRE, STAFF_POST) == "percent"
    assert whole_test_scale(STAFF_PRE) == "percent"
    who5 = load_definition_file(DEFINITIONS / "who5-1.0.yaml")[1]
    assert whole_test_scale(who5) is None
    assert whole_test_scale(STAFF_PRE, who5) is None
