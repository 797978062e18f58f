import copy
import hashlib
from collections.abc import Callable

import pytest
import yaml

from surveyapp.definitions.documents import (
    DefinitionError,
    ItemCondition,
    MissingRule,
    ScaleCondition,
    canonical_json,
    content_hash,
    load_definition_file,
    parse_definition,
)
from tests.definition_builders import band, choice, definition, flag, item, options, scale, text

OPERATORS = "equals, not_equals, in, gte, lte, gt, lt, contains, answered"
COMPARISONS = "equals, not_equals, in, gte, lte, gt, lt"


def full_definition() -> dict:
    """A valid definition using every part of the format; the cases below each break one thing."""
    return definition(
        staff_notes=text("Read each question aloud if asked."),
        administration="self",
        questions_per_screen=2,
        option_sets={"agree4": options(1, 2, 3, 4, 9, missing=(9,))},  # 9 = "prefer not to say"
        sections=[{"id": "mood", "title": text("Mood")}],
        items=[
            item("intro", "note"),  # items[0]
            choice("q1", options="agree4", section="mood", required=True),  # items[1]
            choice(
                "q2", options="agree4", reverse=True, relevant={"item": "q1", "gte": 2}, if_not_relevant="keep"
            ),  # items[2]
            choice("q3", values=(0, 1), correct=1),  # items[3]
            item("age", "integer", min=5, max=18),  # items[4]
            item("topics", "multi", options=options(1, 2, 3)),  # items[5]
            item("comment", "text"),  # items[6]
        ],
        scales=[
            # q1 and q2 score 1..4 each (9 is missing, reverse keeps the range): sum 2..8
            scale(
                "mood",
                ["q1", "q2"],
                [2, 8],
                missing={"max_missing": 1, "rule": "prorate"},
                bands=[band("low", 4), band("high")],
                band_source="A convention of the programme",
            ),
            scale("knowledge", ["q3"], [0, 100], method="percent_correct"),
        ],
        flags=[
            flag("low_mood", "referral", {"scale": "mood", "lte": 3}),
            flag("young_and_worried", "acute", {"all": [{"item": "age", "lt": 7}, {"item": "topics", "contains": 2}]}),
        ],
    )


def parse_errors(data: dict) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data)
    return raised.value.messages


def test_full_definition_parses_into_the_model():
    parsed = parse_definition(full_definition())

    assert parsed.key == "demo-1.0"
    assert parsed.title["ru"] == "Demo questionnaire (ru)"
    assert [item.id for item in parsed.answerable_items] == ["q1", "q2", "q3", "age", "topics", "comment"]
    assert parsed.item("q1").option_set == "agree4"
    assert parsed.item("q1").scored_option_values == (1, 2, 3, 4)
    assert parsed.item("q1").option(9).missing is True
    assert parsed.item("q2").relevant == ItemCondition("q1", "gte", 2)
    assert (parsed.item("q2").if_not_relevant, parsed.item("q1").if_not_relevant) == ("keep", "refuse")
    assert parsed.staff_notes["en"] == "Read each question aloud if asked."
    assert (parsed.administration, parsed.questions_per_screen) == ("self", 2)
    assert [item.id for item in parsed.items_in_section("mood")] == ["q1"]
    assert parsed.scale("mood").missing == MissingRule(max_missing=1, rule="prorate")
    assert parsed.scale("knowledge").missing == MissingRule(max_missing=0, rule="refuse")
    assert [b.code for b in parsed.scale("mood").bands] == ["low", "high"]
    assert parsed.flags[0].when == ScaleCondition("mood", "lte", 3)


@pytest.mark.parametrize(("respondent_kind", "expected"), [("child", 1), ("staff", None), ("parent", None)])
def test_children_get_one_question_per_screen_unless_the_file_says_otherwise(respondent_kind, expected):
    parsed = parse_definition(definition(respondent_kind=respondent_kind))
    assert (parsed.questions_per_screen, parsed.administration, parsed.staff_notes) == (expected, "self", None)


def test_unknown_item_or_scale_lookup_raises_key_error():
    parsed = parse_definition(full_definition())
    with pytest.raises(KeyError):
        parsed.item("q99")
    with pytest.raises(KeyError):
        parsed.scale("q1")


