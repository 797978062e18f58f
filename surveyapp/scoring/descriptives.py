"""Descriptive statistics of scale scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike

QUANTILE_METHOD: Final = "linear"
"""numpy's default (Hyndman & Fan 1996 type 7; also R's default and Excel's QUARTILE.INC)."""


@dataclass(frozen=True)
class Descriptives:
    n: int
    """Non-missing values."""
    mean: float | None
    sd: float | None
    """Sample SD (ddof=1); None when n < 2."""
    median: float | None
    q1: float | None
    q3: float | None
    quantile_method: str = QUANTILE_METHOD

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1


def describe(values: ArrayLike) -> Descriptives:
    """n, mean, SD, median and quartiles, ignoring missing values (None/NaN)."""
    data = np.asarray(values, dtype=float).ravel()
    data = data[~np.isnan(data)]
    if data.size == 0:
        return Descriptives(n=0, mean=None, sd=None, median=None, q1=None, q3=None)
    q1, median, q3 = np.quantile(data, [0.25, 0.5, 0.75], method=QUANTILE_METHOD)
    return Descriptives(
        n=int(data.size),
        mean=float(data.mean()),
        sd=float(data.std(ddof=1)) if data.size >= 2 else None,
        median=float(median),
        q1=float(q1),
        q3=float(q3),
    )
