"""Server validation of the XLSForm logic (FORMAT.md): text choice names, dates, calculate items, constraints
with their messages, choice filters, and relevance inherited from sections."""

from surveyapp.definitions.documents import parse_definition
from surveyapp.scoring.engine import AnswerProblem, item_points, validate_answers
from tests.definition_builders import calculate, definition, item, named_options, options, scale, text


def form():
    return parse_definition(
        definition(
            sections=[{"id": "school", "relevant": {"expression": "${in_school} = 'yes'"}}],
            items=[
                {**item("in_school", "choice"), "options": named_options("yes", "no")},
                {
                    **item("grade", "integer", section="school"),
                    "constraint": ". >= 1 and . <= 11",
                    "constraint_message": {"en": "Grades go from 1 to 11, not ${grade}", "ru": "От 1 до 11"},
                },
                {**item("subjects", "multi", section="school"), "options": named_options("maths", "art", "none")},
                {**item("region", "choice"), "options": named_options("osh", "naryn")},
                {
                    **item("district", "choice"),
                    "choice_filter": "region = ${region}",
                    "options": [
                        {"value": "kara_suu", "label": text("Kara-Suu"), "filter": {"region": "osh"}},
                        {"value": "at_bashy", "label": text("At-Bashy"), "filter": {"region": "naryn"}},
                        {"value": 99, "label": text("Other"), "filter": {"region": "osh"}},
                    ],
                },
                {**item("born", "date"), "required": True, "required_message": {"en": "When were you born?"}},
                calculate("grade_next", "${grade} + 1"),
                {
                    **item("wish", "text"),
                    "relevant": {"expression": "${grade_next} > 11"},
                    "constraint": "string-length(.) <= 5",
                },
            ],
        )
    )


def codes(answers, language=None):
    return [(problem.item_id, problem.code) for problem in validate_answers(form(), answers, language)]


BASE = {"in_school": "yes", "born": "2013-05-01"}


def test_text_choice_names_dates_and_mixed_values_are_valid_answers():
    answers = {**BASE, "grade": 11, "subjects": ["maths", "art"], "region": "osh", "district": 99, "wish": "dogs"}
    assert validate_answers(form(), answers) == []


def test_a_choice_answer_must_have_the_options_type():
    assert validate_answers(form(), {**BASE, "region": "Osh"}) == [
        AnswerProblem("region", "invalid_value", 'Item \'region\' has no option "Osh"; the options are "osh", "naryn".')
    ]
    assert codes({**BASE, "region": "osh", "district": "99"}) == [("district", "invalid_value")]
    assert codes({**BASE, "in_school": 1}) == [("in_school", "invalid_value")]


def test_a_multi_answer_lists_distinct_choice_names():
    assert codes({**BASE, "subjects": ["art", "art"]}) == [("subjects", "invalid_value")]
    assert codes({**BASE, "subjects": ["art", "music"]}) == [("subjects", "invalid_value")]


def test_a_date_must_be_a_real_calendar_day():
    for bad in ("2013-02-29", "2013-5-1", "01.05.2013", 20130501, "2013-05-01T00:00"):
        assert codes({"in_school": "no", "born": bad}) == [("born", "invalid_value")], bad
    assert codes({"in_school": "no", "born": "2012-02-29"}) == []


def test_a_calculate_item_is_never_answered():
    assert validate_answers(form(), {**BASE, "grade_next": "5"}) == [
        AnswerProblem("grade_next", "not_answerable", "Item 'grade_next' is calculated and cannot be answered.")
    ]


def test_a_broken_constraint_gets_the_items_message_in_the_respondents_language():
    answers = {**BASE, "grade": 12}
    assert validate_answers(form(), answers, "en") == [
        AnswerProblem("grade", "constraint", "Grades go from 1 to 11, not 12")
    ]
    assert validate_answers(form(), answers, "ru")[0].message == "От 1 до 11"
    assert validate_answers(form(), answers)[0].message == (
        "Item 'grade' does not meet its constraint: . >= 1 and . <= 11"
    )


def test_a_constraint_is_only_checked_on_an_answer():
    assert codes({**BASE}) == []


def test_a_required_item_left_out_gets_its_required_message():
    assert validate_answers(form(), {"in_school": "no"}, "en") == [
        AnswerProblem("born", "missing_required", "When were you born?")
    ]


def test_an_option_the_choice_filter_excludes_is_refused():
    assert validate_answers(form(), {**BASE, "region": "naryn", "district": "kara_suu"}) == [
        AnswerProblem(
            "district", "filtered_out", "Item 'district' does not offer option \"kara_suu\", given the other answers."
        )
    ]
    assert codes({**BASE, "region": "osh", "district": "kara_suu"}) == []
    assert codes({**BASE, "district": "kara_suu"}) == [("district", "filtered_out")]  # no region: nothing offered


def test_an_item_in_a_section_that_does_not_apply_is_not_relevant():
    assert codes({"in_school": "no", "born": "2013-05-01", "grade": 5}) == [("grade", "not_relevant")]
    assert codes({"born": "2013-05-01", "subjects": ["art"]}) == [("subjects", "not_relevant")]


def test_relevance_may_use_a_calculated_value():
    assert codes({**BASE, "grade": 10, "wish": "dogs"}) == [("wish", "not_relevant")]  # 10 + 1 is not > 11
    assert codes({**BASE, "grade": 11, "wish": "dogs"}) == []


def test_an_answer_refused_for_its_constraint_does_not_count_for_later_items():
    # grade 12 breaks its constraint, so grade_next is NaN and "wish" does not apply
    assert codes({**BASE, "grade": 12, "wish": "dogs"}) == [("grade", "constraint"), ("wish", "not_relevant")]


def test_an_answers_own_constraint_is_checked_after_relevance():
    assert codes({**BASE, "grade": 11, "wish": "ponies"}) == [("wish", "constraint")]


def test_a_number_read_back_as_a_float_is_still_its_option():
    # reports read stored answers as floats: 9.0 is the "prefer not to say" option 9, scored as missing
    parsed = parse_definition(
        definition(
            [item("q1", "choice", options=options(1, 2, 9, missing=(9,))), item("q2", "choice", options=options(1, 2))],
            scales=[scale("s", ["q1", "q2"], [2, 4], missing={"max_missing": 1, "rule": "prorate"})],
        )
    )
    assert parsed.item("q1").option(9.0) is parsed.item("q1").options[2]
    assert parsed.item("q1").option(True) is None
    assert item_points(parsed, parsed.scale("s"), {"q1": 9.0, "q2": 2.0}) == [None, 2.0]
