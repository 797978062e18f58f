"""Paired t-test, Wilcoxon signed-rank, Reliable Change Index and McNemar.

Expected values are worked by hand in the comments (or taken from the cited published example); p-values are
checked with closed forms (math.erfc, exact enumeration, binomial sums), never with the SciPy call the code makes.
"""

import math

import numpy as np
import pytest

from surveyapp.scoring.paired import (
    ChangeCategory,
    WilcoxonPMethod,
    complete_pairs,
    mcnemar_at_cutoff,
    mcnemar_from_table,
    paired_t_test,
    reliable_change,
    wilcoxon_signed_rank,
)


def normal_two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def chi_square_1df_p(chi_square: float) -> float:
    """P(X > x) for 1 df: X = Z^2, so it is the two-sided normal p of sqrt(x)."""
    return math.erfc(math.sqrt(chi_square / 2))


def t4_two_sided_p(t: float) -> float:
    """Student t with 4 df, Abramowitz & Stegun 26.7.3: P(|T| <= t) = sin(theta) (1 + cos^2(theta) / 2),
    theta = arctan(t / sqrt(4))."""
    theta = math.atan(abs(t) / 2)
    return 1 - math.sin(theta) * (1 + math.cos(theta) ** 2 / 2)


# --- paired t-test -------------------------------------------------------------------------------------

PRE = [10, 12, 9, 14, 11]
POST = [13, 13, 12, 15, 16]
# differences post - pre: 3 1 3 1 5; mean 13/5 = 2.6
# deviations 0.4 -1.6 0.4 -1.6 2.4 -> SS = 0.16+2.56+0.16+2.56+5.76 = 11.2; variance 11.2/4 = 2.8; SD = sqrt(2.8)
# SE = sqrt(2.8/5) = sqrt(0.56); t = 2.6/sqrt(0.56) = 3.474396 (t^2 = 6.76/0.56 = 169/14); df = 4
# p (A&S 26.7.3): sin(theta) = t/sqrt(t^2+4) = sqrt(169/14)/sqrt(225/14) = 13/15, cos^2(theta) = 4/(225/14) = 56/225
#   P(|T| <= t) = 13/15 * (1 + 28/225) = 3289/3375, so p = 86/3375 = 0.025481
# d_z = 2.6 / sqrt(2.8) = 1.553797 (= t / sqrt(5))
# 95% CI: t_0.975,4 = 2.776 (t tables); 2.6 -/+ 2.776445 * sqrt(0.56) = (0.5223, 4.6777)


def test_paired_t_worked_example():
    result = paired_t_test(PRE, POST)
    assert result.n_pairs == 5
    assert result.mean_pre == pytest.approx(11.2)
    assert result.mean_post == pytest.approx(13.8)
    assert result.mean_difference == pytest.approx(2.6)
    assert result.sd_difference == pytest.approx(math.sqrt(2.8))
    assert result.df == 4
    assert result.t_statistic == pytest.approx(2.6 / math.sqrt(0.56))
    assert result.p_value == pytest.approx(86 / 3375)
    assert result.p_value == pytest.approx(t4_two_sided_p(result.t_statistic))
    assert result.cohens_dz == pytest.approx(2.6 / math.sqrt(2.8))
    assert result.cohens_dz == pytest.approx(result.t_statistic / math.sqrt(5))


def test_paired_t_confidence_interval():
    result = paired_t_test(PRE, POST)
    standard_error = math.sqrt(0.56)
    critical_t = (result.ci_upper - 2.6) / standard_error
    assert critical_t == pytest.approx(2.776, abs=5e-4)  # printed t tables, df 4, 97.5th percentile
    assert t4_two_sided_p(critical_t) == pytest.approx(0.05)  # exactly the 95% point of t(4)
    assert result.ci_lower == pytest.approx(2.6 - critical_t * standard_error)
    assert result.confidence_level == 0.95


def test_paired_t_sign_follows_post_minus_pre():
    result = paired_t_test(POST, PRE)
    assert result.mean_difference == pytest.approx(-2.6)
    assert result.t_statistic == pytest.approx(-2.6 / math.sqrt(0.56))
    assert result.cohens_dz < 0 and result.ci_upper < 0


