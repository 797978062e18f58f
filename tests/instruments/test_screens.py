"""Kiosk screens: `questions_per_screen` questions at a time, a note with the question after it."""

import pytest

from surveyapp.definitions.documents import parse_definition
from surveyapp.definitions.screens import screens, sections_opened
from tests.definition_builders import choice, definition, item, text

ITEMS = [
    item("intro", "note"),
    choice("q1"),
    choice("q2"),
    item("part2", "note"),
    choice("q3"),
    item("text1", "text"),
    item("thanks", "note"),
]


def screen_ids(**extra) -> list[list[str]]:
    return [[shown.id for shown in screen] for screen in screens(parse_definition(definition(ITEMS, **extra)))]


def test_a_child_sees_one_question_per_screen_with_the_notes_before_it():
    assert screen_ids() == [["intro", "q1"], ["q2"], ["part2", "q3"], ["text1", "thanks"]]


def test_questions_per_screen_groups_that_many_questions():
    assert screen_ids(questions_per_screen=2) == [["intro", "q1", "q2"], ["part2", "q3", "text1", "thanks"]]
    assert screen_ids(questions_per_screen=3) == [["intro", "q1", "q2", "part2", "q3"], ["text1", "thanks"]]


@pytest.mark.parametrize("extra", [{"respondent_kind": "staff"}, {"questions_per_screen": 4}])
def test_all_questions_on_one_screen(extra):
    assert screen_ids(**extra) == [["intro", "q1", "q2", "part2", "q3", "text1", "thanks"]]


def test_notes_alone_make_one_screen():
    only_notes = parse_definition(definition([item("a", "note"), item("b", "note")]))
    assert [[shown.id for shown in screen] for screen in screens(only_notes)] == [["a", "b"]]


def test_a_group_title_comes_with_the_first_shown_question_of_the_group_outer_groups_first():
    """XLSForm groups in groups: household > child, then back in household, then a group that starts with a
    calculate (never shown), then no group at all."""
    nested = definition(
        [
            choice("before"),
            choice("head", section="household"),
            choice("age", section="child"),
            choice("school", section="child"),
            choice("rooms", section="household"),
            item("score", "calculate", calculation="${rooms} + 1", section="feelings"),
            choice("mood", section="feelings"),
            choice("after"),
        ],
        sections=[
            {"id": "household", "title": text("Household")},
            {"id": "child", "title": text("The child"), "parent": "household"},
            {"id": "feelings", "title": text("Feelings")},
        ],
    )
    opened = sections_opened(parse_definition(nested))
    assert {item_id: [section.id for section in sections] for item_id, sections in opened.items()} == {
        "head": ["household"],
        "age": ["child"],
        "mood": ["feelings"],
    }


def test_a_question_that_opens_two_groups_at_once_shows_both_titles_outer_first():
    nested = definition(
        [choice("age", section="child")],
        sections=[
            {"id": "household", "title": text("Household")},
            {"id": "child", "title": text("The child"), "parent": "household"},
        ],
    )
    assert [section.id for section in sections_opened(parse_definition(nested))["age"]] == ["household", "child"]
