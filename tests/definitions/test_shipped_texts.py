"""Definitions may carry a text in only some of their languages (XLSForms often do); the shipped library does
not: every text of every shipped instrument is in every language it lists."""

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from surveyapp.definitions.documents import load_definition_file
from surveyapp.definitions.model import Text

LIBRARY = Path(__file__).parents[2] / "surveyapp" / "instruments" / "library"


def texts(node: object, path: str) -> Iterator[tuple[str, Text]]:
    if isinstance(node, Text):
        yield path, node
    elif dataclasses.is_dataclass(node):
        for field in dataclasses.fields(node):
            yield from texts(getattr(node, field.name), f"{path}.{field.name}")
    elif isinstance(node, tuple):
        for index, element in enumerate(node):
            yield from texts(element, f"{path}[{index}]")
    elif hasattr(node, "items") and not isinstance(node, str):
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}")


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_text_of_a_shipped_instrument_is_in_every_listed_language(path):
    _, definition = load_definition_file(path)
    found = list(texts(definition, definition.key))
    assert len(found) > 5
    incomplete = [where for where, text in found if set(text) != set(definition.languages)]
    assert incomplete == []
