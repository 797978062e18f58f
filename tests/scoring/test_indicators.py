"""The indicator glue (scoring.indicators, scoring.breakdowns) on small datasets worked by hand.

Paired t arithmetic (Student 1908; any textbook's paired t): differences d = post - pre, mean d / (SD_d / sqrt n),
df = n - 1, CI = mean d +/- t(0.975, df) x SD_d / sqrt n with t(0.975, 4) = 2.776445 (t table).
Reliable change: Jacobson & Truax (1991), SEdiff = SD_pre x sqrt(2) x sqrt(1 - r_xx), reliable when
|d| / SEdiff > 1.96. Hake (1998): g = (post% - pre%) / (100 - pre%) on class averages. Holm (1979).
Success rule: met when at least `target` were reached (surveyed before or after) and the result of the matched,
in the direction of improvement, reaches the threshold; three-valued like Kleene's "and" (false and unknown = false).
"""

import math
from dataclasses import replace

import numpy as np
import pytest

from surveyapp.scoring.breakdowns import Groups
from surveyapp.scoring.disaggregation import age_group
from surveyapp.scoring.indicators import (
    IndicatorData,
    IndicatorSpec,
    KnowledgeAnswers,
    Statistic,
    Verdict,
    WaveScores,
    build_indicator_table,
    evaluate_indicator,
    target_verdict,
)
from surveyapp.scoring.paired import ChangeCategory

PRE = {"A": 10, "B": 12, "C": 14, "D": 16, "E": 18}
POST = {"A": 12, "B": 13, "C": 17, "D": 16, "E": 22}  # d = 2, 1, 3, 0, 4

# Two items whose alpha is worked by hand: item variances 5/3 and 5/3; totals 3, 3, 7, 7 have variance 16/3;
# alpha = 2/1 x (1 - (10/3)/(16/3)) = 2 x 3/8 = 0.75.
ALPHA_075_ITEMS = [[1, 2], [2, 1], [3, 4], [4, 3]]


def spec(**changes) -> IndicatorSpec:
    values = dict(
        code="resilience",
        respondent_kind="child",
        pre_instrument="cyrmr",
        post_instrument="cyrmr",
        scale_id="total",
        statistic=Statistic.MEAN_CHANGE,
        target=500,
    )
    return IndicatorSpec(**(values | changes))


SURVEY_YEAR = 2023


def groups(keys: list) -> Groups:
    labels = tuple(dict.fromkeys(keys))
    return Groups(labels, np.array([labels.index(key) for key in keys], dtype=np.intp))


def wave(scores: dict, profiles: dict | None = None) -> WaveScores:
    """profiles: code -> (sex, birth year, territory); every respondent surveyed at one session in 2023."""
    people = [(profiles or {}).get(code, ("female", 2010, "T1")) for code in scores]
    return WaveScores(
        codes=np.array(list(scores), dtype=str),
        values=np.array(list(scores.values()), dtype=float),
        groups={
            "sex": groups([sex for sex, _, _ in people]),
            "age_group": groups([age_group(year, SURVEY_YEAR) for _, year, _ in people]),
            "territory": groups([territory for _, _, territory in people]),
            "session": groups(["Baseline, T1"] * len(people)),
        },
    )


def data(pre=PRE, post=POST, items=ALPHA_075_ITEMS, profiles=None, **changes) -> IndicatorData:
    return IndicatorData(
        pre=wave(pre, profiles), post=wave(post, profiles), item_points={"baseline": items, "post": items}, **changes
    )


def test_mean_change_with_its_confidence_interval_and_effect_size():
    # d = 2, 1, 3, 0, 4: mean 2, SD sqrt(10/4) = 1.58114, t = 2 / (1.58114 / sqrt 5) = 2 sqrt 2 = 2.82843,
    # df 4, two-sided p = 0.04742; CI 2 +/- 2.776445 x 0.707107 = [0.03675, 3.96325]; d_z = 2 / 1.58114 = 1.26491.
    result = evaluate_indicator(spec(), data(), suppress_small=False)
    assert result.headline.value == pytest.approx(2)
    assert (result.headline.ci_lower, result.headline.ci_upper) == pytest.approx((0.036752, 3.963248), abs=1e-5)
    assert result.t_test.t_statistic == pytest.approx(2 * math.sqrt(2))
    assert result.t_test.p_value == pytest.approx(0.047421, abs=1e-6)
    assert result.t_test.cohens_dz == pytest.approx(1.264911, abs=1e-6)


