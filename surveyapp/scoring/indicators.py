"""The programme's indicator table: one row per indicator, with the statistics that make its result credible.

Pure glue over matching, descriptives, paired, reliability, knowledge, multiple_testing and breakdowns: no
Flask, no database. An indicator names a scale measured at a pre and a post wave (for knowledge tests, two
different instruments: `staff_knowledge_pre` at baseline, `staff_knowledge_post` at post) and the statistic
that counts as its result. Every row carries the full set of statistics whatever its headline is:

- reach: scored at pre, at post, matched (by respondent code), lost (attrition) and post-only;
- n, mean, SD, median, IQR per wave (every scored respondent of the wave, matched or not);
- paired t (mean change, 95% CI, d_z) and Wilcoxon signed-rank (rank-biserial r) on the matched pairs,
  with Holm-adjusted p-values within each family of indicators tested on the same respondents
  (one family per respondent kind);
- Cronbach's alpha per wave from the scored item answers; the RCI uses alpha at the PRE wave as r_xx and
  the SD of the matched pre scores (Jacobson & Truax 1991);
- McNemar at the indicator's cut-off, when it has one; knowledge gain (Hake's <g> on class averages) and
  per-question % correct for knowledge tests;
- breakdowns by sex, age group (children only), territorial administration and session;
- the verdict of the indicator's success rule (`target_verdict`): met, not met, or not enough data.

With suppress_small (outputs for the viewer role), an indicator whose matched n is below the minimum cell
size keeps only its reach counts, and breakdown cells are suppressed as breakdowns.release_cells says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from surveyapp.scoring.breakdowns import NO_PAIRS, Breakdown, Groups, Pairs, breakdowns_for
from surveyapp.scoring.descriptives import Descriptives, describe
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE
from surveyapp.scoring.knowledge import KnowledgeGainResult, hake_normalized_gain, knowledge_gain_of_matrices
from surveyapp.scoring.matching import match_codes
from surveyapp.scoring.multiple_testing import holm_adjust
from surveyapp.scoring.paired import (
    ChangeCategory,
    FlagRule,
    McNemarResult,
    PairedTTestResult,
    ReliableChangeResult,
    WilcoxonResult,
    mcnemar_at_cutoff,
    paired_t_test,
    reliable_change,
    wilcoxon_signed_rank,
)
from surveyapp.scoring.reliability import AlphaResult, cronbach_alpha


class Statistic(StrEnum):
    """What counts as an indicator's measured result."""

    SHARE_RELIABLY_IMPROVED = "share_reliably_improved"
    """Share of matched respondents whose RCI shows reliable improvement."""
    MEAN_CHANGE = "mean_change"
    """Mean of post - pre, with its 95% CI (paired t) and d_z."""
    MEAN_KNOWLEDGE_GAIN = "mean_knowledge_gain"
    """Mean % correct after - before, in percentage points, with its 95% CI."""
    HAKE_GAIN = "hake_gain"
    """Hake's normalized gain on the class averages: (post% - pre%) / (100 - pre%)."""


KNOWLEDGE_STATISTICS = frozenset({Statistic.MEAN_KNOWLEDGE_GAIN, Statistic.HAKE_GAIN})


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    respondent_kind: str
    pre_instrument: str
    post_instrument: str
    scale_id: str
    statistic: Statistic
    target: int
    pre_wave: str = "baseline"
    post_wave: str = "post"
    higher_is_better: bool = True
    cutoff: float | None = None
    cutoff_rule: FlagRule | None = None
    """How a score is flagged at the cut-off for McNemar, e.g. 'at_or_below' 50 for WHO-5 poor wellbeing."""
    success_threshold: float | None = None
    """What the result must reach for the target to be met, in the statistic's unit (a share 0-1, points, or a
    normalized gain); None: the target is judged by reach alone."""


class Verdict(StrEnum):
    """Whether an indicator's target was met by its success rule."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_ENOUGH_DATA = "not_enough_data"


THRESHOLD_TOLERANCE = 1e-9
"""A result equal to the threshold reaches it although binary rounding may leave it a hair below (3/5 of pairs
improved against 0.6, a mean change summed from tenths)."""


@dataclass(frozen=True, eq=False)
class WaveScores:
    """The scores of the indicator's scale at one wave (the pre instrument's at the pre wave, the post
    instrument's at the post wave), one per respondent, in the order they were received."""

    codes: np.ndarray
    """Respondent codes (str), each once."""
    values: np.ndarray
    """float64, every one scored."""
    groups: Mapping[str, Groups] = field(default_factory=dict)
    """Breakdown dimension -> each respondent's group: sex, territory, and the session of this wave and the age
    group in its year (pairs are broken down by the pre wave's)."""


