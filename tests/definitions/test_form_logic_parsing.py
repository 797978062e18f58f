"""The keys XLSForms brought to the definition language (FORMAT.md): what a valid definition becomes, and the
problem each misuse gets."""

import copy
from collections.abc import Callable

import pytest

from surveyapp.definitions.documents import DefinitionError, parse_definition
from surveyapp.definitions.model import ExpressionCondition, ItemCondition, Metadata
from tests.definition_builders import calculate, choice, definition, item, named_options, text


def xlsform_definition() -> dict:
    """A valid definition using every XLSForm key; the cases below each break one thing."""
    return definition(
        languages=["en", "ru", "fr"],
        language_names={"en": "English (en)", "fr": "Français"},
        translation_status={"en": "original", "ru": "draft", "fr": "draft"},
        title=text3("Household"),
        metadata=[{"type": "start", "name": "start"}, {"type": "deviceid", "name": "device"}],
        sections=[
            {"id": "place", "title": text3("Place"), "relevant": {"expression": "${consent} = 'yes'"}},
            {"id": "child", "parent": "place", "appearance": "field-list"},
        ],
        items=[
            {**item("consent", "choice", text=text3("Agree?")), "options": named_options3("yes", "no")},  # 0
            {
                **item("region", "choice", text=text3("Region"), section="place"),
                "options": named_options3("osh", "naryn"),
            },  # 1
            {
                **item("district", "choice", text=text3("District of ${region}"), section="place"),
                "choice_filter": "region = ${region}",
                "options": [
                    {"value": "kara_suu", "label": text3("Kara-Suu"), "filter": {"region": "osh"}},
                    {"value": "at_bashy", "label": text3("At-Bashy"), "filter": {"region": "naryn"}},
                    {"value": 99, "label": text3("Other"), "filter": {"region": "osh"}},
                ],
            },  # 2
            {
                **item("age", "integer", text=text3("Age"), section="child"),
                "constraint": ". >= 6 and . <= ${age_limit}",
                "constraint_message": {"en": "From 6 to ${age_limit}"},
                "hint": {"fr": "En années"},
                "required": True,
                "required_message": {"en": "Please give the age", "ru": "Укажите возраст"},
                "appearance": "numbers",
            },  # 3
            {**item("born", "date", text=text3("Born")), "constraint": ". <= today()"},  # 4
            calculate("doubled", "${age} * 2"),  # 5
            calculate("label", "concat(${doubled}, ' ', ${name})", text=text3("Label")),  # 6
            {**item("name", "text", text=text3("Name")), "relevant": {"expression": "${doubled} > 20"}},  # 7
            {**item("age_limit", "integer", text=text3("Limit")), "relevant": {"item": "age", "gte": 6}},  # 8
        ],
    )


def text3(english: str) -> dict[str, str]:
    return {**text(english), "fr": f"{english} (fr)"}


def named_options3(*names: str) -> list[dict]:
    return [{**option, "label": text3(option["value"])} for option in named_options(*names)]


def parse_errors(data: dict) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data)
    return raised.value.messages


def test_every_xlsform_key_reaches_the_model():
    parsed = parse_definition(xlsform_definition())

    assert parsed.languages == ("en", "ru", "fr")
    assert dict(parsed.language_names) == {"en": "English (en)", "fr": "Français"}
    assert parsed.metadata == (Metadata("start", "start"), Metadata("deviceid", "device"))
    place, child = parsed.sections
    assert (place.title["fr"], place.parent, child.parent, child.appearance) == (
        "Place (fr)",
        None,
        "place",
        "field-list",
    )
    assert isinstance(place.relevant, ExpressionCondition) and place.relevant.expression.references == {"consent"}
    assert [section.id for section in parsed.enclosing_sections("child")] == ["place", "child"]
    consent, district, age = parsed.item("consent"), parsed.item("district"), parsed.item("age")
    assert consent.option_values == ("yes", "no")
    assert district.option_values == ("kara_suu", "at_bashy", 99)
    assert dict(district.options[0].filter) == {"region": "osh"}
    assert district.choice_filter is not None and district.choice_filter.source == "region = ${region}"
    assert age.constraint is not None and age.constraint.references == {"age_limit"}
    assert (dict(age.hint or {}), age.appearance) == ({"fr": "En années"}, "numbers")
    assert dict(age.constraint_message or {}) == {"en": "From 6 to ${age_limit}"}
    assert dict(age.required_message or {}) == {"en": "Please give the age", "ru": "Укажите возраст"}
    assert parsed.item("born").type == "date"
    assert [calc.id for calc in parsed.calculated_items] == ["doubled", "label"]
    assert parsed.item("doubled").text == {} and not parsed.item("doubled").is_answerable
    assert [answerable.id for answerable in parsed.answerable_items] == [
        "consent",
        "region",
        "district",
        "age",
        "born",
        "name",
        "age_limit",
    ]
    assert parsed.item("age_limit").relevant == ItemCondition("age", "gte", 6)


