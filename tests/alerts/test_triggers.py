"""Which answers raised an alert: the items that make each matched rule true, worked out by hand per case."""

import pytest

from surveyapp.alerts.triggers import describe_triggers
from surveyapp.definitions.documents import parse_definition
from tests.factories import mood_instrument


@pytest.fixture(scope="module")
def definition():
    data = mood_instrument()
    data["flags"] += [
        {
            "id": "any_worry",
            "level": "non_acute",
            "reason": {"ky": "a", "ru": "a", "en": "a"},
            "when": {"any": [{"item": "worry", "equals": 1}, {"item": "m1", "equals": 0}]},
        },
        {
            "id": "low_and_worried",
            "level": "referral",
            "reason": {"ky": "b", "ru": "b", "en": "b"},
            "when": {"all": [{"scale": "total", "lte": 5}, {"item": "worry", "equals": 1}]},
        },
        {
            "id": "not_calm",
            "level": "referral",
            "reason": {"ky": "c", "ru": "c", "en": "c"},
            "when": {"not": {"item": "m1", "gte": 2}},
        },
    ]
    return parse_definition(data)


def test_a_rule_names_its_level_reason_and_the_answered_item(definition):
    [trigger] = describe_triggers(definition, ["worry_now"], {"worry": 1, "worry_now": 1}, {})
    assert trigger == {
        "rule": "worry_now",
        "level": "acute",
        "reason": dict(definition.flags[0].reason),
        "items": ["worry_now"],
    }


def test_of_an_any_only_the_parts_that_hold_are_triggers(definition):
    [trigger] = describe_triggers(definition, ["any_worry"], {"m1": 3, "worry": 1}, {})
    assert trigger["items"] == ["worry"]


def test_of_an_all_every_part_is_a_trigger_and_a_scale_brings_its_items(definition):
    [trigger] = describe_triggers(definition, ["low_and_worried"], {"m1": 0, "worry": 1}, {"total": 2.0})
    assert trigger["items"] == ["m1", "m2", "m3", "m4", "worry"]


def test_a_negated_condition_names_the_items_it_looks_at(definition):
    [trigger] = describe_triggers(definition, ["not_calm"], {"m1": 1}, {})
    assert trigger["items"] == ["m1"]


def test_rules_are_described_in_the_order_given(definition):
    triggers = describe_triggers(definition, ["worry_now", "worry"], {"worry": 1, "worry_now": 1}, {})
    assert [t["rule"] for t in triggers] == ["worry_now", "worry"]
