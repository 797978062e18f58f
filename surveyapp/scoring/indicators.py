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
size keeps only its reach counts, and breakdown cells are suppressed as breakdowns.suppress_cells says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from surveyapp.scoring.breakdowns import Breakdown, PairUnit, breakdowns_for
from surveyapp.scoring.descriptives import Descriptives, describe
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE
from surveyapp.scoring.knowledge import Answers, KnowledgeGainResult, hake_normalized_gain, knowledge_gain
from surveyapp.scoring.matching import ScaleMatch, ScoreRecord, match_waves
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


@dataclass(frozen=True)
class RespondentProfile:
    sex: str | None
    birth_year: int | None
    territory: str | None


@dataclass(frozen=True)
class Attendance:
    """Where a respondent was surveyed for an indicator: their pre-wave session (post-wave when never at pre)."""

    session: str
    year: int


@dataclass(frozen=True)
class KnowledgeAnswers:
    """Correct/incorrect per question; pre and post questions are paired under common question ids."""

    pre: Answers
    post: Answers
    question_ids: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorData:
    records: tuple[ScoreRecord, ...]
    """Scores of the indicator's scale: instrument_id is the pre instrument at the pre wave, the post
    instrument at the post wave; other records are ignored."""
    item_points: Mapping[str, Sequence[Sequence[float | None]]]
    """wave -> respondents x items, scored points (reverse keys applied; None = missing), for alpha."""
    profiles: Mapping[str, RespondentProfile]
    attendance: Mapping[str, Attendance]
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
    pairs: tuple[PairUnit, ...] = ()
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
    match = _match(spec, data.records)
    reach = Reach(
        n_pre=match.n_matched + match.n_pre_only,
        n_post=match.n_matched + match.n_post_only,
        n_matched=match.n_matched,
        n_pre_only=match.n_pre_only,
        n_post_only=match.n_post_only,
    )
    if suppress_small and reach.n_matched < min_cell_size:
        return IndicatorResult(spec=spec, reach=reach, is_suppressed=True, headline=Headline(None))
    pre, post = match.pre_values, match.post_values
    t_test = paired_t_test(pre, post)
    alpha_pre = _alpha(data.item_points.get(spec.pre_wave))
    rci = _reliable_change(spec, pre, post, alpha_pre)
    knowledge = _knowledge(spec, data.knowledge)
    categories = rci.categories if rci is not None else (None,) * match.n_matched
    pairs = tuple(
        PairUnit(pair.respondent_code, pair.pre, pair.post, category)
        for pair, category in zip(match.pairs, categories)
    )
    return IndicatorResult(
        spec=spec,
        reach=reach,
        is_suppressed=False,
        headline=_headline(spec.statistic, t_test, rci),
        descriptives_pre=describe(list(_wave_values(spec, data.records, spec.pre_wave))),
        descriptives_post=describe(list(_wave_values(spec, data.records, spec.post_wave))),
        t_test=t_test,
        wilcoxon=wilcoxon_signed_rank(pre, post),
        alpha_pre=alpha_pre,
        alpha_post=_alpha(data.item_points.get(spec.post_wave)),
        reliable_change=rci,
        mcnemar=_mcnemar(spec, pre, post),
        knowledge=knowledge,
        breakdowns=breakdowns_for(
            pairs,
            data.profiles,
            data.attendance,
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


def statistic_of_cell(statistic: Statistic):
    """The headline statistic computed on a group of matched pairs (a breakdown cell)."""
    def share_improved(units: Sequence[PairUnit]) -> float | None:
        if any(unit.category is None for unit in units):
            return None
        return sum(unit.category == ChangeCategory.IMPROVED for unit in units) / len(units)

    def mean_change(units: Sequence[PairUnit]) -> float:
        return float(np.mean([unit.post - unit.pre for unit in units]))

    def hake(units: Sequence[PairUnit]) -> float | None:
        return hake_normalized_gain(
            float(np.mean([unit.pre for unit in units])), float(np.mean([unit.post for unit in units]))
        )

    return {
        Statistic.SHARE_RELIABLY_IMPROVED: share_improved,
        Statistic.MEAN_CHANGE: mean_change,
        Statistic.MEAN_KNOWLEDGE_GAIN: mean_change,
        Statistic.HAKE_GAIN: hake,
    }[statistic]


def _match(spec: IndicatorSpec, records: Sequence[ScoreRecord]) -> ScaleMatch:
    """Pairs pre and post under the indicator's code, so that two instruments (pre/post forms) pair up."""
    relabelled = [replace(record, instrument_id=spec.code) for record in records if _belongs(spec, record)]
    matches = match_waves(relabelled, spec.pre_wave, spec.post_wave)
    return matches.get(
        (spec.code, spec.scale_id),
        ScaleMatch(spec.code, spec.scale_id, spec.pre_wave, spec.post_wave, (), (), ()),
    )


def _belongs(spec: IndicatorSpec, record: ScoreRecord) -> bool:
    return record.scale_id == spec.scale_id and (
        (record.wave == spec.pre_wave and record.instrument_id == spec.pre_instrument)
        or (record.wave == spec.post_wave and record.instrument_id == spec.post_instrument)
    )


def _wave_values(spec: IndicatorSpec, records: Sequence[ScoreRecord], wave: str):
    return (
        record.value for record in records if record.wave == wave and _belongs(spec, record)
        and record.value is not None
    )


def _alpha(matrix: Sequence[Sequence[float | None]] | None) -> AlphaResult | None:
    if not matrix:
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
    return knowledge_gain(answers.pre, answers.post, answers.question_ids)


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
