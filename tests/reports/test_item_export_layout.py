"""The variables of an item-level file (pure): names SPSS and Stata accept, each taken once, and the row of a
submission whatever it left unanswered. Expected names and cells are written from the instrument below."""

import copy
from datetime import date

from surveyapp.definitions.documents import parse_definition
from surveyapp.reports.item_export import META, Wording, layout, row
from tests.reports.test_item_export import COMMENT, HABITS

WORDING = Wording({name: name.title() for name in META}, "chosen", "not chosen")
LONG_ID = "how_often_do_you_sleep_well_in_a_week_at_home"  # 45 characters: Stata takes 32


def clashing_instrument():
    data = copy.deepcopy(HABITS)
    data["items"][1]["id"] = "date"
    data["items"][2]["options"][0]["value"] = -1
    data["items"][3]["id"] = LONG_ID
    data["items"].append({"id": LONG_ID + "_too", "type": "integer", "text": HABITS["items"][3]["text"]})
    data["scales"][0]["items"] = ["date", LONG_ID]
    return parse_definition(data)


def test_every_name_is_taken_once_and_fits_stata():
    names = layout(clashing_instrument(), "en", WORDING).names
    assert names == (
        "pseudonym",
        "session",
        "wave",
        "territory",
        "date",
        "language",
        "date_2",
        "sports_m1",
        "sports_2",
        "sports_3",
        "how_often_do_you_sleep_well_in_a",
        "comment",
        "how_often_do_you_sleep_well_in_2",
        "score_sleep",
    )


def test_a_row_leaves_unanswered_items_empty_and_a_multi_empty_when_not_answered():
    the_layout = layout(clashing_instrument(), "en", WORDING)
    meta = ("P-1", "Session (2026-11-20)", "baseline", None, date(2026, 11, 20), "ky")
    assert row(the_layout, meta, {"date": 2, "sports": [-1, 3]}, {"sleep": 4.0}) == meta + (
        2,
        1,
        0,
        1,
        None,
        None,
        None,
        4.0,
    )
    assert row(the_layout, meta, {LONG_ID: 6}, {}) == meta + (None, None, None, None, 6, None, None, None)


def test_labels_fall_back_to_russian_when_the_language_is_missing():
    data = copy.deepcopy(HABITS)
    data["languages"] = ["ky", "ru"]
    data["translation_status"] = {"ky": "draft", "ru": "original"}
    for part in [
        data["title"],
        *(item["text"] for item in data["items"]),
        data["scales"][0]["label"],
        *(option["label"] for item in data["items"] for option in item.get("options", [])),
    ]:
        part.pop("en")
    variables = {v.name: v for v in layout(parse_definition(data), "en", WORDING).variables}
    assert variables["sleep"].label == "Как ты спишь?"
    assert variables["sleep"].value_labels == {1: "Хорошо", 2: "Плохо", 9: "Не хочу отвечать"}
    assert variables["sleep"].missing_values == (9,)


def test_reserved_words_and_dots_in_choice_names_make_names_stata_and_spss_take():
    """`in` is reserved in Stata, `to` in SPSS; `.` and `-` are in neither's names (a choice name may have them)."""
    data = copy.deepcopy(HABITS)
    data["items"][1]["id"], data["items"][3]["id"] = "in", "to"
    data["items"][2]["options"] = [
        {"value": "wild.berry", "label": _in_all("Wild berries")},
        {"value": "wild-berry", "label": _in_all("Wild berries again")},
    ]
    data["scales"][0]["items"] = ["in", "to"]
    names = layout(parse_definition(data), "en", WORDING).names
    assert names[6:11] == ("in_", "sports_wild_berry", "sports_wild_berry_2", "to_", "comment")


def test_text_choice_names_are_numbered_after_the_largest_number_of_the_item():
    data = copy.deepcopy(HABITS)
    data["items"][1]["options"].insert(1, {"value": "other", "label": _in_all("Other")})
    data["scales"] = []  # a scale's items need numbers
    data["items"][4] = {
        "id": "comment",
        "type": "choice",
        "text": COMMENT,
        "options": [{"value": "yes", "label": _in_all("Yes")}, {"value": "no", "label": _in_all("No")}],
    }
    variables = {v.name: v for v in layout(parse_definition(data), "en", WORDING).variables}
    assert variables["sleep"].codes == {"other": 10}  # after 1, 2 and 9
    assert variables["comment"].codes == {"yes": 1, "no": 2}
    assert variables["hours"].codes == {}


def _in_all(text: str) -> dict[str, str]:
    return {"ky": text, "ru": text, "en": text}
