"""Knowledge-test gains. Normalized gain as defined by Hake (1998), Am. J. Phys. 66(1), 64-74:
<g> = (%<post> - %<pre>) / (100 - %<pre>) on class averages. Values below are worked by hand.
"""

import pytest

from surveyapp.scoring.knowledge import hake_normalized_gain, knowledge_gain

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