def test_paired_t_drops_incomplete_pairs():
    result = paired_t_test(PRE + [None, 20], POST + [14, float("nan")])
    assert result.n_pairs == 5
    assert result.t_statistic == pytest.approx(2.6 / math.sqrt(0.56))


def test_paired_t_all_differences_zero():
    result = paired_t_test([3, 4, 5], [3, 4, 5])
    assert (result.n_pairs, result.mean_difference, result.sd_difference, result.df) == (3, 0.0, 0.0, 2)
    assert result.t_statistic is result.p_value is result.cohens_dz is result.ci_lower is result.ci_upper is None


def test_paired_t_constant_nonzero_difference_has_no_inference():
    result = paired_t_test([3, 4, 5], [5, 6, 7])
    assert (result.mean_difference, result.sd_difference) == (2.0, 0.0)
    assert result.t_statistic is None and result.cohens_dz is None


@pytest.mark.parametrize("pre, post", [([1], [2]), ([], [])])
def test_paired_t_fewer_than_two_pairs(pre, post):
    result = paired_t_test(pre, post)
    assert result.sd_difference is result.df is result.t_statistic is result.p_value is None
    assert result.mean_difference == (1.0 if pre else None)


def test_pairs_must_align():
    with pytest.raises(ValueError):
        complete_pairs([1, 2, 3], [1, 2])


# --- Wilcoxon signed-rank ------------------------------------------------------------------------------


def test_wilcoxon_exact_without_ties():
    # differences 1 2 3 -4 5: ranks of |d| are 1..5; T+ = 1+2+3+5 = 11, T- = 4.
    # Rank-biserial (Kerby 2014, simple difference formula): r = (11 - 4) / (5*6/2) = 7/15 = 0.4667
    # Exact null: each of the 2^5 = 32 sign patterns equally likely. Subsets of ranks {1..5} with sum <= 4:
    # {}, {1}, {2}, {3}, {4}, {1,2}, {1,3} -> 7; p = 2 * 7/32 = 0.4375.
    result = wilcoxon_signed_rank([10] * 5, [11, 12, 13, 6, 15])
    assert (result.n_pairs, result.n_zero_differences, result.n_nonzero) == (5, 0, 5)
    assert (result.rank_sum_positive, result.rank_sum_negative, result.statistic) == (11, 4, 4)
    assert result.rank_biserial_r == pytest.approx(7 / 15)
    assert result.p_value == pytest.approx(14 / 32)
    assert result.p_value_method is WilcoxonPMethod.EXACT
    assert result.zero_method == "wilcox"


def test_wilcoxon_hollander_wolfe_depression_example():
    # Hollander & Wolfe (1973), Example 3.1, p. 29f (the example of R's ?wilcox.test): Hamilton depression
    # factor of 9 patients at the first (x) and second (y) visit. R: wilcox.test(x, y, paired = TRUE,
    # alternative = "greater") gives V = 40, p = 0.01953; two-sided p = 0.0391 (H&W 1999, 2nd ed., p. 40).
    # Post - pre = y - x: -0.952 0.147 -1.022 -0.43 -0.62 -0.59 -0.49 0.08 -0.01, no ties, no zeros.
    # Ranks of |d|: 0.01->1, 0.08->2, 0.147->3, 0.43->4, 0.49->5, 0.59->6, 0.62->7, 0.952->8, 1.022->9.
    # T+ (post higher) = 2 + 3 = 5, T- = 45 - 5 = 40 (R's V). r = (5 - 40) / 45 = -7/9.
    # Exact: subsets of {1..9} with sum <= 5: {} {1} {2} {3} {1,2} {4} {1,3} {5} {1,4} {2,3} = 10 of 2^9;
    # two-sided p = 2 * 10/512 = 0.0390625.
    first_visit = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    second_visit = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    result = wilcoxon_signed_rank(first_visit, second_visit)
    assert (result.rank_sum_positive, result.rank_sum_negative, result.statistic) == (5, 40, 5)
    assert result.rank_biserial_r == pytest.approx(-7 / 9)
    assert result.p_value == pytest.approx(20 / 512)
    assert result.p_value == pytest.approx(0.0391, abs=5e-5)
    assert result.p_value_method is WilcoxonPMethod.EXACT