def test_an_option_is_found_by_its_value_and_type():
    district = parse_definition(xlsform_definition()).item("district")
    assert district.option("kara_suu") is district.options[0]
    assert district.option(99) is district.options[2]
    assert district.option("99") is None
    yes_no = parse_definition(definition([choice("q1", values=(0, 1))])).item("q1")
    assert yes_no.option(1) is yes_no.options[1]
    assert yes_no.option(True) is None  # JSON true is not 1


def test_a_nested_section_may_depend_on_items_of_its_parent_before_it():
    data = xlsform_definition()
    data["sections"][1]["relevant"] = {"expression": "${region} = 'osh'"}

    child = parse_definition(data).section("child")

    assert isinstance(child.relevant, ExpressionCondition) and child.relevant.expression.references == {"region"}


Mutation = Callable[[dict], object]


def items(data: dict) -> list[dict]:
    return data["items"]


BROKEN: list[tuple[str, Mutation, str]] = [
    ("language tag in capitals", lambda d: d["languages"].append("FR"), "languages[3]: 'FR' is not a language tag"),
    (
        "name of an unlisted language",
        lambda d: d["language_names"].update(ky="Кыргызча"),
        "language_names: language 'ky' is not listed in languages",
    ),
    ("blank language name", lambda d: d["language_names"].update(en=" "), "language_names.en: must be a non-empty"),
    (
        "unknown metadata type",
        lambda d: d["metadata"].append({"type": "phonenumber", "name": "phone"}),
        "metadata[2].type: must be one of start, end, today, deviceid, username, got 'phonenumber'",
    ),
    (
        "metadata named like an item",
        lambda d: d["metadata"].append({"type": "end", "name": "age"}),
        "metadata[2].name: 'age' is already an item's id",
    ),
    (
        "metadata name used twice",
        lambda d: d["metadata"].append({"type": "end", "name": "start"}),
        "metadata[2].name: duplicate metadata name 'start'",
    ),
    (
        "parent declared later",
        lambda d: d["sections"][0].update(parent="child"),
        "sections[0].parent: unknown section 'child'; a parent must be a section listed before",
    ),
    (
        "section relevant on an item inside it",
        lambda d: d["sections"][0].update(relevant={"expression": "${region} = 'osh'"}),
        "sections[0].relevant.expression: ${region}: 'region' is not an earlier item; a condition may only refer to "
        "earlier items",
    ),
    ("unknown section key", lambda d: d["sections"][1].update(label="x"), "sections[1]: unknown key 'label'"),
    (
        "relevant on a later item",
        lambda d: items(d)[7].update(relevant={"expression": "${age_limit} > 1"}),
        "items[7].relevant.expression: ${age_limit}: 'age_limit' is not an earlier item",
    ),
    (
        "relevant on an unknown item",
        lambda d: items(d)[7].update(relevant={"expression": "${agee} > 1"}),
        "items[7].relevant.expression: ${agee}: unknown item 'agee'",
    ),
    (
        "expression with another key",
        lambda d: items(d)[7].update(relevant={"expression": "${age} > 1", "item": "age"}),
        "items[7].relevant: 'expression' must be the only key of its condition",
    ),
    (
        "expression in a flag",
        lambda d: d.update(flags=[{"id": "f", "level": "acute", "when": {"expression": "1"}, "reason": text3("r")}]),
        "flags[0].when: an expression is only allowed as a `relevant` condition",
    ),
    (
        "unsupported function",
        lambda d: items(d)[4].update(constraint="pulldata('a', 'b', 'c', .)"),
        "items[4].constraint: function 'pulldata' is not supported",
    ),
    (
        "constraint on a note",
        lambda d: items(d).append({**item("n", "note", text=text3("n")), "constraint": "1"}),
        "items[9].constraint: only an item that is answered has a constraint",
    ),
    (
        "constraint on a note's value",
        lambda d: (
            items(d).insert(0, item("intro", "note", text=text3("Hello")))
            or items(d)[5].update(constraint=". > ${intro}")
        ),
        "items[5].constraint: ${intro}: item 'intro' is a note and has no value",
    ),
    (
        "constraint message without a constraint",
        lambda d: items(d)[3].pop("constraint"),
        "items[3].constraint_message: only an item with a constraint or min/max has a constraint message",
    ),
    (
        "required message on an optional item",
        lambda d: items(d)[3].update(required=False),
        "items[3].required_message: only a required item has a required message",
    ),
    (
        "hint in no listed language",
        lambda d: items(d)[3].update(hint={"de": "x"}),
        "items[3].hint: needs a text in at least one of the listed languages",
    ),
    (
        "blank hint",
        lambda d: items(d)[3].update(hint={"fr": " "}),
        "items[3].hint.fr: missing or empty text",
    ),
    (
        "hint on a calculate",
        lambda d: items(d)[5].update(hint=text3("h")),
        "items[5].hint: a calculate item is never shown",
    ),
    (
        "calculate without calculation",
        lambda d: items(d)[5].pop("calculation"),
        "items[5]: missing required key 'calculation' (a calculate item's value)",
    ),
    (
        "calculation on a question",
        lambda d: items(d)[7].update(calculation="1"),
        "items[7].calculation: only a calculate item has a calculation",
    ),
    (
        "calculation using a later calculate",
        lambda d: items(d)[5].update(calculation="${label}"),
        "items[5].calculation: ${label}: a calculation may only use earlier calculate items",
    ),
    ("calculate required", lambda d: items(d)[5].update(required=True), "items[5].required: a calculate item is never"),
    (
        "calculate with relevant",
        lambda d: items(d)[5].update(relevant={"expression": "1"}),
        "items[5].relevant: a calculate item is never shown, so it has no relevant",
    ),
    (
        "structured condition on a calculate",
        lambda d: items(d)[7].update(relevant={"item": "doubled", "gt": 20}),
        "items[7].relevant.item: item 'doubled' is a calculate item; compare its value in an expression",
    ),
    ("question without text", lambda d: items(d)[7].pop("text"), "items[7]: missing required key 'text'"),
    (
        "self outside a constraint",
        lambda d: items(d)[7].update(relevant={"expression": ". = 1"}),
        "items[7].relevant.expression: '.' at character 1: the item's own answer can only be used in a constraint",
    ),
    (
        "choice filter on a text item",
        lambda d: items(d)[7].update(choice_filter="1"),
        "items[7].choice_filter: only choice and multi items filter options",
    ),
    (
        "choice filter on a column no option has",
        lambda d: items(d)[2].update(choice_filter="county = ${region}"),
        "items[2].choice_filter: 'county' is not a filter column of any of this item's options",
    ),
    (
        "choice filter on its own answer",
        lambda d: items(d)[2].update(choice_filter="region = ${district}"),
        "items[2].choice_filter: ${district}: an item's choice_filter cannot use its own answer",
    ),
    (
        "filter without a choice filter",
        lambda d: items(d)[2].pop("choice_filter"),
        "items[2].options: options have a filter but the item has no choice_filter",
    ),
    (
        "filter column called name",
        lambda d: items(d)[2]["options"][0].update(filter={"name": "x"}),
        "items[2].options[0].filter.name: a filter column is a name",
    ),
    (
        "filter value of the wrong kind",
        lambda d: items(d)[2]["options"][0].update(filter={"region": True}),
        "items[2].options[0].filter.region: must be a text or a number, got True",
    ),
    (
        "choice name with a space",
        lambda d: items(d)[0]["options"][0].update(value="yes please"),
        "items[0].options[0].value: must be an integer or a choice name matching [A-Za-z_][A-Za-z0-9_.-]*, got "
        "'yes please'",
    ),
    (
        "repeated choice name",
        lambda d: items(d)[2]["options"].append(
            {"value": "at_bashy", "label": text3("x"), "filter": {"region": "osh"}}
        ),
        "items[2].options[3].value: duplicate option value at_bashy",
    ),
    (
        "unknown item in a label",
        lambda d: items(d)[2].update(text=text3("District of ${regoin}")),
        "items[2].text.en: ${regoin}: unknown item 'regoin'",
    ),
    (
        "option set with filters but no filtering item",
        lambda d: d.update(option_sets={"places": [{"value": "a", "label": text3("a"), "filter": {"r": 1}}]}),
        "option_sets.places: options have a filter but no item using them has a choice_filter",
    ),
    (
        "scale over text choice names",
        lambda d: d.update(
            scales=[{"id": "s", "label": text3("s"), "items": ["consent"], "method": "sum", "range": [0, 1]}]
        ),
        "scales[0].items[0]: item 'consent' needs a number value on every option to be part of a scale",
    ),
    (
        "scale item with a text choice name even on a missing option",
        lambda d: (
            items(d).append(
                {
                    **item("q", "choice", text=text3("q")),
                    "options": [
                        {"value": 1, "label": text3("1")},
                        {"value": "refused", "label": text3("r"), "missing": True},
                    ],
                }
            )
            or d.update(scales=[{"id": "s", "label": text3("s"), "items": ["q"], "method": "sum", "range": [1, 1]}])
        ),
        "scales[0].items[0]: item 'q' needs a number value on every option to be part of a scale",
    ),
    ("min on a date", lambda d: items(d)[4].update(min=1), "items[4].min: only integer and decimal items have min"),
]


@pytest.mark.parametrize(("name", "break_definition", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_misused_key_is_refused_naming_its_path(name, break_definition, expected):
    data = copy.deepcopy(xlsform_definition())
    break_definition(data)
    errors = parse_errors(data)
    assert any(expected in error for error in errors), errors


def test_a_text_may_lack_some_listed_languages_and_ids_are_xlsform_names():
    data = xlsform_definition()
    data["items"][7].update(id="childName.first", text={"fr": "Prénom"})
    data["items"][6]["calculation"] = "concat(${doubled}, ' ', ${childName.first})"
    data["sections"][1]["id"] = "Child-1"
    data["items"][3]["section"] = "Child-1"

    parsed = parse_definition(data)

    assert dict(parsed.item("childName.first").text) == {"fr": "Prénom"}
    assert parsed.item("age").section == "Child-1"