def test_reach_counts_matched_lost_and_post_only_respondents():
    pre = PRE | {"F": 20, "G": 11}  # F and G lost after baseline
    post = POST | {"H": 15}  # H seen only after
    result = evaluate_indicator(spec(), data(pre, post), suppress_small=False)
    reach = result.reach
    assert (reach.n_pre, reach.n_post, reach.n_matched, reach.n_pre_only, reach.n_post_only) == (7, 6, 5, 2, 1)
    assert reach.attrition_share == pytest.approx(2 / 7)
    # Descriptives per wave use every scored respondent: pre mean (10+12+14+16+18+20+11)/7 = 101/7.
    assert result.descriptives_pre.n == 7 and result.descriptives_pre.mean == pytest.approx(101 / 7)
    assert result.t_test.n_pairs == 5


def test_share_reliably_improved_uses_alpha_at_baseline_from_the_items():
    # alpha at baseline 0.75 (ALPHA_075_ITEMS). SD_pre of 10, 12, 14, 16, 18 = sqrt(10) = 3.16228;
    # SEdiff = sqrt(10) x sqrt(2) x sqrt(0.25) = sqrt(5) = 2.23607; reliable when |d| > 1.96 x 2.23607 = 4.38269.
    # d = +5, 0, -5, +1, +4.5 -> improved A and E (2 of 5 = 0.4), worsened C, unchanged B and D.
    post = {"A": 15, "B": 12, "C": 9, "D": 17, "E": 22.5}
    result = evaluate_indicator(
        spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED), data(post=post), suppress_small=False
    )
    assert result.alpha_pre.alpha == pytest.approx(0.75)
    assert result.reliable_change.se_difference == pytest.approx(math.sqrt(5))
    assert result.headline.value == pytest.approx(0.4) and result.headline.count == 2
    assert result.pairs.categories.tolist() == [
        ChangeCategory.IMPROVED,
        ChangeCategory.UNCHANGED,
        ChangeCategory.WORSENED,
        ChangeCategory.UNCHANGED,
        ChangeCategory.IMPROVED,
    ]


def test_a_lower_is_better_scale_counts_a_fall_as_improvement():
    post = {"A": 5, "B": 12, "C": 14, "D": 16, "E": 18}  # A falls by 5 > 4.38269
    result = evaluate_indicator(
        spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED, higher_is_better=False), data(post=post), suppress_small=False
    )
    assert result.reliable_change.n_improved == 1 and result.headline.value == pytest.approx(0.2)


def test_no_reliable_change_without_a_usable_alpha():
    # Items that never vary give no alpha: the RCI has no SEdiff, so the share is not computed.
    result = evaluate_indicator(
        spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED), data(items=[[1, 1], [1, 1], [1, 1]]), suppress_small=False
    )
    assert result.alpha_pre.alpha is None
    assert result.reliable_change is None and result.headline.value is None
    assert result.pairs.categories is None


def test_mcnemar_at_the_indicators_cut_off():
    # Flagged = at or below 12. Pre flagged: A (10), B (12); post flagged: none (12 -> 13, 10 -> 12 stays!).
    # A: 10 -> 12 flagged both; B: 12 -> 13 flagged pre only. b = 1, c = 0: exact p = 1.0 decides (b + c < 25).
    result = evaluate_indicator(spec(cutoff=12, cutoff_rule="at_or_below"), data(), suppress_small=False)
    mcnemar = result.mcnemar
    assert (mcnemar.both_flagged, mcnemar.flagged_pre_only, mcnemar.flagged_post_only, mcnemar.neither_flagged) == (
        1,
        1,
        0,
        3,
    )
    assert mcnemar.decided_by == "exact" and mcnemar.p_value == pytest.approx(1.0)
    assert evaluate_indicator(spec(), data(), suppress_small=False).mcnemar is None