def test_wilcoxon_drops_zero_differences_and_enumerates_ties():
    # differences 1 1 2 -3 5 0 0: the two zeros are dropped (zero_method "wilcox", as Kerby 2014), n = 5.
    # |d| 1 1 2 3 5 -> ranks 1.5 1.5 3 4 5; T+ = 1.5+1.5+3+5 = 11, T- = 4; r = (11-4)/15 = 7/15.
    # Permutation null over 32 sign patterns: subsets of {1.5, 1.5, 3, 4, 5} with sum <= 4:
    # {}, {1.5}, {1.5'}, {1.5, 1.5'} = 3, {3}, {4} -> 6; p = 2 * 6/32 = 0.375.
    result = wilcoxon_signed_rank([0] * 7, [1, 1, 2, -3, 5, 0, 0])
    assert (result.n_pairs, result.n_zero_differences, result.n_nonzero) == (7, 2, 5)
    assert (result.rank_sum_positive, result.rank_sum_negative) == (11, 4)
    assert result.rank_biserial_r == pytest.approx(7 / 15)
    assert result.p_value == pytest.approx(12 / 32)
    assert result.p_value_method is WilcoxonPMethod.EXACT_PERMUTATION


def test_wilcoxon_normal_approximation_above_50_pairs():
    # differences 1..60, the first 20 negative: T- = 1+...+20 = 210, T+ = 1830 - 210 = 1620.
    # Null mean n(n+1)/4 = 915; variance n(n+1)(2n+1)/24 = 60*61*121/24 = 18452.5
    # z = (1620 - 915) / sqrt(18452.5) = 5.18993; r = (1620 - 210)/1830 = 0.770492
    differences = [-d for d in range(1, 21)] + list(range(21, 61))
    result = wilcoxon_signed_rank([0] * 60, differences)
    assert (result.rank_sum_positive, result.rank_sum_negative) == (1620, 210)
    assert result.rank_biserial_r == pytest.approx(1410 / 1830)
    assert result.p_value == pytest.approx(normal_two_sided_p(705 / math.sqrt(18452.5)))
    assert result.p_value_method is WilcoxonPMethod.NORMAL_APPROXIMATION


def test_wilcoxon_normal_approximation_with_tie_correction():
    # 14 non-zero differences with one tie (|1| twice) -> too many for enumeration with ties (> 13).
    # |d| ranks: 1, 1 -> 1.5 each; 2..13 -> ranks 3..14. Negatives: -1 (1.5) and -13 (14) -> T- = 15.5,
    # T+ = 105 - 15.5 = 89.5. Mean 14*15/4 = 52.5.
    # Variance with tie correction: [n(n+1)(2n+1) - sum(t^3 - t)/2] / 24 = [14*15*29 - (8 - 2)/2] / 24 = 6087/24
    # z = (89.5 - 52.5) / sqrt(253.625) = 2.32330
    differences = [1, -1] + list(range(2, 13)) + [-13]
    result = wilcoxon_signed_rank([0] * 14, differences)
    assert (result.rank_sum_positive, result.rank_sum_negative) == (89.5, 15.5)
    assert result.p_value == pytest.approx(normal_two_sided_p(37 / math.sqrt(6087 / 24)))
    assert result.p_value_method is WilcoxonPMethod.NORMAL_APPROXIMATION


def test_wilcoxon_float_noise_is_not_a_difference():
    # 0.1 + 0.2 - 0.3 is 5.6e-17 in floating point, not 0: it must still count as a zero difference,
    # and 0.3 - 0.1 vs 0.2 as a tie. Differences 0, 0.2, 0.2, 1 -> zero dropped; ranks 1.5 1.5 3; T+ = 6.
    result = wilcoxon_signed_rank([0.3, 0.1, 0.0, 0.0], [0.1 + 0.2, 0.3, 0.2, 1.0])
    assert (result.n_zero_differences, result.n_nonzero, result.rank_sum_positive) == (1, 3, 6)
    assert result.p_value_method is WilcoxonPMethod.EXACT_PERMUTATION


def test_wilcoxon_all_differences_zero():
    result = wilcoxon_signed_rank([4, 5, 6], [4, 5, 6])
    assert (result.n_pairs, result.n_zero_differences, result.n_nonzero) == (3, 3, 0)
    assert result.statistic is result.p_value is result.rank_biserial_r is result.p_value_method is None


