"""Reading single fields of a definition, reporting each problem with its path.

Every reader takes `(value, path)`, reports problems and returns its best effort (often None), so that one
pass finds every problem in a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard, TypeVar

from . import expressions
from .model import Text, is_int, is_number
from .problems import Problems, join

T = TypeVar("T")
Reader = Callable[[Any, str], T]

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
NAME_PATTERN = re.compile(expressions.NAME_PATTERN)
"""Item and section ids, choice names, filter columns and metadata names: XLSForm (XML) names."""
VERSION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")


class FieldReaders:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.languages: tuple[str, ...] = ()
        """The definition's languages, which every text must carry."""

    def get(self, raw: Mapping, path: str, key: str, read: Reader[object], default: Any = None) -> Any:
        """The value read, or `default` when the key is absent. Typed Any: a reader returns None for a value
        with a problem, but a definition with any problem is never returned (parse_definition raises), so
        the model is typed with the valid values only."""
        return read(raw[key], join(path, key)) if key in raw else default

    def mapping(
        self, raw: object, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> TypeGuard[Mapping[str, Any]]:
        if not isinstance(raw, Mapping):
            self.problems.add(path, "must be a mapping")
            return False
        for key in required:
            if key not in raw:
                self.problems.add(path, f"missing required key '{key}'")
        for key in raw:
            if key not in required and key not in optional:
                self.problems.add(path, f"unknown key {key!r}")
        return True

    def list_of(self, read: Reader[T | None], non_empty: bool = False) -> Reader[tuple[T, ...]]:
        def read_list(value: object, path: str) -> tuple[T, ...]:
            if not isinstance(value, list) or (non_empty and not value):
                self.problems.add(path, "must be a non-empty list" if non_empty else "must be a list")
                return ()
            parsed = (read(element, f"{path}[{index}]") for index, element in enumerate(value))
            return tuple(element for element in parsed if element is not None)

        return read_list

    def one_of(self, choices: tuple[str, ...]) -> Reader[str | None]:
        def read_choice(value: object, path: str) -> str | None:
            if value in choices:
                return value
            self.problems.add(path, f"must be one of {', '.join(choices)}, got {value!r}")
            return None

        return read_choice

    def identifier(self, value: object, path: str) -> str | None:
        if isinstance(value, str) and ID_PATTERN.fullmatch(value):
            return value
        self.problems.add(path, f"must be an id matching [a-z][a-z0-9_]*, got {value!r}")
        return None

    def new_id(self, raw: Mapping, path: str, seen: set[str], kind: str, read: Reader[str | None] | None = None) -> Any:
        """The id (read by `identifier` unless told), or None with a problem (typed Any as at `get`)."""
        identifier = self.get(raw, path, "id", read or self.identifier)
        if identifier is not None and identifier in seen:
            self.problems.add(join(path, "id"), f"duplicate {kind} id '{identifier}'")
        elif identifier is not None:
            seen.add(identifier)
        return identifier

    def xlsform_name(self, value: object, path: str) -> str | None:
        """An item's or section's id: an XLSForm name as the form wrote it (`Q1`, `childAge`, `q1.2`)."""
        if isinstance(value, str) and NAME_PATTERN.fullmatch(value):
            return value
        self.problems.add(path, f"must be a name matching {NAME_PATTERN.pattern}, got {value!r}")
        return None

    def version(self, value: object, path: str) -> str | None:
        if isinstance(value, str) and VERSION_PATTERN.fullmatch(value):
            return value
        self.problems.add(path, f'must be a version string such as "1.0" (quoted in YAML), got {value!r}')
        return None

    def non_empty_string(self, value: object, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.problems.add(path, f"must be a non-empty string, got {value!r}")
        return None

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.problems.add(path, f"must be true or false, got {value!r}")
        return value is True

    def integer(self, value: object, path: str) -> int | None:
        if is_int(value):
            return value
        self.problems.add(path, f"must be an integer, got {value!r}")
        return None

    def positive_integer(self, value: object, path: str) -> int | None:
        if is_int(value) and value > 0:
            return value
        self.problems.add(path, f"must be a whole number greater than 0, got {value!r}")
        return None

    def number(self, value: object, path: str) -> int | float | None:
        if is_number(value):
            return value
        self.problems.add(path, f"must be a number, got {value!r}")
        return None

    def positive_number(self, value: object, path: str) -> int | float | None:
        if is_number(value) and value > 0:
            return value
        self.problems.add(path, f"must be a number greater than 0, got {value!r}")
        return None

    def text(self, value: object, path: str) -> Text:
        """A text in at least one of the listed languages, each present one non-empty: forms often lack a
        translation here and there; a missing one is shown in another language (`local_text`)."""
        if not isinstance(value, Mapping):
            self.problems.add(path, "must be a map of language -> text")
            return Text({})
        for language in value:
            if language not in self.languages:
                self.problems.add(path, f"language {language!r} is not listed in languages")
        present = [language for language in self.languages if language in value]
        if not present:
            self.problems.add(path, "needs a text in at least one of the listed languages")
        for language in present:
            string = value.get(language)
            if not isinstance(string, str) or not string.strip():
                self.problems.add(join(path, language), "missing or empty text")
        return Text(value)
