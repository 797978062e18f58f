"""Reference results for asq-1.0 (Ask Suicide-Screening Questions, NIMH).

Source: NIMH ASQ Toolkit, ASQ tool and information sheet: "yes" to any of Q1-Q4, or a refusal to answer,
is a positive screen; then ask Q5. Q5 "yes" -> acute positive screen (imminent risk); Q5 "no" ->
non-acute positive screen (potential risk); all "no" -> negative screen and Q5 is not asked.
Coding in this file: yes 1, no 0, "does not want to answer" 9 (scored as missing, stored as given).
Answers the NIMH flow would not ask for (a kiosk page sent without scripts shows every question) are kept for
the risk items Q5 and the follow-ups (`if_not_relevant: keep`) and counted like any answer; the file's
`asq_follow_up` rule (not an NIMH rule) sends a follow-up written without a "yes" to a psychologist.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

_, ASQ = load_definition_file(Path(surveyapp.instruments.__file__).parent / "library" / "asq-1.0.yaml")
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


def test_the_child_answers_alone_and_the_staff_guidance_is_kept_apart():
    # the kiosk shows the ASQ to the child (administration: self); NIMH's instruction to read the questions
    # exactly as written is for staff, in staff_notes
    assert ASQ.administration == "self"
    assert "read it exactly as written" in ASQ.staff_notes["en"]
    assert "«Не хочу отвечать»" in ASQ.instructions["ru"]  # the child is told they may choose it
    refusal = ASQ.item("asq_1").option(REFUSED).label
    assert (refusal["ky"], refusal["ru"], refusal["en"]) == (
        "Жооп бергим келбейт",
        "Не хочу отвечать",
        "I don't want to answer",
    )


def test_all_no_is_a_negative_screen_and_q5_is_not_asked():
    # ASQ: all "no" -> negative screen, Q5 not asked.
    assert validate_answers(ASQ, ALL_NO) == []  # Q5 is not required when not relevant
    result = score(ASQ, ALL_NO)
    assert result.flag_level == "none"
    assert result.flags == []


def test_the_risk_items_keep_an_answer_given_when_they_do_not_apply():
    kept = {item.id for item in ASQ.items if item.keeps_answer_when_not_relevant}
    assert kept == {"asq_4_how", "asq_4_when", "asq_5", "asq_5_describe"}


def test_q5_yes_after_four_noes_is_acute():
    # Q5 is not asked after four "no"s, but a child who says they are thinking of killing themselves right now
    # is, by the NIMH rule, an acute positive screen (Q5 yes = imminent risk, STAT evaluation); Q1-Q4 are all
    # no, so the non-acute rule does not match.
    given = {**ALL_NO, "asq_5": YES}
    assert validate_answers(ASQ, given) == []
    result = score(ASQ, given)
    assert (result.flag_level, result.flags) == ("acute", ["asq_acute"])


def test_q5_yes_after_four_noes_makes_its_description_apply():
    given = {**ALL_NO, "asq_5": YES, "asq_5_describe": "since this morning"}
    assert validate_answers(ASQ, given) == []
    assert score(ASQ, given).flags == ["asq_acute"]


def test_q5_no_after_four_noes_is_kept_and_stays_negative():
    # four "no"s and Q5 "no": no NIMH rule is met (negative screen)
    given = {**ALL_NO, "asq_5": NO}
    assert validate_answers(ASQ, given) == []
    assert score(ASQ, given).flag_level == "none"


@pytest.mark.parametrize("question", Q1_4)
def test_a_yes_to_any_of_q1_to_q4_is_non_acute_when_q5_is_no(question):
    # ASQ: any "yes" to Q1-Q4 -> positive screen; Q5 "no" -> non-acute positive screen.
    given = {**ALL_NO, question: YES, "asq_5": NO}
    assert (
        validate_answers(
            ASQ, {**given, **({"asq_4_how": "pills", "asq_4_when": "last year"} if question == "asq_4" else {})}
        )
        == []
    )
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


def test_q4_follow_ups_after_a_yes_add_no_rule_of_their_own():
    # Q4 yes, Q5 no -> non-acute positive screen (NIMH); the follow-ups belong to that yes
    given = {**ALL_NO, "asq_4": YES, "asq_5": NO, "asq_4_how": "x", "asq_4_when": "2 years ago"}
    assert validate_answers(ASQ, given) == []
    assert score(ASQ, given).flags == ["asq_non_acute"]


@pytest.mark.parametrize("follow_up", ["asq_4_how", "asq_4_when"])
def test_a_q4_follow_up_written_after_a_no_reaches_a_psychologist(follow_up):
    # Q1-Q4 no is a negative screen by the NIMH rule, but the child wrote how or when they tried: the file's
    # asq_follow_up rule (non-acute, a brief safety assessment) applies.
    given = {**ALL_NO, follow_up: "last summer"}
    assert validate_answers(ASQ, given) == []
    result = score(ASQ, given)
    assert (result.flag_level, result.flags) == ("non_acute", ["asq_follow_up"])


def test_a_q5_description_written_after_a_no_reaches_a_psychologist():
    # Q1 yes, Q5 no -> non-acute (NIMH); the description given with Q5 "no" adds asq_follow_up
    given = {**ALL_NO, "asq_1": YES, "asq_5": NO, "asq_5_describe": "sometimes at night"}
    assert validate_answers(ASQ, given) == []
    assert score(ASQ, given).flags == ["asq_non_acute", "asq_follow_up"]


def test_q5_has_no_refusal_option():
    assert [option.value for option in ASQ.item("asq_5").options] == [YES, NO]
    assert codes(validate_answers(ASQ, {**ALL_NO, "asq_1": YES, "asq_5": REFUSED})) == [("asq_5", "invalid_value")]
