"""Internal consistency of a multi-item scale: Cronbach's alpha and item analysis.

Every function takes a respondents x items matrix (None or NaN = missing answer) and deletes listwise:
a respondent with any missing item is dropped, so alpha, item-total correlations and alpha-if-deleted
all describe the same respondents. Variances use ddof=1 (the ddof cancels in alpha).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None
    """None when undefined: fewer than 2 items, fewer than 2 complete respondents, or all totals equal."""
    n_respondents_used: int
    n_respondents_dropped: int
    """Respondents with at least one missing item (listwise deletion)."""
    n_items: int


def _complete_rows(matrix: ArrayLike) -> tuple[np.ndarray, int]:
    """The matrix as floats with incomplete rows removed, and the number of rows removed."""
    values = np.asarray(matrix, dtype=float)
    if values.ndim == 1 and values.size == 0:
        values = values.reshape(0, 0)
    if values.ndim != 2:
        raise ValueError(f"expected a respondents x items matrix, got {values.ndim} dimension(s)")
    keep = ~np.isnan(values).any(axis=1)
    return values[keep], int((~keep).sum())


def cronbach_alpha(matrix: ArrayLike) -> AlphaResult:
    """alpha = k/(k-1) * (1 - sum of item variances / variance of the total score)."""
    complete, n_dropped = _complete_rows(matrix)
    return AlphaResult(
        alpha=_alpha(complete),
        n_respondents_used=complete.shape[0],
        n_respondents_dropped=n_dropped,
        n_items=complete.shape[1],
    )


def item_total_correlations(matrix: ArrayLike) -> list[float | None]:
    """Corrected item-total correlation per item: Pearson r of the item with the sum of the other items.

    None for an item when either the item or the rest score does not vary (or fewer than 2 items/respondents).
    """
    complete, _ = _complete_rows(matrix)
    n_respondents, n_items = complete.shape
    if n_items < 2 or n_respondents < 2:
        return [None] * n_items
    totals = complete.sum(axis=1)
    return [_pearson(complete[:, item], totals - complete[:, item]) for item in range(n_items)]


def _alpha(complete: np.ndarray) -> float | None:
    n_respondents, n_items = complete.shape
    if n_items < 2 or n_respondents < 2:
        return None
    totals = complete.sum(axis=1)
    if _is_constant(totals):
        return None
    sum_item_variances = complete.var(axis=0, ddof=1).sum()
    return float(n_items / (n_items - 1) * (1 - sum_item_variances / totals.var(ddof=1)))


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if _is_constant(x) or _is_constant(y):
        return None
    x_dev, y_dev = x - x.mean(), y - y.mean()
    return float((x_dev @ y_dev) / np.sqrt((x_dev @ x_dev) * (y_dev @ y_dev)))


def _is_constant(values: np.ndarray) -> bool:
    """Exact test (not a variance threshold), so e.g. totals of 3.3 repeated count as constant."""
    return bool(np.all(values == values[0]))