def test_wilcoxon_single_pair():
    # One non-zero difference: 2 equally likely signs, T- = 0 is as extreme as possible -> p = 2 * 1/2 = 1.
    result = wilcoxon_signed_rank([1, None], [3, 4])
    assert (result.n_pairs, result.rank_sum_positive, result.rank_biserial_r, result.p_value) == (1, 1, 1.0, 1.0)


# --- Reliable Change Index (Jacobson & Truax 1991) -----------------------------------------------------

RCI_PRE = [10, 12, 14, 16, 18]
RCI_POST = [15, 12, 9, 20, 18]
# SD_pre: mean 14, deviations -4 -2 0 2 4, SS 40, variance 40/4 = 10, SD = sqrt(10)
# r_xx = 0.8: SEdiff = sqrt(10) * sqrt(2) * sqrt(0.2) = sqrt(10 * 2 * 0.2) = sqrt(4) = 2
# RCI = (post - pre)/2 = 5/2, 0, -5/2, 4/2, 0 = 2.5, 0, -2.5, 2.0, 0
# |RCI| > 1.96: child 1 and 4 improved (2.0 > 1.96), child 3 worsened, children 2 and 5 unchanged.


def test_rci_worked_example():
    result = reliable_change(RCI_PRE, RCI_POST, reliability=0.8)
    assert result.sd_pre == pytest.approx(math.sqrt(10))
    assert result.se_difference == pytest.approx(2.0)
    assert result.rci == pytest.approx((2.5, 0.0, -2.5, 2.0, 0.0))
    improved, unchanged, worsened = ChangeCategory.IMPROVED, ChangeCategory.UNCHANGED, ChangeCategory.WORSENED
    assert result.categories == (improved, unchanged, worsened, improved, unchanged)
    assert (result.n_improved, result.n_unchanged, result.n_worsened) == (2, 2, 1)
    assert (result.share_improved, result.share_unchanged, result.share_worsened) == (0.4, 0.4, 0.2)


def test_rci_lower_is_better_swaps_direction():
    result = reliable_change(RCI_PRE, RCI_POST, reliability=0.8, higher_is_better=False)
    assert (result.n_improved, result.n_unchanged, result.n_worsened) == (1, 2, 2)
    assert result.categories[2] is ChangeCategory.IMPROVED
    assert result.rci[0] == pytest.approx(2.5)  # the index itself keeps the sign of post - pre


def test_rci_with_normative_sd():
    # SD 5, r_xx 0.92: SEdiff = 5 * sqrt(2 * 0.08) = 5 * 0.4 = 2. Change of 4 -> RCI 2 (improved);
    # change of 3.8 -> 1.9 (unchanged: 1.9 < 1.96).
    result = reliable_change([10, 10], [14, 13.8], reliability=0.92, sd_pre=5)
    assert result.se_difference == pytest.approx(2.0)
    assert result.categories == (ChangeCategory.IMPROVED, ChangeCategory.UNCHANGED)


@pytest.mark.parametrize("pre, post", [([5], [7]), ([5, 5, 5], [1, 6, 9]), ([], [])])
def test_rci_undefined_without_pre_spread(pre, post):
    assert reliable_change(pre, post, reliability=0.8) is None


def test_rci_no_pairs_with_normative_sd():
    assert reliable_change([], [], reliability=0.8, sd_pre=5) is None


def test_rci_rejects_non_positive_normative_sd():
    with pytest.raises(ValueError):
        reliable_change(RCI_PRE, RCI_POST, reliability=0.8, sd_pre=0)


@pytest.mark.parametrize("reliability", [1.0, 1.2, -0.1])
def test_rci_rejects_impossible_reliability(reliability):
    with pytest.raises(ValueError):
        reliable_change(RCI_PRE, RCI_POST, reliability=reliability)


def test_rci_requires_complete_pairs():
    with pytest.raises(ValueError):
        reliable_change([10, 12, None], [11, 13, 14], reliability=0.8)


# --- McNemar -------------------------------------------------------------------------------------------


