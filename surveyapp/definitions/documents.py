"""Instrument definitions: parsing, checking, canonical form and loading (the contract is FORMAT.md).

This module is the public entry point; the model lives in `model.py`, the checks in `parsing.py`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from .model import (
    FLAG_LEVELS,
    AllOf,
    AnyOf,
    Band,
    Condition,
    ExpressionCondition,
    FlagRule,
    InstrumentDefinition,
    Item,
    ItemCondition,
    Metadata,
    MissingRule,
    Not,
    Option,
    Scale,
    ScaleCondition,
    Section,
    Text,
)
from .parsing import computed_range, parse_definition
from .problems import DefinitionError

__all__ = [
    "FLAG_LEVELS",
    "AllOf",
    "AnyOf",
    "Band",
    "Condition",
    "DefinitionError",
    "ExpressionCondition",
    "FlagRule",
    "InstrumentDefinition",
    "Item",
    "ItemCondition",
    "Metadata",
    "MissingRule",
    "Not",
    "Option",
    "Scale",
    "ScaleCondition",
    "Section",
    "Text",
    "canonical_json",
    "computed_range",
    "content_hash",
    "load_definition_file",
    "parse_definition",
]


def canonical_json(data: Any) -> str:
    """The stored form of a definition: sorted keys, compact, non-ASCII kept as is."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def load_definition_file(path: str | Path) -> tuple[dict, InstrumentDefinition]:
    """Read and check a definition file; the file must be named `<id>-<version>.yaml`."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        raise DefinitionError([f"{path.name}: not valid YAML: {error}"]) from error
    definition = parse_definition(data)
    if path.name != f"{definition.key}.yaml":
        raise DefinitionError([f"{path.name}: the file must be named '{definition.key}.yaml'"])
    return data, definition


class _StrictSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key repeated in one mapping is an error, not silently overwritten."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