@dataclass(frozen=True, eq=False)
class KnowledgeAnswers:
    """Right or not per respondent and question (unanswered = not right); pre and post questions are paired
    under common question ids."""

    pre_codes: np.ndarray
    pre_correct: np.ndarray
    """Respondents x questions, bool."""
    post_codes: np.ndarray
    post_correct: np.ndarray
    question_ids: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class IndicatorData:
    pre: WaveScores
    post: WaveScores
    item_points: Mapping[str, np.ndarray | Sequence[Sequence[float | None]]]
    """wave -> respondents x items, scored points (reverse keys applied; NaN or None = missing), for alpha."""
    knowledge: KnowledgeAnswers | None = None


@dataclass(frozen=True)
class Reach:
    n_pre: int
    n_post: int
    n_matched: int
    n_pre_only: int
    """Lost to attrition: scored at pre, not at post."""
    n_post_only: int

    @property
    def n_reached(self) -> int:
        """Everyone surveyed at least once, before or after: whom the programme reached."""
        return self.n_pre + self.n_post_only

    @property
    def attrition_share(self) -> float | None:
        return self.n_pre_only / self.n_pre if self.n_pre else None


@dataclass(frozen=True)
class Headline:
    value: float | None
    ci_lower: float | None = None
    ci_upper: float | None = None
    count: int | None = None
    """For shares: how many respondents the share counts (e.g. reliably improved)."""


@dataclass(frozen=True)
class IndicatorResult:
    spec: IndicatorSpec
    reach: Reach
    is_suppressed: bool
    """True when suppress_small and n matched < the minimum cell size: only reach is kept."""
    headline: Headline
    descriptives_pre: Descriptives | None = None
    descriptives_post: Descriptives | None = None
    t_test: PairedTTestResult | None = None
    wilcoxon: WilcoxonResult | None = None
    p_t_holm: float | None = None
    p_wilcoxon_holm: float | None = None
    alpha_pre: AlphaResult | None = None
    alpha_post: AlphaResult | None = None
    reliable_change: ReliableChangeResult | None = None
    mcnemar: McNemarResult | None = None
    knowledge: KnowledgeGainResult | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    pairs: Pairs = NO_PAIRS
    """Matched pairs with their RCI category. They carry respondent codes: for pseudonymised exports and
    aggregate plots only, never to be shown."""


@dataclass(frozen=True)
class IndicatorTable:
    results: tuple[IndicatorResult, ...]
    suppress_small: bool
    min_cell_size: int


def evaluate_indicator(
    spec: IndicatorSpec, data: IndicatorData, *, suppress_small: bool, min_cell_size: int = MIN_CELL_SIZE
) -> IndicatorResult:
    pre_index, post_index = match_codes(data.pre.codes, data.post.codes)
    n_matched = len(pre_index)
    reach = Reach(
        n_pre=len(data.pre.codes),
        n_post=len(data.post.codes),
        n_matched=n_matched,
        n_pre_only=len(data.pre.codes) - n_matched,
        n_post_only=len(data.post.codes) - n_matched,
    )
    if suppress_small and reach.n_matched < min_cell_size:
        return IndicatorResult(spec=spec, reach=reach, is_suppressed=True, headline=Headline(None))
    pre, post = data.pre.values[pre_index].astype(float), data.post.values[post_index].astype(float)
    t_test = paired_t_test(pre, post)
    alpha_pre = _alpha(data.item_points.get(spec.pre_wave))
    rci = _reliable_change(spec, pre, post, alpha_pre)
    knowledge = _knowledge(spec, data.knowledge)
    pairs = Pairs(data.pre.codes[pre_index], pre, post, None if rci is None else np.array(rci.categories, dtype=object))
    return IndicatorResult(
        spec=spec,
        reach=reach,
        is_suppressed=False,
        headline=_headline(spec.statistic, t_test, rci),
        descriptives_pre=describe(data.pre.values),
        descriptives_post=describe(data.post.values),
        t_test=t_test,
        wilcoxon=wilcoxon_signed_rank(pre, post),
        alpha_pre=alpha_pre,
        alpha_post=_alpha(data.item_points.get(spec.post_wave)),
        reliable_change=rci,
        mcnemar=_mcnemar(spec, pre, post),
        knowledge=knowledge,
        breakdowns=breakdowns_for(
            pairs,
            {dimension: groups.take(pre_index) for dimension, groups in data.pre.groups.items()},
            statistic_of_cell(spec.statistic),
            with_age_group=spec.respondent_kind == "child",
            suppress_small=suppress_small,
            min_cell_size=min_cell_size,
        ),
        pairs=pairs,
    )