def test_a_knowledge_test_pairs_two_instruments_by_respondent():
    # staff_knowledge_pre at baseline, staff_knowledge_post at post, both scale "percent".
    # Matched X, Y, Z: pre 40, 60, 80 (mean 60), post 70, 80, 90 (mean 80): gain +20 points,
    # Hake g = (80 - 60) / (100 - 60) = 0.5. W took only the pre test.
    pre, post = {"X": 40, "Y": 60, "Z": 80, "W": 50}, {"X": 70, "Y": 80, "Z": 90}
    knowledge_spec = spec(
        code="staff",
        respondent_kind="staff",
        pre_instrument="staff_knowledge_pre",
        post_instrument="staff_knowledge_post",
        scale_id="percent",
        statistic=Statistic.HAKE_GAIN,
    )
    answers = KnowledgeAnswers(
        pre_codes=np.array(["X", "Y", "Z"]),
        pre_correct=np.array([[True, False], [True, True], [False, True]]),
        post_codes=np.array(["Z", "Y", "X"]),
        post_correct=np.ones((3, 2), dtype=bool),
        question_ids=("q01", "q02"),
    )
    result = evaluate_indicator(knowledge_spec, data(pre, post, knowledge=answers), suppress_small=False)
    assert (result.reach.n_matched, result.reach.n_pre_only) == (3, 1)
    assert result.headline.value == pytest.approx(0.5)
    assert result.t_test.mean_difference == pytest.approx(20)
    # Per question, over X, Y, Z: q01 pre 2/3, post 3/3; q02 pre 2/3, post 3/3.
    assert [(q.percent_correct_pre, q.percent_correct_post) for q in result.knowledge.questions] == [
        (pytest.approx(200 / 3), 100),
        (pytest.approx(200 / 3), 100),
    ]
    assert [b.dimension for b in result.breakdowns] == ["sex", "territory", "session"]


def test_holm_adjusts_within_the_children_and_not_across_kinds():
    # Children: p1 (mean change above) = 0.047421 and p2 from a second scale; Holm with m = 2:
    # smaller x 2, larger max(smaller x 2, larger). The staff indicator is its own family of one: unchanged.
    second_post = {"A": 11, "B": 14, "C": 14, "D": 18, "E": 19}  # d = 1, 2, 0, 2, 1
    staff = spec(code="staff", respondent_kind="staff")
    table = build_indicator_table(
        [(spec(), data()), (spec(code="second"), data(post=second_post)), (staff, data())], suppress_small=False
    )
    p1, p2, p_staff = (result.t_test.p_value for result in table.results)
    smaller, larger = sorted((p1, p2))
    adjusted = {p1: table.results[0].p_t_holm, p2: table.results[1].p_t_holm}
    assert adjusted[smaller] == pytest.approx(2 * smaller)
    assert adjusted[larger] == pytest.approx(max(2 * smaller, larger))
    assert table.results[2].p_t_holm == pytest.approx(p_staff)


def test_a_viewer_gets_no_statistics_for_fewer_than_five_matched():
    pre = {"A": 10, "B": 12, "C": 14, "D": 16}
    post = {"A": 11, "B": 13, "C": 15, "D": 18}
    hidden = evaluate_indicator(spec(), data(pre, post), suppress_small=True)
    assert hidden.is_suppressed and hidden.headline.value is None
    assert hidden.t_test is None and len(hidden.pairs) == 0 and hidden.breakdowns == ()
    assert hidden.reach.n_matched == 4
    assert not evaluate_indicator(spec(), data(pre, post), suppress_small=False).is_suppressed


def _sex_data():
    # 6 girls, 5 boys, 1 child whose sex was not given; every child's change is +2 except the one unknown (+8).
    codes = [f"C{n}" for n in range(12)]
    sexes = ["female"] * 6 + ["male"] * 5 + [None]
    pre = {code: 10 + n for n, code in enumerate(codes)}
    post = {code: pre[code] + (8 if sex is None else 2) for code, sex in zip(codes, sexes)}
    profiles = {code: (sex, 2011, "T1") for code, sex in zip(codes, sexes)}
    return data(pre, post, profiles=profiles)


