"""Turning a posted HTML form into answers (item id -> value) as FORMAT.md defines them."""
from collections.abc import Callable

from surveyapp.instruments.definition import InstrumentDefinition, Item
from surveyapp.scoring.conditions import is_relevant


def answers_from_form(definition: InstrumentDefinition, form) -> dict:
    """Read every answerable item; answers to items that are not relevant are dropped, as in XLSForm."""
    answers = {}
    for item in definition.answerable_items:
        value = _read(item, form)
        if value is not None:
            answers[item.id] = value
    return {item_id: value for item_id, value in answers.items()
            if is_relevant(definition.item(item_id), answers)}


def _read(item: Item, form):
    if item.type == "multi":
        values = [_number(int, raw) for raw in form.getlist(item.id)]
        return values or None
    raw = form.get(item.id, "").strip()
    if raw == "":
        return None
    if item.type in ("choice", "integer"):
        return _number(int, raw)
    if item.type == "decimal":
        return _number(float, raw.replace(",", "."))
    return raw


def _number(parse: Callable, raw: str):
    """A number when the text is one; otherwise the text, which validation then reports as invalid."""
    try:
        return parse(raw)
    except ValueError:
        return raw
