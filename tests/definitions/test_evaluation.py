"""A definition's form logic for given answers: calculated values, `${}` in texts, choice filters,
constraints and the relevance sections pass on (values worked by hand)."""

from surveyapp.definitions.documents import parse_definition
from surveyapp.definitions.evaluation import (
    allowed_options,
    calculated_values,
    condition_json,
    constraint_holds,
    effective_relevance,
    expression_values,
    fill_text,
    relevance_json,
)
from surveyapp.definitions.model import AllOf, AnyOf, ItemCondition, Not, ScaleCondition
from tests.definition_builders import calculate, choice, definition, item, named_options


def household():
    return parse_definition(
        definition(
            sections=[
                {"id": "place", "relevant": {"item": "consent", "equals": 1}},
                {"id": "child", "parent": "place", "relevant": {"expression": "${region} != 'abroad'"}},
            ],
            items=[
                choice("consent", values=(0, 1)),
                {
                    **item("region", "choice", section="place"),
                    "options": named_options("osh", "naryn", "abroad"),
                },
                {
                    **item("district", "multi", section="child"),
                    "choice_filter": "region = ${region} or name = 'other'",
                    "options": named_options(
                        "kara_suu",
                        "at_bashy",
                        "other",
                        filters={"kara_suu": {"region": "osh"}, "at_bashy": {"region": "naryn"}},
                    ),
                },
                {
                    **item("age", "integer", section="child"),
                    "relevant": {"expression": "count-selected(${district}) > 0"},
                },
                calculate("years_left", "18 - ${age}"),
                calculate("summary", "concat(${years_left}, ' years; ', ${district})"),
                {**item("siblings", "integer"), "constraint": ". < ${years_left}"},
            ],
        )
    )


def test_calculations_see_the_answers_and_earlier_calculations_as_text():
    assert calculated_values(household(), {"age": 12, "district": ["kara_suu", "other"]}) == {
        "years_left": "6",
        "summary": "6 years; kara_suu other",
    }


def test_calculations_over_unanswered_items():
    # 18 - number("") = NaN, shown as "NaN" as XPath's string() does
    assert calculated_values(household(), {}) == {"years_left": "NaN", "summary": "NaN years; "}


def test_expression_values_are_the_answers_and_the_calculated_values():
    assert expression_values(household(), {"age": 17}) == {"age": 17, "years_left": "1", "summary": "1 years; "}


def test_fill_text_shows_values_as_xlsform_does():
    values = {"name": "Aida", "district": ["osh", "naryn"], "age": 12, "score": 2.5}
    assert fill_text("${name} (${age}, ${score}) from ${ district }; ${nickname}.", values) == (
        "Aida (12, 2.5) from osh naryn; ."
    )


def test_effective_relevance_is_the_sections_outermost_first_then_the_item():
    parsed = household()
    place, child = parsed.sections
    age = parsed.item("age")

    assert effective_relevance(parsed, age) == (place.relevant, child.relevant, age.relevant)
    assert effective_relevance(parsed, parsed.item("consent")) == ()


def test_relevance_json_for_the_tablet():
    parsed = household()

    assert relevance_json(parsed, parsed.item("consent")) is None
    assert relevance_json(parsed, parsed.item("region")) == {"item": "consent", "equals": 1}
    assert relevance_json(parsed, parsed.item("district")) == {
        "all": [
            {"item": "consent", "equals": 1},
            {"tree": {"op": "!=", "args": [{"ref": "region"}, {"str": "abroad"}]}},
        ]
    }


def test_condition_json_writes_structured_conditions_as_in_the_format():
    condition = AnyOf((Not(ItemCondition("q1", "in", (1, 2))), AllOf((ScaleCondition("s", "lte", 3),))))
    assert condition_json(condition) == {
        "any": [{"not": {"item": "q1", "in": [1, 2]}}, {"all": [{"scale": "s", "lte": 3}]}]
    }


def test_choice_filter_keeps_the_options_of_the_chosen_region():
    district = household().item("district")

    def offered(values):
        return [option.value for option in allowed_options(district, values)]

    assert offered({"region": "osh"}) == ["kara_suu", "other"]
    assert offered({"region": "naryn"}) == ["at_bashy", "other"]
    assert offered({}) == ["other"]


def test_an_item_without_choice_filter_offers_every_option():
    region = household().item("region")
    assert allowed_options(region, {}) == region.options


def test_constraint_is_judged_on_the_answer_and_other_values():
    siblings = household().item("siblings")

    assert constraint_holds(siblings, 3, {"years_left": "6"}) is True
    assert constraint_holds(siblings, 6, {"years_left": "6"}) is False
    assert constraint_holds(household().item("age"), 99, {}) is True  # no constraint
