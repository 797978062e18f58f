"""Adjusting p-values for multiple comparisons (e.g. several scales tested on the same children)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def holm_adjust(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values, in input order (Holm 1979).

    With the m p-values sorted ascending, p_adj(i) = max over j <= i of min(1, (m - j + 1) * p(j)).
    None entries (tests that could not be run) stay None and do not count towards m.
    SciPy has no Holm adjustment (stats.false_discovery_control does Benjamini-Hochberg/Yekutieli only).
    """
    present = [index for index, p in enumerate(p_values) if p is not None]
    values = np.array([p_values[index] for index in present], dtype=float)
    if np.any((values < 0) | (values > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(values, kind="stable")
    m = values.size
    multipliers = m - np.arange(m)
    adjusted_sorted = np.minimum(1.0, np.maximum.accumulate(multipliers * values[order]))
    adjusted: list[float | None] = [None] * len(p_values)
    for sorted_position, value_index in enumerate(order):
        adjusted[present[value_index]] = float(adjusted_sorted[sorted_position])
    return adjusted
