"""Which flag rules raised an alert, and which answers made them true. Pure: no Flask, no database."""

from collections.abc import Iterable, Mapping

from surveyapp.definitions.model import (
    AllOf,
    AnyOf,
    Condition,
    InstrumentDefinition,
    ItemCondition,
    Not,
    ScaleCondition,
)
from surveyapp.scoring.conditions import evaluate


def describe_triggers(
    definition: InstrumentDefinition,
    rule_ids: Iterable[str],
    answers: Mapping[str, object],
    scale_values: Mapping[str, float | None],
) -> list[dict]:
    """One entry per matched rule: its id, level, reason (language -> text) and the triggering item ids."""
    rules = {rule.id: rule for rule in definition.flags}
    order = {item.id: position for position, item in enumerate(definition.items)}
    return [
        {
            "rule": rule_id,
            "level": rules[rule_id].level,
            "reason": dict(rules[rule_id].reason),
            "items": sorted(
                triggering_items(definition, rules[rule_id].when, answers, scale_values), key=order.__getitem__
            ),
        }
        for rule_id in rule_ids
    ]


def triggering_items(
    definition: InstrumentDefinition,
    condition: Condition,
    answers: Mapping[str, object],
    scale_values: Mapping[str, float | None],
) -> set[str]:
    """The items whose answers make ``condition`` true: of an ``any``, only the parts that hold."""
    match condition:
        case ItemCondition(item_id, _, _):
            return {item_id} if evaluate(condition, answers, scale_values) else set()
        case ScaleCondition(scale_id, _, _):
            return set(definition.scale(scale_id).items) if evaluate(condition, answers, scale_values) else set()
        case AnyOf(parts):
            return set().union(
                *(
                    triggering_items(definition, part, answers, scale_values)
                    for part in parts
                    if evaluate(part, answers, scale_values)
                )
            )
        case AllOf(parts):
            return set().union(*(triggering_items(definition, part, answers, scale_values) for part in parts))
        case Not(inner):
            return _referenced_items(definition, inner)
    raise TypeError(f"not a condition: {condition!r}")


def _referenced_items(definition: InstrumentDefinition, condition: Condition) -> set[str]:
    match condition:
        case ItemCondition(item_id, _, _):
            return {item_id}
        case ScaleCondition(scale_id, _, _):
            return set(definition.scale(scale_id).items)
        case AnyOf(parts) | AllOf(parts):
            return set().union(*(_referenced_items(definition, part) for part in parts))
        case Not(inner):
            return _referenced_items(definition, inner)
    raise TypeError(f"not a condition: {condition!r}")
