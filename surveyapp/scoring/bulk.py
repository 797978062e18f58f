"""Scoring many submissions at once with NumPy, giving exactly the scale values and bands of `engine.score`.

The input is a matrix of stored, already validated answers: one row per submission, one column per item that
some scale uses (`scored_item_ids`), NaN where the item was not answered. `answer_matrix` builds it from answer
dicts. `score_many` returns, per scale, the values (NaN where the engine gives no score), the bands and the
number of answered items. Nothing is validated here: an answer the engine would refuse is scored as it stands.

Only the scales are computed here. Flags, alerts, validation and the per-scale notes stay in the engine, which
remains the one scorer of a single incoming submission; this module is for re-scoring and reports.

Exactness: the engine computes each value as an exact fraction and converts it to float once. Here every value
is written as N / D with N and D whole numbers held exactly in float64 (integer answers summed, the missing rule,
method and `multiply` folded into N and D), so the one float division rounds exactly as the engine's conversion
does. Bands compare N / D with a band's max p / q as N * q <= p * D, also exact. A scale with decimal items is
refused (`UnsupportedScale`): their exact decimal values cannot be recovered from a float matrix cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

import numpy as np

from surveyapp.definitions.model import InstrumentDefinition, Scale, is_int

_EXACT_LIMIT = 2.0**53
"""Whole numbers up to this magnitude are exact in float64."""
_BLOCK_ROWS = 16_384


class UnsupportedScale(ValueError):
    """A scale the bulk scorer cannot reproduce exactly; score those submissions with the engine."""


@dataclass(frozen=True)
class ScaleScores:
    """One scale's scores for every row of the answer matrix."""

    values: np.ndarray
    """float64; NaN where the engine gives no score (value None)."""
    band_index: np.ndarray
    """int8 index into `band_codes`; -1 where there is no band."""
    band_codes: tuple[str, ...]
    n_answered: np.ndarray
    """int64: items answered with a scored option."""

    @property
    def bands(self) -> list[str | None]:
        return [self.band_codes[index] if index >= 0 else None for index in self.band_index.tolist()]


@dataclass(frozen=True)
class _Plan:
    """A scale's scoring rules as arrays over its columns of the answer matrix."""

    columns: np.ndarray
    missing_values: tuple[tuple[int, tuple[int, ...]], ...]
    """(position in the scale, option values scored as missing) for the items that have such options."""
    correct: np.ndarray | None
    """The answer key (percent_correct), else None."""
    signs: np.ndarray
    offsets: np.ndarray
    """Points are answer x sign + offset: 1 and 0, or -1 and min + max of the scored option values (reverse)."""
    n_items: int
    method: str
    rule: str
    max_missing: int
    multiply: tuple[int, int]
    band_limits: tuple[tuple[int, int] | None, ...]
    band_codes: tuple[str, ...]


def scored_item_ids(definition: InstrumentDefinition) -> tuple[str, ...]:
    """The columns of the answer matrix: every item some scale uses, in the definition's item order."""
    used = {item_id for scale in definition.scales for item_id in scale.items}
    return tuple(item.id for item in definition.items if item.id in used)


def answer_matrix(definition: InstrumentDefinition, answer_sets: Sequence[Mapping[str, object]]) -> np.ndarray:
    """Stored answer dicts as a float64 matrix (rows = submissions, columns = `scored_item_ids`), NaN if unanswered."""
    matrix = np.full((len(answer_sets), len(scored_item_ids(definition))), np.nan)
    for column, item_id in enumerate(scored_item_ids(definition)):
        matrix[:, column] = [_number(answers.get(item_id)) for answers in answer_sets]
    return matrix


def score_many(definition: InstrumentDefinition, matrix: np.ndarray) -> dict[str, ScaleScores]:
    """Every scale's values, bands and answered counts for each row of `matrix` (see `answer_matrix`)."""
    columns = scored_item_ids(definition)
    if matrix.ndim != 2 or matrix.shape[1] != len(columns):
        raise ValueError(f"expected a matrix with {len(columns)} columns ({', '.join(columns)}), got {matrix.shape}")
    position = {item_id: index for index, item_id in enumerate(columns)}
    matrix = np.asarray(matrix, dtype=np.float64)
    return {scale.id: _score_scale(_plan(definition, scale, position), matrix) for scale in definition.scales}


def item_points_many(definition: InstrumentDefinition, scale: Scale, answers: np.ndarray) -> np.ndarray:
    """What `engine.item_points` gives for each row at once: the scale's items' scored points (reverse keys and
    answer keys applied), NaN where missing. `answers` has one column per item of the scale, in its order."""
    plan = _plan(definition, scale, {item_id: index for index, item_id in enumerate(scale.items)})
    points, missing = _points(plan, np.asarray(answers, dtype=np.float64))
    points[missing] = np.nan
    return points


def _number(value: object) -> float:
    return np.nan if value is None else float(cast(float, value))  # a scale item's stored answer is a number


