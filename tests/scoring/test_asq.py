"""Reference results for asq-1.0 (Ask Suicide-Screening Questions, NIMH).

Source: NIMH ASQ Toolkit, ASQ tool and information sheet: "yes" to any of Q1-Q4, or a refusal to answer,
is a positive screen; then ask Q5. Q5 "yes" -> acute positive screen (imminent risk); Q5 "no" ->
non-acute positive screen (potential risk); all "no" -> negative screen and Q5 is not asked.
Coding in this file: yes 1, no 0, "does not want to answer" 9 (scored as missing, stored as given).
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.instruments.definition import load_definition_file
from surveyapp.scoring.engine import InvalidAnswersError, score, validate_answers

_, ASQ = load_definition_file(Path(surveyapp.instruments.__file__).parent / "definitions" / "asq-1.0.yaml")
Q1_4 = ["asq_1", "asq_2", "asq_3", "asq_4"]
YES, NO, REFUSED = 1, 0, 9
ALL_NO = dict.fromkeys(Q1_4, NO)


def codes(problems):
    return [(problem.item_id, problem.code) for problem in problems]


def test_question_wording_follows_the_nimh_tool():
    assert ASQ.item("asq_1").text["en"] == "In the past few weeks, have you wished you were dead?"
    assert ASQ.item("asq_5").text["en"] == "Are you having thoughts of killing yourself right now?"
    refused = [option for option in ASQ.item("asq_1").options if option.value == REFUSED]
    assert refused and refused[0].missing


def test_all_no_is_a_negative_screen_and_q5_is_not_asked():
    # ASQ: all "no" -> negative screen, Q5 not asked.
    assert validate_answers(ASQ, ALL_NO) == []  # Q5 is not required when not relevant
    result = score(ASQ, ALL_NO)
    assert result.flag_level == "none"
    assert result.flags == []


def test_q5_answered_when_not_relevant_is_a_problem():
    problems = validate_answers(ASQ, {**ALL_NO, "asq_5": NO})
    assert codes(problems) == [("asq_5", "not_relevant")]
    with pytest.raises(InvalidAnswersError):
        score(ASQ, {**ALL_NO, "asq_5": NO})


@pytest.mark.parametrize("question", Q1_4)
def test_a_yes_to_any_of_q1_to_q4_is_non_acute_when_q5_is_no(question):
    # ASQ: any "yes" to Q1-Q4 -> positive screen; Q5 "no" -> non-acute positive screen.
    given = {**ALL_NO, question: YES, "asq_5": NO}
    assert validate_answers(ASQ, {**given, **({"asq_4_how": "pills", "asq_4_when": "last year"}
                                              if question == "asq_4" else {})}) == []
    result = score(ASQ, given)
    assert result.flag_level == "non_acute"
    assert result.flags == ["asq_non_acute"]


@pytest.mark.parametrize("question", Q1_4)
def test_a_refusal_counts_as_positive(question):
    # ASQ information sheet: a refusal to answer any of Q1-Q4 is a positive screen.
    given = {**ALL_NO, question: REFUSED, "asq_5": NO}
    assert validate_answers(ASQ, given) == []
    result = score(ASQ, given)
    assert result.flag_level == "non_acute"
    assert result.flags == ["asq_non_acute"]


def test_yes_and_q5_yes_is_acute():
    # ASQ: positive screen and Q5 "yes" -> acute positive screen (imminent risk).
    given = {**ALL_NO, "asq_2": YES, "asq_5": YES, "asq_5_describe": "I keep thinking about it"}
    assert validate_answers(ASQ, given) == []
    result = score(ASQ, given)
    assert result.flag_level == "acute"
    assert set(result.flags) == {"asq_acute", "asq_non_acute"}


def test_refusal_and_q5_yes_is_acute():
    result = score(ASQ, {**ALL_NO, "asq_3": REFUSED, "asq_5": YES})
    assert result.flag_level == "acute"


def test_q5_is_required_after_a_positive_screen():
    problems = validate_answers(ASQ, {**ALL_NO, "asq_1": YES})
    assert codes(problems) == [("asq_5", "missing_required")]
    # score() still evaluates the flags (missing_required is tolerated): non-acute until Q5 is asked
    assert score(ASQ, {**ALL_NO, "asq_1": YES}).flag_level == "non_acute"


def test_q1_to_q4_are_required():
    assert codes(validate_answers(ASQ, {"asq_1": NO, "asq_2": NO, "asq_3": NO})) == [("asq_4", "missing_required")]


def test_q4_follow_ups_only_when_q4_is_yes():
    assert codes(validate_answers(ASQ, {**ALL_NO, "asq_4_how": "x"})) == [("asq_4_how", "not_relevant")]
    given = {**ALL_NO, "asq_4": YES, "asq_5": NO, "asq_4_how": "x", "asq_4_when": "2 years ago"}
    assert validate_answers(ASQ, given) == []


def test_q5_has_no_refusal_option():
    assert [option.value for option in ASQ.item("asq_5").options] == [YES, NO]
    assert codes(validate_answers(ASQ, {**ALL_NO, "asq_1": YES, "asq_5": REFUSED})) == [("asq_5", "invalid_value")]