def binomial_two_sided_p(b: int, c: int) -> float:
    """Exact McNemar: 2 * P(X <= min(b, c)), X ~ Bin(b + c, 1/2), capped at 1."""
    n = b + c
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def test_mcnemar_agresti_presidential_approval():
    # Agresti (1990), Categorical Data Analysis, p. 350: approval of the President in two surveys one month
    # apart, same 1600 people: approve/approve 794, approve then disapprove 150, disapprove then approve 86,
    # disapprove/disapprove 570. This is the example of R's ?mcnemar.test, whose documented output (continuity
    # corrected) is "McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05".
    # By hand: (|150 - 86| - 1)^2 / (150 + 86) = 63^2 / 236 = 3969/236 = 16.8178.
    result = mcnemar_from_table(both_flagged=794, flagged_pre_only=150, flagged_post_only=86, neither_flagged=570)
    assert result.n_pairs == 1600
    assert result.chi_square_corrected == pytest.approx(3969 / 236)
    assert result.chi_square_corrected == pytest.approx(16.818, abs=5e-4)
    assert result.p_corrected == pytest.approx(4.115e-05, rel=1e-3)
    assert result.p_corrected == pytest.approx(chi_square_1df_p(3969 / 236))
    assert result.p_exact == pytest.approx(binomial_two_sided_p(150, 86))
    assert result.decided_by == "corrected"  # b + c = 236 >= 25
    assert result.p_value == result.p_corrected


def test_mcnemar_small_table_uses_exact_p():
    # b = 1, c = 6: exact p = 2 * (C(7,0) + C(7,1)) / 2^7 = 2 * 8/128 = 0.125
    # corrected chi-square = (|1 - 6| - 1)^2 / 7 = 16/7 = 2.2857
    result = mcnemar_from_table(both_flagged=5, flagged_pre_only=1, flagged_post_only=6, neither_flagged=3)
    assert result.p_exact == pytest.approx(0.125)
    assert result.chi_square_corrected == pytest.approx(16 / 7)
    assert result.p_corrected == pytest.approx(chi_square_1df_p(16 / 7))
    assert result.decided_by == "exact" and result.p_value == result.p_exact


@pytest.mark.parametrize("b, c, decided_by", [(10, 14, "exact"), (11, 14, "corrected")])
def test_mcnemar_decision_switches_at_25_discordant_pairs(b, c, decided_by):
    assert mcnemar_from_table(0, b, c, 0).decided_by == decided_by


def test_mcnemar_equal_discordant_counts_give_p_one():
    # b = c = 13: the continuity correction is clipped at 0 (|b - c| - 1 would be -1), so chi-square 0, p 1;
    # exact p = 1 as well (the observed split is the most likely one).
    result = mcnemar_from_table(0, 13, 13, 0)
    assert (result.chi_square_corrected, result.p_corrected, result.p_exact) == (0.0, 1.0, 1.0)


def test_mcnemar_without_discordant_pairs():
    result = mcnemar_from_table(both_flagged=4, flagged_pre_only=0, flagged_post_only=0, neither_flagged=6)
    assert result.chi_square_corrected is result.p_exact is result.p_value is result.decided_by is None


def test_mcnemar_at_cutoff_builds_the_table():
    # WHO-5 percent, flag "at_or_below 28" (likely depression): pairs (pre, post)
    # (28, 28) both; (20, 40) pre only; (28, 60) pre only; (44, 24) post only; (60, 80) neither;
    # (None, 20) dropped. b = 2, c = 1: exact p = 2 * (C(3,0) + C(3,1)) / 8 = 1 (capped).
    result = mcnemar_at_cutoff([28, 20, 28, 44, 60, None], [28, 40, 60, 24, 80, 20], cutoff=28, flag="at_or_below")
    assert (result.both_flagged, result.flagged_pre_only, result.flagged_post_only, result.neither_flagged) == (
        1,
        2,
        1,
        1,
    )
    assert result.p_exact == pytest.approx(1.0)


def test_mcnemar_flag_rules_differ_at_the_cutoff():
    # "below 28": 28 is not flagged, so (28, 28) becomes neither and (28, 60) neither as well.
    result = mcnemar_at_cutoff([28, 20, 28, 44], [28, 40, 60, 24], cutoff=28, flag="below")
    assert (result.both_flagged, result.flagged_pre_only, result.flagged_post_only, result.neither_flagged) == (
        0,
        1,
        1,
        2,
    )
    above = mcnemar_at_cutoff(np.array([10, 30]), np.array([30, 10]), cutoff=28, flag="above")
    assert (above.flagged_pre_only, above.flagged_post_only) == (1, 1)
    with pytest.raises(ValueError):
        mcnemar_at_cutoff([1], [2], cutoff=1, flag="equal")
