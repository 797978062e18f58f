"""The indicator report's numbers pinned on a small hand-made data set (issue 17, item 6): every expected value
below is worked by hand from the answers, never taken from surveyapp's own statistics.

The data: the mood test instrument (tests/factories.py; "total" = m1 + (3 - m2) + m3 + m4, 0-12), answered by
children at a baseline and a post session through the intake (record_submission), as tablets send them.

    child   baseline items (points)  total   post items (points)   total   change
    A       2 1 1 1                  5       1 1 1 1               4       -1
    B       1 0 1 0                  2       2 0 1 1               4       +2
    C       1 1 1 1                  4       2 2 2 1               7       +3
    D       1 1 0 1                  3       2 1 2 2               7       +4
    E       2 1 2 1                  6       3 3 2 3               11      +5
    F       3 2 2 2                  9       -                     -       (lost: baseline only)
    G       -                        -       3 2 2 3               10      (post only)
    W       0 0 0 0                  0       3 3 3 3               12      (withdrawn: counted nowhere)

Sources of the methods: paired t and its CI (Student 1908) with the t distribution for 4 degrees of freedom in
closed form, A(t|4) = sin(theta) (1 + cos^2(theta) / 2), theta = atan(t / 2) (Abramowitz & Stegun 1964, 26.7.3),
and t(0.975; 4) = 2.7764451 (A&S table 26.10; R: qt(0.975, 4)); d_z = mean change / SD of the changes (Cohen
1988); the Wilcoxon signed-rank exact null distribution (Wilcoxon 1945); Cronbach's alpha (Cronbach 1951);
the Reliable Change Index (Jacobson & Truax 1991); Holm's step-down adjustment (Holm 1979); quartiles of
Hyndman & Fan (1996) type 7 (R's default).
"""

import math
import uuid

import pytest

from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.report import build_report
from surveyapp.respondents.consent import withdraw
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.services import SubmissionRequest, record_submission
from surveyapp.scoring.indicators import Statistic, Verdict, target_verdict
from surveyapp.scoring.paired import ChangeCategory, WilcoxonPMethod
from surveyapp.sessions.models import Wave
from tests.factories import mood_instrument

POINTS = {  # child: (baseline item points, post item points), as in the table above
    "A": ((2, 1, 1, 1), (1, 1, 1, 1)),
    "B": ((1, 0, 1, 0), (2, 0, 1, 1)),
    "C": ((1, 1, 1, 1), (2, 2, 2, 1)),
    "D": ((1, 1, 0, 1), (2, 1, 2, 2)),
    "E": ((2, 1, 2, 1), (3, 3, 2, 3)),
    "F": ((3, 2, 2, 2), None),
    "G": (None, (3, 2, 2, 3)),
    "W": ((0, 0, 0, 0), (3, 3, 3, 3)),
}

# The changes of A..E: -1, 2, 3, 4, 5.
MEAN_CHANGE = 13 / 5
SD_CHANGE = math.sqrt(53 / 10)  # squared deviations 12.96 + 0.36 + 0.16 + 1.96 + 5.76 = 21.2, / 4
T = MEAN_CHANGE / (SD_CHANGE / math.sqrt(5))  # t^2 = 338/53
P_T = 1 - math.sqrt(1 - 106 / 275) * (1 + 106 / 275 / 2)  # cos^2(theta) = 1 / (1 + t^2/4) = 106/275 (A&S 26.7.3)
T_975_4 = 2.7764451
ALPHA_PRE = 496 / 555  # 4/3 (1 - (61/30) / (185/30)): item variances 2/3, 2/5, 17/30, 2/5; total's 37/6
ALPHA_POST = 680 / 771  # 4/3 (1 - (29/10) / (257/30)): item variances 17/30, 11/10, 4/15, 29/30
SE_DIFFERENCE = math.sqrt(59 / 111)  # SD of A..E at baseline (5, 2, 4, 3, 6): sqrt(5/2); 2 * 5/2 * (1 - 496/555)


def answers(points: tuple[int, int, int, int]) -> dict:
    m1, m2, m3, m4 = points
    return {"m1": m1, "m2": 3 - m2, "m3": m3, "m4": m4, "worry": 0}  # m2 is reverse-keyed


def indicator(code: str, statistic: Statistic, target: int, threshold: float) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=code,
        title={"en": code},
        method={"en": "Survey"},
        target=target,
        respondent_kind=RespondentKind.CHILD,
        pre_instrument="mood",
        post_instrument="mood",
        scale="total",
        statistic=statistic,
        success_threshold=threshold,
    )


@pytest.fixture
def report(publish, make_session, make_respondent):
    version = publish(mood_instrument())
    sessions = {wave: make_session([version], wave=wave) for wave in (Wave.BASELINE, Wave.POST)}
    children = {name: make_respondent() for name in POINTS}
    for name, points_at_waves in POINTS.items():
        for wave, points in zip((Wave.BASELINE, Wave.POST), points_at_waves):
            if points is None:
                continue
            record_submission(
                SubmissionRequest(
                    client_uuid=uuid.uuid4(),
                    join_code=sessions[wave].join_code,
                    respondent_code=children[name].code,
                    instrument="mood",
                    version="1.0",
                    language="ru",
                    answers=answers(points),
                    has_assent=True,
                )
            )
    withdraw(children["W"], "Asked to leave", utc_now())
    db.session.add(indicator("mood_change", Statistic.MEAN_CHANGE, target=7, threshold=2.5))
    db.session.add(indicator("mood_improved", Statistic.SHARE_RELIABLY_IMPROVED, target=8, threshold=0.5))
    db.session.commit()
    return {entry.code: entry.result for entry in build_report(suppress_small=False).entries}


