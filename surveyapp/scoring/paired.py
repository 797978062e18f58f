"""Pre/post comparisons on matched pairs: paired t-test, Wilcoxon signed-rank, Reliable Change Index, McNemar.

Differences are always post - pre. Inputs are equal-length arrays of pre and post values of the same children
(see matching.match_waves); functions other than reliable_change drop pairs with a missing value.
Undefined statistics are None, never NaN, so reports and exports can show "n/a" without special cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


def complete_pairs(pre: ArrayLike, post: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """pre and post as float arrays without the pairs where either value is missing (None/NaN)."""
    pre_values = np.asarray(pre, dtype=float).ravel()
    post_values = np.asarray(post, dtype=float).ravel()
    if pre_values.shape != post_values.shape:
        raise ValueError(f"pre has {pre_values.size} values, post {post_values.size}: pairs must align")
    complete = ~(np.isnan(pre_values) | np.isnan(post_values))
    return pre_values[complete], post_values[complete]


def _is_constant(values: np.ndarray) -> bool:
    return bool(np.all(values == values[0]))


# --- paired t-test ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedTTestResult:
    n_pairs: int
    mean_pre: float | None
    mean_post: float | None
    mean_difference: float | None
    """Mean of post - pre."""
    sd_difference: float | None
    """SD (ddof=1) of the differences; None when n < 2."""
    df: int | None
    t_statistic: float | None
    """None (as are p, CI and d_z) when n < 2 or all differences are equal (SD 0)."""
    p_value: float | None
    """Two-sided."""
    ci_lower: float | None
    ci_upper: float | None
    confidence_level: float
    cohens_dz: float | None
    """mean difference / SD of differences (= t / sqrt(n))."""


def paired_t_test(pre: ArrayLike, post: ArrayLike, confidence_level: float = 0.95) -> PairedTTestResult:
    pre_values, post_values = complete_pairs(pre, post)
    differences = post_values - pre_values
    n = differences.size
    mean = float(differences.mean()) if n else None
    sd = float(differences.std(ddof=1)) if n >= 2 else None
    t_statistic = p_value = ci_lower = ci_upper = cohens_dz = None
    if n >= 2 and not _is_constant(differences):
        assert mean is not None and sd is not None  # both are set from two pairs on
        standard_error = sd / np.sqrt(n)
        t_statistic = float(mean / standard_error)
        p_value = float(2 * stats.t.sf(abs(t_statistic), n - 1))
        margin = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1) * standard_error)
        ci_lower, ci_upper = mean - margin, mean + margin
        cohens_dz = mean / sd
    return PairedTTestResult(
        n_pairs=n,
        mean_pre=float(pre_values.mean()) if n else None,
        mean_post=float(post_values.mean()) if n else None,
        mean_difference=mean,
        sd_difference=sd,
        df=n - 1 if n >= 2 else None,
        t_statistic=t_statistic,
        p_value=p_value,
        ci_lower=ci_lower,
        ci_upper=ci_upper,
        confidence_level=confidence_level,
        cohens_dz=cohens_dz,
    )


# --- Wilcoxon signed-rank ------------------------------------------------------------------------------

ZERO_METHOD = "wilcox"
"""Zero differences are dropped before ranking (Wilcoxon's method; Kerby 2014 drops them the same way)."""

DIFFERENCE_DECIMALS = 9
"""Differences are rounded before ranking so that float noise (e.g. 0.1 + 0.2 vs 0.3 in prorated scores)
does not turn a zero into a non-zero difference or a tie into two ranks."""

EXACT_MAX_N = 50
"""Without ties, the exact null distribution is used up to this many non-zero differences."""
PERMUTATION_MAX_N = 13
"""With ties, all 2**n sign flips are enumerated up to this n (2**13 < SciPy's 9999 resamples: deterministic)."""


class WilcoxonPMethod(StrEnum):
    EXACT = "exact"
    EXACT_PERMUTATION = "exact permutation (ties)"
    NORMAL_APPROXIMATION = "normal approximation (tie-corrected, no continuity correction)"


@dataclass(frozen=True)
class WilcoxonResult:
    n_pairs: int
    n_zero_differences: int
    n_nonzero: int
    """n used for ranking and for the rank-biserial denominator n(n+1)/2."""
    rank_sum_positive: float | None
    """T+: sum of the ranks of |post - pre| where post > pre."""
    rank_sum_negative: float | None
    statistic: float | None
    """min(T+, T-), the two-sided statistic SciPy reports."""
    p_value: float | None
    """Two-sided; None when every difference is zero."""
    p_value_method: WilcoxonPMethod | None
    rank_biserial_r: float | None
    """Matched-pairs rank-biserial r = (T+ - T-) / (n(n+1)/2); positive = post higher."""
    zero_method: str = ZERO_METHOD


def wilcoxon_signed_rank(pre: ArrayLike, post: ArrayLike) -> WilcoxonResult:
    pre_values, post_values = complete_pairs(pre, post)
    differences = np.round(post_values - pre_values, DIFFERENCE_DECIMALS)
    nonzero = differences[differences != 0]
    n = nonzero.size
    common = dict(n_pairs=differences.size, n_zero_differences=differences.size - n, n_nonzero=n)
    if n == 0:
        return WilcoxonResult(
            **common,
            rank_sum_positive=None,
            rank_sum_negative=None,
            statistic=None,
            p_value=None,
            p_value_method=None,
            rank_biserial_r=None,
        )
    ranks = stats.rankdata(np.abs(nonzero), method="average")
    rank_sum_positive = float(ranks[nonzero > 0].sum())
    rank_sum_negative = float(ranks[nonzero < 0].sum())
    p_method = _wilcoxon_p_method(nonzero)
    scipy_method = {
        WilcoxonPMethod.EXACT: "exact",
        WilcoxonPMethod.EXACT_PERMUTATION: stats.PermutationMethod(),
        WilcoxonPMethod.NORMAL_APPROXIMATION: "asymptotic",
    }[p_method]
    result = stats.wilcoxon(
        nonzero, zero_method=ZERO_METHOD, correction=False, alternative="two-sided", method=scipy_method
    )
    return WilcoxonResult(
        **common,
        rank_sum_positive=rank_sum_positive,
        rank_sum_negative=rank_sum_negative,
        statistic=min(rank_sum_positive, rank_sum_negative),
        p_value=float(result.pvalue),
        p_value_method=p_method,
        rank_biserial_r=(rank_sum_positive - rank_sum_negative) / (n * (n + 1) / 2),
    )


def _wilcoxon_p_method(nonzero_differences: np.ndarray) -> WilcoxonPMethod:
    """Chosen explicitly (rather than SciPy's "auto") so the report can say which p-value it shows."""
    n = nonzero_differences.size
    has_ties = np.unique(np.abs(nonzero_differences)).size < n
    if not has_ties and n <= EXACT_MAX_N:
        return WilcoxonPMethod.EXACT
    if has_ties and n <= PERMUTATION_MAX_N:
        return WilcoxonPMethod.EXACT_PERMUTATION
    return WilcoxonPMethod.NORMAL_APPROXIMATION


# --- Reliable Change Index -----------------------------------------------------------------------------

RCI_THRESHOLD = 1.96


class ChangeCategory(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"


@dataclass(frozen=True)
class ReliableChangeResult:
    n_pairs: int
    sd_pre: float
    reliability: float
    se_difference: float
    """SEdiff = SD_pre * sqrt(2) * sqrt(1 - r_xx)."""
    threshold: float
    higher_is_better: bool
    rci: tuple[float, ...]
    """(post - pre) / SEdiff per child, in input order."""
    categories: tuple[ChangeCategory, ...]
    n_improved: int
    n_unchanged: int
    n_worsened: int

    @property
    def share_improved(self) -> float:
        return self.n_improved / self.n_pairs

    @property
    def share_unchanged(self) -> float:
        return self.n_unchanged / self.n_pairs

    @property
    def share_worsened(self) -> float:
        return self.n_worsened / self.n_pairs


def reliable_change(
    pre: ArrayLike,
    post: ArrayLike,
    reliability: float,
    *,
    higher_is_better: bool = True,
    sd_pre: float | None = None,
    threshold: float = RCI_THRESHOLD,
) -> ReliableChangeResult | None:
    """Jacobson & Truax (1991) RCI per child; reliable change when |RCI| > threshold.

    reliability is r_xx (e.g. Cronbach's alpha at baseline). sd_pre defaults to the SD (ddof=1) of the pre
    values given; pass a normative SD to use one. Returns None when there are no pairs, or when sd_pre is
    not given and the pre values have no SD (fewer than 2, or all equal). Pairs must be complete, so the
    output aligns with the input children.
    """
    if not 0 <= reliability < 1:
        raise ValueError(f"reliability must be in [0, 1), got {reliability}")
    pre_values = np.asarray(pre, dtype=float).ravel()
    post_values = np.asarray(post, dtype=float).ravel()
    if pre_values.shape != post_values.shape:
        raise ValueError(f"pre has {pre_values.size} values, post {post_values.size}: pairs must align")
    if np.isnan(pre_values).any() or np.isnan(post_values).any():
        raise ValueError("reliable_change needs complete pairs (missing values found)")
    if sd_pre is not None and sd_pre <= 0:
        raise ValueError(f"sd_pre must be positive, got {sd_pre}")
    if sd_pre is None:
        sd_pre = float(pre_values.std(ddof=1)) if pre_values.size >= 2 else None
    if not sd_pre or pre_values.size == 0:
        return None
    se_difference = sd_pre * np.sqrt(2) * np.sqrt(1 - reliability)
    rci = (post_values - pre_values) / se_difference
    change_in_good_direction = rci if higher_is_better else -rci
    improved, worsened = change_in_good_direction > threshold, change_in_good_direction < -threshold
    categories = np.empty(rci.size, dtype=object)
    categories[:] = ChangeCategory.UNCHANGED  # a slice assignment keeps the enum (np.full would store a str)
    categories[improved], categories[worsened] = ChangeCategory.IMPROVED, ChangeCategory.WORSENED
    return ReliableChangeResult(
        n_pairs=rci.size,
        sd_pre=float(sd_pre),
        reliability=reliability,
        se_difference=float(se_difference),
        threshold=threshold,
        higher_is_better=higher_is_better,
        rci=tuple(rci.tolist()),
        categories=tuple(categories.tolist()),
        n_improved=int(np.count_nonzero(improved)),
        n_unchanged=int(rci.size - np.count_nonzero(improved | worsened)),
        n_worsened=int(np.count_nonzero(worsened)),
    )


# --- McNemar -------------------------------------------------------------------------------------------

EXACT_BELOW_DISCORDANT = 25
"""The exact binomial p decides when b + c < 25, the continuity-corrected chi-square otherwise: below ~25
discordant pairs the chi-square approximation is poor, above it the two agree closely."""

FlagRule = Literal["at_or_below", "below", "at_or_above", "above"]


@dataclass(frozen=True)
class McNemarResult:
    both_flagged: int
    flagged_pre_only: int
    """b: flagged at pre, not at post."""
    flagged_post_only: int
    """c: flagged at post, not at pre."""
    neither_flagged: int
    chi_square_corrected: float | None
    """max(|b - c| - 1, 0)^2 / (b + c), 1 df. None (as are all p-values) when b + c = 0."""
    p_corrected: float | None
    p_exact: float | None
    """Two-sided exact binomial test of b out of b + c against 1/2."""
    decided_by: Literal["exact", "corrected"] | None
    p_value: float | None
    """The deciding p-value (p_exact or p_corrected)."""

    @property
    def n_pairs(self) -> int:
        return self.both_flagged + self.flagged_pre_only + self.flagged_post_only + self.neither_flagged


def mcnemar_at_cutoff(pre: ArrayLike, post: ArrayLike, cutoff: float, flag: FlagRule) -> McNemarResult:
    """McNemar on flagged/not flagged at pre vs post, e.g. WHO-5 percent at_or_below 50 (incomplete pairs dropped)."""
    pre_values, post_values = complete_pairs(pre, post)
    pre_flagged, post_flagged = _flagged(pre_values, cutoff, flag), _flagged(post_values, cutoff, flag)
    return mcnemar_from_table(
        both_flagged=int((pre_flagged & post_flagged).sum()),
        flagged_pre_only=int((pre_flagged & ~post_flagged).sum()),
        flagged_post_only=int((~pre_flagged & post_flagged).sum()),
        neither_flagged=int((~pre_flagged & ~post_flagged).sum()),
    )


def mcnemar_from_table(
    both_flagged: int, flagged_pre_only: int, flagged_post_only: int, neither_flagged: int
) -> McNemarResult:
    b, c = flagged_pre_only, flagged_post_only
    table = dict(
        both_flagged=both_flagged,
        flagged_pre_only=b,
        flagged_post_only=c,
        neither_flagged=neither_flagged,
    )
    discordant = b + c
    if discordant == 0:
        return McNemarResult(
            **table, chi_square_corrected=None, p_corrected=None, p_exact=None, decided_by=None, p_value=None
        )
    chi_square = max(abs(b - c) - 1, 0) ** 2 / discordant
    p_corrected = float(stats.chi2.sf(chi_square, df=1))
    p_exact = float(stats.binomtest(b, discordant, p=0.5, alternative="two-sided").pvalue)
    use_exact = discordant < EXACT_BELOW_DISCORDANT
    return McNemarResult(
        **table,
        chi_square_corrected=chi_square,
        p_corrected=p_corrected,
        p_exact=p_exact,
        decided_by="exact" if use_exact else "corrected",
        p_value=p_exact if use_exact else p_corrected,
    )


def _flagged(values: np.ndarray, cutoff: float, flag: FlagRule) -> np.ndarray:
    comparisons = {
        "at_or_below": np.less_equal,
        "below": np.less,
        "at_or_above": np.greater_equal,
        "above": np.greater,
    }
    if flag not in comparisons:
        raise ValueError(f"unknown flag rule {flag!r}; expected one of {sorted(comparisons)}")
    return comparisons[flag](values, cutoff)