def test_small_cells_and_their_complement_are_hidden_from_the_viewer():
    # Total mean change = (11 x 2 + 8) / 12 = 2.5. Hiding only the unknown cell (n = 1) would leave it
    # recoverable: 12 x 2.5 - 6 x 2 - 5 x 2 = 8. So the smallest other cell (boys, n = 5) is hidden too.
    result = evaluate_indicator(spec(), _sex_data(), suppress_small=True)
    sex = next(b for b in result.breakdowns if b.dimension == "sex")
    assert result.headline.value == pytest.approx(2.5)
    assert [(c.key, c.n, c.value, c.is_suppressed) for c in sex.cells] == [
        ("female", 6, pytest.approx(2), False),
        ("male", None, None, True),
        (None, None, None, True),
    ]


def test_staff_see_small_cells_marked_not_hidden():
    result = evaluate_indicator(spec(), _sex_data(), suppress_small=False)
    sex = next(b for b in result.breakdowns if b.dimension == "sex")
    assert [(c.key, c.n, c.value, c.is_small) for c in sex.cells] == [
        ("female", 6, pytest.approx(2), False),
        ("male", 5, pytest.approx(2), False),
        (None, 1, pytest.approx(8), True),
    ]


def test_age_groups_come_from_the_birth_year_and_the_survey_year():
    # Surveyed in 2023: born 2012 -> 11 (10-12), 2010 -> 13 (13-14), 2008 -> 15 (15-16).
    codes = [f"C{n}" for n in range(15)]
    years = [2012] * 5 + [2010] * 5 + [2008] * 5
    pre = {code: 10 for code in codes}
    post = {code: 10 + n % 3 for n, code in enumerate(codes)}
    profiles = {code: ("female", year, "T1") for code, year in zip(codes, years)}
    result = evaluate_indicator(spec(), data(pre, post, profiles=profiles), suppress_small=True)
    ages = next(b for b in result.breakdowns if b.dimension == "age_group")
    # Changes by position n % 3: 10-12 holds n = 0..4 -> 0, 1, 2, 0, 1 (mean 0.8); 13-14 n = 5..9 -> 2, 0, 1, 2, 0
    # (mean 1.0); 15-16 n = 10..14 -> 1, 2, 0, 1, 2 (mean 1.2).
    assert [(c.key, c.n, c.value) for c in ages.cells] == [
        ("10-12", 5, pytest.approx(0.8)),
        ("13-14", 5, pytest.approx(1.0)),
        ("15-16", 5, pytest.approx(1.2)),
    ]


# Success rule. PRE -> POST: d = 2, 1, 3, 0, 4, mean change 2, five matched.


@pytest.mark.parametrize(
    ("target", "threshold", "verdict"),
    [
        (5, 2, Verdict.MET),  # 5 matched >= 5 and mean change 2 >= 2: equal reaches
        (5, 2.5, Verdict.NOT_MET),  # 2 < 2.5
        (6, 1, Verdict.NOT_MET),  # the result reaches 1, but only 5 of 6 were reached
        (5, None, Verdict.MET),  # no threshold: reach alone decides
        (6, None, Verdict.NOT_MET),
    ],
)
def test_the_target_is_met_when_enough_were_matched_and_the_result_reaches_the_threshold(target, threshold, verdict):
    result = evaluate_indicator(spec(target=target, success_threshold=threshold), data(), suppress_small=False)
    assert target_verdict(result) == verdict


def test_those_lost_before_the_post_survey_count_as_reached_not_in_the_result():
    # F surveyed only before, G only after: 7 reached, the result still the five matched's mean change of 2.
    reached = evaluate_indicator(
        spec(target=7, success_threshold=2), data(PRE | {"F": 30}, POST | {"G": 1}), suppress_small=False
    )
    assert (reached.reach.n_reached, reached.reach.n_matched) == (7, 5)
    assert reached.headline.value == pytest.approx(2)
    assert target_verdict(reached) == Verdict.MET
    assert target_verdict(replace(reached, spec=spec(target=8, success_threshold=2))) == Verdict.NOT_MET


