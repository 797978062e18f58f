"""Collecting every problem in a definition, each prefixed by the path it was found at."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A definition breaks FORMAT.md; `messages` lists every problem found."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        summary = "\n".join(f"- {message}" for message in self.messages)
        super().__init__(f"{len(self.messages)} problem(s) in instrument definition:\n{summary}")


class Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path or '(top level)'}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise DefinitionError(self.messages)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