def test_several_problems_are_reported_together():
    data = full_definition()
    data["version"] = 1.0
    data["items"][1]["options"] = "agree5"
    data["items"][2]["relevant"] = {"item": "q9", "equals": 1}
    data["scales"][0]["bands"] = [band("high"), band("low", 4)]

    assert parse_errors(data) == [
        'version: must be a version string such as "1.0" (quoted in YAML), got 1.0',
        "items[1].options: unknown option set 'agree5'",
        "items[2].relevant.item: unknown item 'q9'",
        "scales[0].bands[0]: missing required key 'max' (only the last band has no max)",
        "scales[0].bands[1].max: the last band must be open-ended (no max)",
    ]


def test_data_that_is_not_a_mapping_is_rejected():
    assert parse_errors(["id", "demo"]) == ["(top level): an instrument definition must be a mapping, got list"]


def test_error_message_lists_every_problem():
    data = full_definition()
    data["id"] = "Demo"
    data.pop("licence")
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data)
    assert str(raised.value) == (
        "2 problem(s) in instrument definition:\n"
        "- (top level): missing required key 'licence'\n"
        "- id: must be an id matching [a-z][a-z0-9_]*, got 'Demo'"
    )


Mutation = Callable[[dict], object]

BROKEN_DEFINITIONS: list[tuple[str, Mutation, str]] = [
    # top level
    ("id pattern", lambda d: d.update(id="RSES"), "id: must be an id matching [a-z][a-z0-9_]*, got 'RSES'"),
    (
        "version is a YAML float",
        lambda d: d.update(version=1.0),
        'version: must be a version string such as "1.0" (quoted in YAML), got 1.0',
    ),
    (
        "respondent kind",
        lambda d: d.update(respondent_kind="teacher"),
        "respondent_kind: must be one of child, staff, parent, got 'teacher'",
    ),
    ("required key missing", lambda d: d.pop("licence"), "(top level): missing required key 'licence'"),
    ("unknown key", lambda d: d.update(author="x"), "(top level): unknown key 'author'"),
    (
        "not a language tag",
        lambda d: d["languages"].append("German"),
        "languages[2]: 'German' is not a language tag such as ky, ru, en, fr or und",
    ),
    ("language listed twice", lambda d: d["languages"].append("en"), "languages[2]: language 'en' is listed twice"),
    ("empty source", lambda d: d.update(source=" "), "source: must be a non-empty string, got ' '"),
    ("items empty", lambda d: d.update(items=[]), "items: must be a non-empty list"),
    (
        "staff administration",
        lambda d: d.update(administration="staff"),
        "administration: 'staff' (a trainer or psychologist unlocks the tablet and asks the questions) is not "
        "supported by the kiosk yet; use 'self'",
    ),
    (
        "unknown administration",
        lambda d: d.update(administration="interview"),
        "administration: must be one of self, staff, got 'interview'",
    ),
    (
        "staff notes not a text",
        lambda d: d.update(staff_notes="Read aloud"),
        "staff_notes: must be a map of language -> text",
    ),
    (
        "no questions per screen",
        lambda d: d.update(questions_per_screen=0),
        "questions_per_screen: must be a whole number greater than 0, got 0",
    ),
    (
        "fractional questions per screen",
        lambda d: d.update(questions_per_screen=1.5),
        "questions_per_screen: must be a whole number greater than 0, got 1.5",
    ),
    (
        "questions per screen a bool",
        lambda d: d.update(questions_per_screen=True),
        "questions_per_screen: must be a whole number greater than 0, got True",
    ),
    # texts
    (
        "text in no listed language",
        lambda d: d.update(title={}),
        "title: needs a text in at least one of the listed languages",
    ),
    ("empty text", lambda d: d["title"].update(ru=""), "title.ru: missing or empty text"),
    ("blank text", lambda d: d["items"][1]["text"].update(en="  "), "items[1].text.en: missing or empty text"),
    (
        "text in an unlisted language",
        lambda d: d["title"].update(ky="Сурамжылоо"),
        "title: language 'ky' is not listed in languages",
    ),
    (
        "text not a map",
        lambda d: d["sections"][0].update(title="Mood"),
        "sections[0].title: must be a map of language -> text",
    ),
    # translation status
    (
        "translation status value",
        lambda d: d["translation_status"].update(ru="final"),
        "translation_status.ru: must be one of original, draft, reviewed, back-translated, got 'final'",
    ),
    (
        "translation status lacks a language",
        lambda d: d["translation_status"].pop("ru"),
        "translation_status: missing status for language 'ru'",
    ),
    (
        "translation status for an unlisted language",
        lambda d: d["translation_status"].update(ky="draft"),
        "translation_status: language 'ky' is not listed in languages",
    ),
    # ids
    ("duplicate item id", lambda d: d["items"][6].update(id="q1"), "items[6].id: duplicate item id 'q1'"),
    (
        "duplicate section id",
        lambda d: d["sections"].append({"id": "mood", "title": text("x")}),
        "sections[1].id: duplicate section id 'mood'",
    ),
    ("duplicate scale id", lambda d: d["scales"][1].update(id="mood"), "scales[1].id: duplicate scale id 'mood'"),
    ("duplicate flag id", lambda d: d["flags"][1].update(id="low_mood"), "flags[1].id: duplicate flag id 'low_mood'"),
    (
        "option set name",
        lambda d: d["option_sets"].update(Agree=options(1)),
        "option_sets.Agree: an option set name must be an id matching [a-z][a-z0-9_]*",
    ),
    # items
    ("unknown item key", lambda d: d["items"][2].update(reverse_keyed=True), "items[2]: unknown key 'reverse_keyed'"),
    (
        "unknown item type",
        lambda d: d["items"][6].update(type="essay"),
        "items[6].type: must be one of choice, multi, integer, decimal, text, date, note, calculate, got 'essay'",
    ),
    (
        "required not a bool",
        lambda d: d["items"][1].update(required="yes"),
        "items[1].required: must be true or false, got 'yes'",
    ),
    (
        "required note",
        lambda d: d["items"][0].update(required=True),
        "items[0].required: a note is never answered, so it cannot be required",
    ),
    ("unknown section", lambda d: d["items"][1].update(section="sleep"), "items[1].section: unknown section 'sleep'"),
    (
        "if_not_relevant without relevant",
        lambda d: d["items"][1].update(if_not_relevant="keep"),
        "items[1].if_not_relevant: only an item with a 'relevant' condition can be answered when it does not apply",
    ),
    (
        "if_not_relevant refuse without relevant",
        lambda d: d["items"][6].update(if_not_relevant="refuse"),
        "items[6].if_not_relevant: only an item with a 'relevant' condition can be answered when it does not apply",
    ),
    (
        "if_not_relevant on a note",
        lambda d: d["items"][0].update(if_not_relevant="keep"),
        "items[0].if_not_relevant: a note is never answered",
    ),
    (
        "unknown if_not_relevant",
        lambda d: d["items"][2].update(if_not_relevant="drop"),
        "items[2].if_not_relevant: must be one of refuse, keep, got 'drop'",
    ),
    # options
    (
        "unknown option set",
        lambda d: d["items"][1].update(options="agree5"),
        "items[1].options: unknown option set 'agree5'",
    ),
    (
        "options on an integer item",
        lambda d: d["items"][4].update(options="agree4"),
        "items[4].options: only choice and multi items have options",
    ),
    ("choice without options", lambda d: d["items"][3].pop("options"), "items[3].options: required for choice items"),
    (
        "empty option list",
        lambda d: d["items"][5].update(options=[]),
        "items[5].options: must be a non-empty list of options",
    ),
    (
        "duplicate option value",
        lambda d: d["items"][5]["options"].append(options(2)[0]),
        "items[5].options[3].value: duplicate option value 2",
    ),
    (
        "bool option value",
        lambda d: d["option_sets"]["agree4"][0].update(value=True),
        "option_sets.agree4[0].value: must be an integer or a choice name matching [A-Za-z_][A-Za-z0-9_.-]*, got True",
    ),
    (
        "fractional option value",
        lambda d: d["items"][5]["options"][0].update(value=1.5),
        "items[5].options[0].value: must be an integer or a choice name matching [A-Za-z_][A-Za-z0-9_.-]*, got 1.5",
    ),
    (
        "every option missing",
        lambda d: d["items"][5].update(options=options(8, 9, missing=(8, 9))),
        "items[5].options: needs at least one option that is not marked missing",
    ),
    # reverse, correct, min/max
    (
        "reverse on an integer item",
        lambda d: d["items"][4].update(reverse=True),
        "items[4].reverse: reverse keying is only allowed on choice items",
    ),
    (
        "correct is not an option",
        lambda d: d["items"][3].update(correct=2),
        "items[3].correct: 2 is not the value of one of this item's (non-missing) options",
    ),
    (
        "correct is a missing option",
        lambda d: d["items"][1].update(correct=9),
        "items[1].correct: 9 is not the value of one of this item's (non-missing) options",
    ),
    (
        "correct on an integer item",
        lambda d: d["items"][4].update(correct=6),
        "items[4].correct: only choice items can have a correct answer",
    ),
    ("min above max", lambda d: d["items"][4].update(min=20), "items[4]: min 20 is greater than max 18"),
    (
        "min on a choice item",
        lambda d: d["items"][3].update(min=0),
        "items[3].min: only integer and decimal items have min and max",
    ),
    (
        "fractional max on an integer item",
        lambda d: d["items"][4].update(max=18.5),
        "items[4].max: must be a whole number for an integer item, got 18.5",
    ),
    # relevant conditions
    (
        "relevant on a later item",
        lambda d: d["items"][1].update(relevant={"item": "q2", "equals": 1}),
        "items[1].relevant.item: 'q2' is not an earlier item; a condition may only refer to earlier items",
    ),
    (
        "relevant on itself",
        lambda d: d["items"][2].update(relevant={"item": "q2", "answered": True}),
        "items[2].relevant.item: 'q2' is not an earlier item; a condition may only refer to earlier items",
    ),
    (
        "relevant on an unknown item",
        lambda d: d["items"][2].update(relevant={"item": "q9", "equals": 1}),
        "items[2].relevant.item: unknown item 'q9'",
    ),
    (
        "relevant on a scale",
        lambda d: d["items"][2].update(relevant={"scale": "mood", "gte": 1}),
        "items[2].relevant.scale: scale conditions are only allowed in flags",
    ),
    (
        "relevant on a note",
        lambda d: d["items"][2].update(relevant={"item": "intro", "answered": True}),
        "items[2].relevant.item: item 'intro' is a note and is never answered",
    ),
    (
        "unknown operator",
        lambda d: d["items"][2].update(relevant={"item": "q1", "above": 2}),
        f"items[2].relevant: unknown operator 'above'; use one of: {OPERATORS}",
    ),
    (
        "two operators",
        lambda d: d["items"][2].update(relevant={"item": "q1", "gte": 2, "lte": 3}),
        f"items[2].relevant: must have exactly one operator, one of: {OPERATORS}",
    ),
    (
        "neither item nor scale",
        lambda d: d["items"][2].update(relevant={"equals": 2}),
        "items[2].relevant: must name exactly one of 'item' or 'scale'",
    ),
    (
        "contains on a choice item",
        lambda d: d["items"][2].update(relevant={"item": "q1", "contains": 2}),
        f"items[2].relevant.contains: cannot be used on choice item 'q1'; use one of: {COMPARISONS}, answered",
    ),
    (
        "gte on a multi item",
        lambda d: d["items"][6].update(relevant={"item": "topics", "gte": 2}),
        "items[6].relevant.gte: cannot be used on multi item 'topics'; use one of: contains, answered",
    ),
    (
        "equals a value that is not an option",
        lambda d: d["items"][2].update(relevant={"item": "q1", "equals": 5}),
        "items[2].relevant.equals: item 'q1' has no option with value 5",
    ),
    (
        "in values that are not options",
        lambda d: d["items"][2].update(relevant={"item": "q1", "in": [1, 5]}),
        "items[2].relevant.in: item 'q1' has no option with value 5",
    ),
    (
        "string operand",
        lambda d: d["items"][2].update(relevant={"item": "q1", "equals": "2"}),
        "items[2].relevant.equals: must be a number, got '2'",
    ),
    (
        "empty in list",
        lambda d: d["items"][2].update(relevant={"item": "q1", "in": []}),
        "items[2].relevant.in: must be a non-empty list of numbers, got []",
    ),
    (
        "answered not a bool",
        lambda d: d["items"][2].update(relevant={"item": "q1", "answered": 1}),
        "items[2].relevant.answered: must be true or false, got 1",
    ),
    (
        "empty any",
        lambda d: d["items"][2].update(relevant={"any": []}),
        "items[2].relevant.any: must be a non-empty list of conditions",
    ),
    (
        "combination with another key",
        lambda d: d["items"][2].update(relevant={"not": {"item": "q1", "equals": 1}, "item": "q1"}),
        "items[2].relevant: 'not' must be the only key of its condition",
    ),
    (
        "nested bad condition",
        lambda d: d["items"][2].update(relevant={"not": {"any": [{"item": "q1", "equals": 1}, "q1"]}}),
        "items[2].relevant.not.any[1]: must be a condition (a non-empty mapping)",
    ),
    # scales
    ("unknown scale key", lambda d: d["scales"][0].update(weights=[1, 2]), "scales[0]: unknown key 'weights'"),
    (
        "scale of an unknown item",
        lambda d: d["scales"][0]["items"].append("q7"),
        "scales[0].items[2]: unknown item 'q7'",
    ),
    (
        "scale of a text item",
        lambda d: d["scales"][0].update(items=["q1", "comment"]),
        "scales[0].items[1]: item 'comment' is a text item; scales take choice, integer or decimal items",
    ),
    (
        "scale of a multi item",
        lambda d: d["scales"][0].update(items=["q1", "topics"]),
        "scales[0].items[1]: item 'topics' is a multi item; scales take choice, integer or decimal items",
    ),
    (
        "scale lists an item twice",
        lambda d: d["scales"][0].update(items=["q1", "q1"]),
        "scales[0].items[1]: item 'q1' is listed twice",
    ),
    (
        "percent_correct item without correct",
        lambda d: d["scales"][1].update(items=["q3", "q1"]),
        "scales[1].items[1]: item 'q1' needs a correct answer for method percent_correct",
    ),
    (
        "integer scale item without max",
        lambda d: (d["items"][4].pop("max"), d["scales"][0]["items"].append("age")),
        "scales[0].items[2]: item 'age' needs min and max to be part of a scale",
    ),
    (
        "unknown method",
        lambda d: d["scales"][0].update(method="median"),
        "scales[0].method: must be one of sum, mean, percent_correct, got 'median'",
    ),
    (
        "declared range differs",
        lambda d: d["scales"][0].update(range=[0, 8]),
        "scales[0].range: declared [0, 8] but the items give [2, 8]",
    ),
    (
        "range reversed",
        lambda d: d["scales"][0].update(range=[8, 2]),
        "scales[0].range: must be [min, max] with min <= max, got [8, 2]",
    ),
    (
        "refuse tolerating missing items",
        lambda d: d["scales"][0].update(missing={"max_missing": 1, "rule": "refuse"}),
        "scales[0].missing: rule 'refuse' tolerates no missing item, so max_missing must be 0",
    ),
    (
        "max_missing of every item",
        lambda d: d["scales"][0].update(missing={"max_missing": 2, "rule": "prorate"}),
        "scales[0].missing.max_missing: must be from 0 to 1 (fewer than the items)",
    ),
    (
        "unknown missing rule",
        lambda d: d["scales"][0].update(missing={"max_missing": 1, "rule": "impute"}),
        "scales[0].missing.rule: must be one of prorate, refuse, zero, got 'impute'",
    ),
    (
        "multiply by zero",
        lambda d: d["scales"][0].update(multiply=0),
        "scales[0].multiply: must be a number greater than 0, got 0",
    ),
    # bands
    (
        "band max not increasing",
        lambda d: d["scales"][0].update(bands=[band("low", 4), band("mid", 4), band("high")]),
        "scales[0].bands[1].max: must be greater than the previous band's max 4",
    ),
    (
        "last band closed",
        lambda d: d["scales"][0].update(bands=[band("low", 4), band("high", 8)]),
        "scales[0].bands[1].max: the last band must be open-ended (no max)",
    ),
    (
        "earlier band open",
        lambda d: d["scales"][0].update(bands=[band("low"), band("high")]),
        "scales[0].bands[0]: missing required key 'max' (only the last band has no max)",
    ),
    (
        "duplicate band code",
        lambda d: d["scales"][0].update(bands=[band("low", 4), band("low")]),
        "scales[0].bands[1].code: duplicate band code 'low'",
    ),
    # flags
    (
        "unknown flag level",
        lambda d: d["flags"][0].update(level="urgent"),
        "flags[0].level: must be one of referral, non_acute, acute, got 'urgent'",
    ),
    (
        "flag level none",
        lambda d: d["flags"][0].update(level="none"),
        "flags[0].level: must be one of referral, non_acute, acute, got 'none'",
    ),
    (
        "flag on an unknown scale",
        lambda d: d["flags"][0].update(when={"scale": "anxiety", "gte": 1}),
        "flags[0].when.scale: unknown scale 'anxiety'",
    ),
    (
        "answered on a scale",
        lambda d: d["flags"][0].update(when={"scale": "mood", "answered": True}),
        f"flags[0].when.answered: cannot be used on a scale; use one of: {COMPARISONS}",
    ),
    (
        "flag contains a value that is not an option",
        lambda d: d["flags"][1]["when"]["all"][1].update(contains=5),
        "flags[1].when.all[1].contains: item 'topics' has no option with value 5",
    ),
    ("flag without reason", lambda d: d["flags"][1].pop("reason"), "flags[1]: missing required key 'reason'"),
]