def test_on_a_lower_is_better_scale_the_mean_change_must_fall_by_the_threshold():
    # The same changes read the other way: POST -> PRE is d = -2, -1, -3, 0, -4, a fall of 2 (an improvement).
    improving = evaluate_indicator(
        spec(target=5, success_threshold=1.5, higher_is_better=False), data(pre=POST, post=PRE), suppress_small=False
    )
    assert target_verdict(improving) == Verdict.MET
    worsening = evaluate_indicator(
        spec(target=5, success_threshold=1.5, higher_is_better=False), data(), suppress_small=False
    )  # rises by 2: a worsening of 2
    assert target_verdict(worsening) == Verdict.NOT_MET


def test_a_share_reliably_improved_is_compared_as_a_share():
    # As above (test_share_reliably_improved_uses_alpha_at_baseline_from_the_items): 2 of 5 = 0.4 improved.
    post = {"A": 15, "B": 12, "C": 9, "D": 17, "E": 22.5}
    share = spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED, target=5)
    for threshold, verdict in ((0.4, Verdict.MET), (0.41, Verdict.NOT_MET)):
        result = evaluate_indicator(replace(share, success_threshold=threshold), data(post=post), suppress_small=False)
        assert target_verdict(result) == verdict


def test_a_normalized_gain_is_compared_as_a_gain():
    # As above (test_a_knowledge_test_pairs_two_instruments_by_respondent): g = (80 - 60) / (100 - 60) = 0.5.
    pre, post = {"X": 40, "Y": 60, "Z": 80}, {"X": 70, "Y": 80, "Z": 90}
    hake = spec(statistic=Statistic.HAKE_GAIN, target=3, scale_id="percent")
    knowledge = data(pre, post)
    assert (
        target_verdict(evaluate_indicator(replace(hake, success_threshold=0.5), knowledge, suppress_small=False))
        == Verdict.MET
    )
    assert (
        target_verdict(evaluate_indicator(replace(hake, success_threshold=0.6), knowledge, suppress_small=False))
        == Verdict.NOT_MET
    )


def test_a_result_equal_to_the_threshold_reaches_it_despite_binary_rounding():
    # d = 0.1, 0.1, 0.1, 0.1, 0.2: the mean is 0.12, but in binary floating point 0.11999999999999993.
    post = {"A": 10.1, "B": 12.1, "C": 14.1, "D": 16.1, "E": 18.2}
    result = evaluate_indicator(spec(target=5, success_threshold=0.12), data(post=post), suppress_small=False)
    assert result.headline.value < 0.12
    assert target_verdict(result) == Verdict.MET
    assert target_verdict(replace(result, spec=spec(target=5, success_threshold=0.13))) == Verdict.NOT_MET


def test_a_result_that_cannot_be_computed_leaves_a_reached_target_undecided():
    # Items that never vary give no alpha, so no share reliably improved (test_no_reliable_change_...).
    share = spec(statistic=Statistic.SHARE_RELIABLY_IMPROVED, success_threshold=0.3)
    constant_items = data(items=[[1, 1], [1, 1], [1, 1]])
    assert (
        target_verdict(evaluate_indicator(replace(share, target=5), constant_items, suppress_small=False))
        == Verdict.NOT_ENOUGH_DATA
    )
    assert (
        target_verdict(evaluate_indicator(replace(share, target=6), constant_items, suppress_small=False))
        == Verdict.NOT_MET
    )


def test_a_result_hidden_from_the_viewer_decides_nothing():
    # Four matched (below the minimum cell of 5): the viewer's result is hidden, its verdict cannot use it.
    pre, post = {"A": 10, "B": 12, "C": 14, "D": 16}, {"A": 11, "B": 13, "C": 15, "D": 18}
    small = data(pre, post)
    assert (
        target_verdict(evaluate_indicator(spec(target=4, success_threshold=1), small, suppress_small=True))
        == Verdict.NOT_ENOUGH_DATA
    )
    assert (
        target_verdict(evaluate_indicator(spec(target=4, success_threshold=1), small, suppress_small=False))
        == Verdict.MET
    )  # mean change 1.25
    assert (
        target_verdict(evaluate_indicator(spec(target=10, success_threshold=1), small, suppress_small=True))
        == Verdict.NOT_MET
    )
