"""Reliability of every multi-item scale of an instrument at one administration (e.g. one session)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from surveyapp.definitions.documents import InstrumentDefinition
from surveyapp.scoring.engine import item_points
from surveyapp.scoring.reliability import AlphaResult, cronbach_alpha, item_total_correlations


@dataclass(frozen=True)
class ScaleReliability:
    scale_id: str
    item_ids: tuple[str, ...]
    alpha: AlphaResult
    item_total_correlations: list[float | None]


def reliability_by_scale(
    definition: InstrumentDefinition, answer_sets: Iterable[Mapping[str, object]]
) -> list[ScaleReliability]:
    """Cronbach's alpha (KR-20 for right/wrong items) and corrected item-total correlations, on scored item
    values (reverse keys applied), for each scale of two or more items; incomplete answer sets are dropped."""
    answer_sets = list(answer_sets)
    results = []
    for scale in definition.scales:
        if len(scale.items) < 2:
            continue
        rows = [item_points(definition, scale, answers) for answers in answer_sets] or [[None] * len(scale.items)]
        matrix = np.asarray(rows, dtype=float)  # None -> NaN, as the reliability functions read it
        results.append(
            ScaleReliability(
                scale.id,
                scale.items,
                cronbach_alpha(matrix),
                item_total_correlations(matrix),
            )
        )
    return results