@pytest.mark.parametrize(
    "break_definition, expected",
    [case[1:] for case in BROKEN_DEFINITIONS],
    ids=[case[0] for case in BROKEN_DEFINITIONS],
)
def test_broken_definition_is_rejected_with_a_message_naming_the_path(break_definition: Mutation, expected: str):
    data = full_definition()
    break_definition(data)

    assert expected in parse_errors(data)


def test_sum_range_uses_the_lowest_and_highest_non_missing_option_values():
    # q1 scores 1..4 and q2 (reverse) 1..4 -> sum [2, 8], as declared in full_definition
    assert parse_definition(full_definition()).scale("mood").range == (2, 8)


def test_mean_range_is_the_mean_of_the_item_bounds_times_multiply():
    data = full_definition()
    # q3 scores 0..1, age 5..18: mean [(0 + 5) / 2, (1 + 18) / 2] = [2.5, 9.5]; x 2 = [5, 19]
    data["scales"].append(scale("mixed", ["q3", "age"], [5, 19], method="mean", multiply=2))
    parse_definition(data)

    data["scales"][-1]["range"] = [5, 19.5]
    assert "scales[2].range: declared [5, 19.5] but the items give [5, 19]" in parse_errors(data)


def test_who5_style_range_is_the_raw_sum_times_four():
    # five items 0..5: raw 0..25, x 4 = 0..100
    items = [choice(f"w{n}", values=(0, 1, 2, 3, 4, 5)) for n in range(1, 6)]
    data = definition(items, scales=[scale("percent", [i["id"] for i in items], [0, 100], multiply=4)])
    assert parse_definition(data).scale("percent").multiply == 4


