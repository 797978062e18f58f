"""Grouping an instrument's items into kiosk screens (FORMAT.md, `questions_per_screen`). Pure: no Flask."""

from __future__ import annotations

from .model import InstrumentDefinition, Item, Section


def screens(definition: InstrumentDefinition) -> list[list[Item]]:
    """The items screen by screen, in order: `questions_per_screen` questions each (all on one screen when it is
    None). A note is shown with the question after it; notes after the last question end the last screen.
    Calculate items are never shown, so they are on no screen."""
    per_screen = definition.questions_per_screen
    grouped: list[list[Item]] = []
    current: list[Item] = []
    notes: list[Item] = []  # waiting for the question they introduce
    questions = 0
    for item in definition.items:
        if item.is_calculated:
            continue
        if not item.is_answerable:
            notes.append(item)
            continue
        if per_screen is not None and questions == per_screen:
            grouped.append(current)
            current, questions = [], 0
        current += [*notes, item]
        notes, questions = [], questions + 1
    grouped.append(current + notes)
    return grouped


def sections_opened(definition: InstrumentDefinition) -> dict[str, tuple[Section, ...]]:
    """Item id -> the sections (groups) that begin at this item, outermost first, so that the kiosk shows their
    titles with it. A calculate item is never shown: a section opens at its first item that is."""
    opened: dict[str, tuple[Section, ...]] = {}
    previous: tuple[Section, ...] = ()
    for item in definition.items:
        if item.is_calculated:
            continue
        chain = definition.enclosing_sections(item.section)
        shared = 0
        while shared < min(len(previous), len(chain)) and previous[shared] == chain[shared]:
            shared += 1
        if chain[shared:]:
            opened[item.id] = chain[shared:]
        previous = chain
    return opened