def test_reach_counts_the_matched_the_lost_and_the_post_only_and_not_the_withdrawn(report):
    reach = report["mood_change"].reach
    assert (reach.n_pre, reach.n_post, reach.n_matched, reach.n_pre_only, reach.n_post_only) == (6, 6, 5, 1, 1)
    assert (reach.n_reached, reach.attrition_share) == (7, pytest.approx(1 / 6))


def test_each_wave_is_described_over_every_child_scored_at_it(report):
    pre, post = report["mood_change"].descriptives_pre, report["mood_change"].descriptives_post
    assert (pre.n, pre.mean, pre.sd) == (6, pytest.approx(29 / 6), pytest.approx(math.sqrt(37 / 6)))
    assert (pre.q1, pre.median, pre.q3) == (3.25, 4.5, 5.75)  # 2 3 4 5 6 9
    assert (post.n, post.mean, post.sd) == (6, pytest.approx(43 / 6), pytest.approx(math.sqrt(257 / 30)))
    assert (post.q1, post.median, post.q3) == (4.75, 7.0, 9.25)  # 4 4 7 7 10 11


def test_the_paired_t_test_on_the_five_matched_children(report):
    t_test = report["mood_change"].t_test
    margin = T_975_4 * SD_CHANGE / math.sqrt(5)
    assert (t_test.n_pairs, t_test.df, t_test.mean_pre, t_test.mean_post) == (5, 4, 4.0, pytest.approx(6.6))
    assert t_test.mean_difference == pytest.approx(MEAN_CHANGE)
    assert t_test.sd_difference == pytest.approx(SD_CHANGE)
    assert t_test.t_statistic == pytest.approx(T)  # 2.525343
    assert t_test.p_value == pytest.approx(P_T, abs=1e-9)  # 0.0649859
    assert (t_test.ci_lower, t_test.ci_upper) == (
        pytest.approx(MEAN_CHANGE - margin, abs=1e-6),  # -0.258525
        pytest.approx(MEAN_CHANGE + margin, abs=1e-6),  # 5.458525
    )
    assert t_test.cohens_dz == pytest.approx(MEAN_CHANGE / SD_CHANGE)  # 1.129368


def test_the_wilcoxon_signed_rank_test_is_exact_without_ties(report):
    """|changes| 1 2 3 4 5 are ranks 1..5; only A's (rank 1) is negative. Of the 2^5 equally likely sign sets,
    two have T- <= 1 (none negative, or only rank 1): one-sided 2/32, two-sided 4/32."""
    wilcoxon = report["mood_change"].wilcoxon
    assert (wilcoxon.rank_sum_positive, wilcoxon.rank_sum_negative, wilcoxon.statistic) == (14, 1, 1)
    assert (wilcoxon.p_value, wilcoxon.p_value_method) == (pytest.approx(4 / 32), WilcoxonPMethod.EXACT)
    assert wilcoxon.rank_biserial_r == pytest.approx(13 / 15)


def test_both_indicators_of_the_children_are_holm_adjusted_as_one_family(report):
    """Two equal p-values: Holm multiplies the smaller by 2 and the other by 1, then keeps them monotone."""
    for code in ("mood_change", "mood_improved"):
        assert (report[code].p_t_holm, report[code].p_wilcoxon_holm) == (pytest.approx(2 * P_T), 0.25)


def test_cronbach_alpha_at_each_wave_from_the_item_points(report):
    result = report["mood_change"]
    assert (result.alpha_pre.alpha, result.alpha_pre.n_respondents_used) == (pytest.approx(ALPHA_PRE), 6)
    assert (result.alpha_post.alpha, result.alpha_post.n_respondents_used) == (pytest.approx(ALPHA_POST), 6)


def test_reliable_change_uses_baseline_alpha_and_the_matched_baseline_sd(report):
    """RCI = change / SEdiff = change / 0.729062: -1.37, 2.74, 4.11, 5.49, 6.86; beyond 1.96 for B..E."""
    change = report["mood_improved"].reliable_change
    assert (change.sd_pre, change.se_difference) == (pytest.approx(math.sqrt(5 / 2)), pytest.approx(SE_DIFFERENCE))
    by_rci = sorted(zip(change.rci, change.categories))  # pairs come in the order of the children's codes
    assert [rci for rci, _category in by_rci] == pytest.approx([d / SE_DIFFERENCE for d in (-1, 2, 3, 4, 5)])
    assert [category for _rci, category in by_rci] == [ChangeCategory.UNCHANGED] + [ChangeCategory.IMPROVED] * 4
    assert (change.n_improved, change.n_unchanged, change.n_worsened) == (4, 1, 0)


def test_each_headline_and_verdict(report):
    """mood_change: 7 reached of a target of 7, mean change 2.6 >= 2.5: met. mood_improved: 4/5 = 0.8 improved,
    but 7 reached of a target of 8: not met."""
    change, improved = report["mood_change"], report["mood_improved"]
    assert (change.headline.value, change.headline.ci_lower) == (pytest.approx(MEAN_CHANGE), change.t_test.ci_lower)
    assert (improved.headline.value, improved.headline.count) == (pytest.approx(0.8), 4)
    assert (target_verdict(change), target_verdict(improved)) == (Verdict.MET, Verdict.NOT_MET)