def build_indicator_table(
    inputs: Sequence[tuple[IndicatorSpec, IndicatorData]],
    *,
    suppress_small: bool,
    min_cell_size: int = MIN_CELL_SIZE,
) -> IndicatorTable:
    """Evaluate every indicator, then Holm-adjust the paired t and Wilcoxon p-values within each family of
    indicators measured on the same kind of respondent (e.g. the children's scales tested together)."""
    results = [
        evaluate_indicator(spec, data, suppress_small=suppress_small, min_cell_size=min_cell_size)
        for spec, data in inputs
    ]
    for kind in dict.fromkeys(result.spec.respondent_kind for result in results):
        family = [index for index, result in enumerate(results) if result.spec.respondent_kind == kind]
        p_t = holm_adjust([_p(results[index].t_test) for index in family])
        p_w = holm_adjust([_p(results[index].wilcoxon) for index in family])
        for index, adjusted_t, adjusted_w in zip(family, p_t, p_w):
            results[index] = replace(results[index], p_t_holm=adjusted_t, p_wilcoxon_holm=adjusted_w)
    return IndicatorTable(results=tuple(results), suppress_small=suppress_small, min_cell_size=min_cell_size)


def target_verdict(result: IndicatorResult) -> Verdict:
    """The success rule: the target is met when at least `target` respondents were reached (surveyed before or
    after) and the result, measured on those surveyed both times and counted in the direction of improvement,
    reaches the success threshold. Attrition thus lowers the precision of the result, not the reach.

    Each part can decide alone (as in three-valued logic, "false and unknown" is false): too few reached is
    not met even when the result cannot be computed or is hidden, and a reached target whose result cannot be
    computed, or is hidden as a small group, has not enough data. Without a threshold, reach alone decides.
    """
    spec = result.spec
    if result.reach.n_reached < spec.target:
        return Verdict.NOT_MET
    if spec.success_threshold is None:
        return Verdict.MET
    improvement = result_improvement(result)
    if improvement is None:
        return Verdict.NOT_ENOUGH_DATA
    return Verdict.MET if improvement >= spec.success_threshold - THRESHOLD_TOLERANCE else Verdict.NOT_MET


def result_improvement(result: IndicatorResult) -> float | None:
    """The headline result with improvement positive: a mean change on a scale where lower is better counts
    its fall. Shares reliably improved are improvements already, and knowledge tests count correct answers."""
    value = result.headline.value
    if value is not None and result.spec.statistic == Statistic.MEAN_CHANGE and not result.spec.higher_is_better:
        return -value
    return value


def statistic_of_cell(statistic: Statistic) -> Callable[[Pairs], float | None]:
    """The headline statistic computed on a group of matched pairs (a breakdown cell)."""

    def share_improved(pairs: Pairs) -> float | None:
        if pairs.categories is None:
            return None
        return int(np.count_nonzero(pairs.categories == ChangeCategory.IMPROVED)) / len(pairs)

    def mean_change(pairs: Pairs) -> float:
        return float(np.mean(pairs.post - pairs.pre))

    def hake(pairs: Pairs) -> float | None:
        return hake_normalized_gain(float(np.mean(pairs.pre)), float(np.mean(pairs.post)))

    return {
        Statistic.SHARE_RELIABLY_IMPROVED: share_improved,
        Statistic.MEAN_CHANGE: mean_change,
        Statistic.MEAN_KNOWLEDGE_GAIN: mean_change,
        Statistic.HAKE_GAIN: hake,
    }[statistic]


def _alpha(matrix: np.ndarray | Sequence[Sequence[float | None]] | None) -> AlphaResult | None:
    if matrix is None or len(matrix) == 0:
        return None
    return cronbach_alpha(np.array(matrix, dtype=float))


def _reliable_change(
    spec: IndicatorSpec, pre: np.ndarray, post: np.ndarray, alpha: AlphaResult | None
) -> ReliableChangeResult | None:
    """None when alpha at pre is unknown or outside [0, 1): the RCI then has no defined SEdiff."""
    if alpha is None or alpha.alpha is None or not 0 <= alpha.alpha < 1:
        return None
    return reliable_change(pre, post, alpha.alpha, higher_is_better=spec.higher_is_better)


def _mcnemar(spec: IndicatorSpec, pre: np.ndarray, post: np.ndarray) -> McNemarResult | None:
    if spec.cutoff is None or spec.cutoff_rule is None or pre.size == 0:
        return None
    return mcnemar_at_cutoff(pre, post, spec.cutoff, spec.cutoff_rule)


def _knowledge(spec: IndicatorSpec, answers: KnowledgeAnswers | None) -> KnowledgeGainResult | None:
    if answers is None or not answers.question_ids:
        return None
    return knowledge_gain_of_matrices(
        answers.pre_codes, answers.pre_correct, answers.post_codes, answers.post_correct, answers.question_ids
    )


def _headline(statistic: Statistic, t_test: PairedTTestResult, rci: ReliableChangeResult | None) -> Headline:
    if statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        if rci is None:
            return Headline(None)
        return Headline(rci.share_improved, count=rci.n_improved)
    if statistic == Statistic.HAKE_GAIN:
        # On the matched respondents' class averages, as knowledge_gain computes it from the same people.
        return Headline(hake_normalized_gain(t_test.mean_pre, t_test.mean_post))
    return Headline(t_test.mean_difference, t_test.ci_lower, t_test.ci_upper)


def _p(result: PairedTTestResult | WilcoxonResult | None) -> float | None:
    return None if result is None else result.p_value