def _plan(definition: InstrumentDefinition, scale: Scale, position: Mapping[str, int]) -> _Plan:
    items = [definition.item(item_id) for item_id in scale.items]
    decimal = [item.id for item in items if item.type == "decimal"]
    if decimal:
        raise UnsupportedScale(f"scale '{scale.id}' has decimal items ({', '.join(decimal)}); use the engine")
    return _Plan(
        columns=np.array([position[item.id] for item in items], dtype=np.intp),
        missing_values=tuple(
            (index, missing)
            for index, item in enumerate(items)
            if item.type == "choice"
            and (missing := tuple(option.value for option in item.options if option.missing and is_int(option.value)))
        ),
        correct=(
            np.array([item.correct for item in items], dtype=np.float64) if scale.method == "percent_correct" else None
        ),
        signs=np.array([-1.0 if item.reverse else 1.0 for item in items]),
        offsets=np.array(
            [min(item.scored_option_values) + max(item.scored_option_values) if item.reverse else 0 for item in items],
            dtype=np.float64,
        ),
        n_items=len(items),
        method=scale.method,
        rule=scale.missing.rule,
        max_missing=scale.missing.max_missing,
        multiply=_ratio(1 if scale.multiply is None else scale.multiply),
        band_limits=tuple(None if band.max is None else _ratio(band.max) for band in scale.bands),
        band_codes=tuple(band.code for band in scale.bands),
    )


def _ratio(number: int | float) -> tuple[int, int]:
    """The number as written in decimal (0.1 -> 1/10), as the engine reads it."""
    exact = Fraction(number) if isinstance(number, int) else Fraction(str(number))
    return exact.numerator, exact.denominator


def _score_scale(plan: _Plan, matrix: np.ndarray) -> ScaleScores:
    """Rows are scored in blocks so that the temporaries stay in the processor's cache."""
    values = np.full(len(matrix), np.nan)
    band_index = np.full(len(matrix), -1, dtype=np.int8)
    n_answered = np.empty(len(matrix), dtype=np.int64)
    for start in range(0, len(matrix), _BLOCK_ROWS):
        block = slice(start, start + _BLOCK_ROWS)
        _score_block(plan, matrix[block], values[block], band_index[block], n_answered[block])
    return ScaleScores(values, band_index, plan.band_codes, n_answered)


def _score_block(
    plan: _Plan, matrix: np.ndarray, values: np.ndarray, band_index: np.ndarray, n_answered: np.ndarray
) -> None:
    points, missing = _points(plan, matrix)
    np.copyto(points, 0.0, where=missing)
    n_answered[:] = plan.n_items - np.count_nonzero(missing, axis=1)
    # A matrix product adds whole numbers, so it is exact in any order.
    numerator, denominator = _fraction(plan, points @ np.ones(plan.n_items), n_answered)
    # Rule refuse comes with max_missing 0 (the parser refuses anything else), so this covers it too.
    is_scored = plan.n_items - n_answered <= plan.max_missing
    _check_exact(numerator, denominator, plan)
    np.divide(numerator, denominator, out=values, where=is_scored)
    band_index[:] = _bands(plan, numerator, denominator, is_scored)


def _points(plan: _Plan, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each scale item's points (a new array) and where the item counts as missing."""
    answers = matrix[:, plan.columns]
    missing = np.isnan(answers)
    for index, missing_values in plan.missing_values:
        missing[:, index] |= np.isin(answers[:, index], missing_values)
    if plan.correct is not None:
        points = (answers == plan.correct).astype(np.float64)
    else:
        points = answers * plan.signs + plan.offsets
    return points, missing


def _fraction(plan: _Plan, total: np.ndarray, n_answered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The engine's value as whole numbers N / D: total (x n / k if prorated; / n for mean and percent, over the
    answered k instead when prorated; x 100 for percent) x multiply."""
    is_prorated = (n_answered < plan.n_items) if plan.rule == "prorate" else np.zeros(len(total), dtype=bool)
    divisor = np.where(is_prorated, np.maximum(n_answered, 1), plan.n_items).astype(np.float64)
    p, q = plan.multiply
    if plan.method == "sum":
        return total * np.where(is_prorated, plan.n_items * p, p), np.where(is_prorated, divisor * q, q)
    scale = 100 * p if plan.method == "percent_correct" else p
    return total * scale, divisor * q


def _check_exact(numerator: np.ndarray, denominator: np.ndarray, plan: _Plan) -> None:
    largest_q = max([q for _, q in filter(None, plan.band_limits)], default=1)
    largest_p = max([abs(p) for p, _ in filter(None, plan.band_limits)], default=1)
    if len(numerator) and (
        np.abs(numerator).max() * largest_q >= _EXACT_LIMIT or denominator.max() * largest_p >= _EXACT_LIMIT
    ):
        raise UnsupportedScale("scores too large to compute exactly in float64; use the engine")


def _bands(plan: _Plan, numerator: np.ndarray, denominator: np.ndarray, is_scored: np.ndarray) -> np.ndarray:
    """The first band whose max the value does not exceed (a band without max takes every value)."""
    band_index = np.full(len(numerator), -1, dtype=np.int8)
    for index in reversed(range(len(plan.band_limits))):
        limit = plan.band_limits[index]
        if limit is None:
            band_index[:] = index
        else:
            p, q = limit
            band_index[numerator * q <= p * denominator] = index
    band_index[~is_scored] = -1
    return band_index
