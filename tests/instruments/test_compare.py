from surveyapp.instruments.compare import EntryChange, compare_versions
from tests.factories import mood_instrument


def test_identical_content_has_no_changes():
    assert compare_versions(mood_instrument("1.0"), mood_instrument("1.1")).is_identical


def test_changes_are_listed_by_entry_and_field():
    old, new = mood_instrument("1.0"), mood_instrument("1.1")
    new["items"][0]["text"]["en"] = "I feel very calm."
    new["items"].pop(2)
    new["items"].append({"id": "m5", "type": "text", "text": {"ky": "a", "ru": "b", "en": "c"}})
    new["scales"][0]["missing"] = {"max_missing": 0, "rule": "refuse"}
    new["licence"] = "Other terms."
    comparison = compare_versions(old, new)
    assert comparison.changed_fields == ("licence",)
    assert comparison.entries == (
        EntryChange("items", "m3", "removed"),
        EntryChange("items", "m1", "changed", ("text",)),
        EntryChange("items", "m5", "added"),
        EntryChange("scales", "total", "changed", ("missing",)),
    )