def test_flag_may_combine_item_and_scale_conditions():
    data = full_definition()
    data["flags"][0]["when"] = {"any": [{"scale": "mood", "lte": 3}, {"not": {"item": "comment", "answered": True}}]}
    parse_definition(data)


def test_canonical_json_sorts_keys_compactly_and_keeps_cyrillic():
    assert canonical_json({"b": [1, {"z": 2, "a": "Кыргыз"}], "a": None}) == '{"a":null,"b":[1,{"a":"Кыргыз","z":2}]}'


def test_content_hash_is_sha256_of_the_canonical_utf8_json():
    expected = hashlib.sha256('{"a":"ы","b":1}'.encode()).hexdigest()
    assert content_hash({"b": 1, "a": "ы"}) == expected


def test_content_hash_ignores_key_order_but_not_content():
    data = full_definition()
    reordered = dict(reversed(list(copy.deepcopy(data).items())))
    changed = copy.deepcopy(data)
    changed["items"][1]["text"]["ru"] += "."

    assert content_hash(reordered) == content_hash(data)
    assert content_hash(changed) != content_hash(data)


def test_definition_file_is_loaded_and_checked(tmp_path):
    path = tmp_path / "demo-1.0.yaml"
    path.write_text(yaml.safe_dump(full_definition(), allow_unicode=True), encoding="utf-8")

    data, parsed = load_definition_file(path)

    assert data == full_definition()
    assert parsed.key == "demo-1.0"


def test_definition_file_must_be_named_after_id_and_version(tmp_path):
    path = tmp_path / "demo-2.0.yaml"
    path.write_text(yaml.safe_dump(full_definition()), encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)
    assert raised.value.messages == ["demo-2.0.yaml: the file must be named 'demo-1.0.yaml'"]


def test_definition_file_with_a_repeated_key_is_rejected(tmp_path):
    path = tmp_path / "demo-1.0.yaml"
    path.write_text("id: demo\nversion: '1.0'\nid: other\n", encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)
    assert "found duplicate key 'id'" in raised.value.messages[0]


def test_definition_file_that_is_not_yaml_is_rejected(tmp_path):
    path = tmp_path / "demo-1.0.yaml"
    path.write_text("id: [demo\n", encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)
    assert raised.value.messages[0].startswith("demo-1.0.yaml: not valid YAML:")


def test_invalid_definition_file_reports_the_definition_problems(tmp_path):
    data = full_definition()
    data["items"][1]["options"] = "agree5"
    path = tmp_path / "demo-1.0.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)
    assert raised.value.messages == ["items[1].options: unknown option set 'agree5'"]
