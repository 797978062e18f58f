"""Turning a posted HTML form into answers (item id -> value) as FORMAT.md defines them."""

from collections.abc import Callable

from werkzeug.datastructures import MultiDict

from surveyapp.definitions.documents import InstrumentDefinition, Item


def answers_from_form(definition: InstrumentDefinition, form: MultiDict[str, str]) -> dict[str, object]:
    """Every answer the respondent gave, including answers to items that do not apply (a form sent without
    scripts shows them all): validation refuses those, or keeps them for risk items, but nothing is dropped."""
    return {item.id: value for item in definition.answerable_items if (value := _read(item, form)) is not None}


def _read(item: Item, form: MultiDict[str, str]) -> object:
    """An option's value is an int or a choice name, which never reads as a number (FORMAT.md): a posted number
    is the int, any other text stays text. A date stays the "YYYY-MM-DD" text the browser sends."""
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


def _number(parse: Callable[[str], object], raw: str) -> object:
    """A number when the text is one; otherwise the text, which validation then reports as invalid."""
    try:
        return parse(raw)
    except ValueError:
        return raw
