"""Labels and numbers of the indicator report in the current locale (the request's, or force_locale's)."""

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.i18n import current_language, local_text
from surveyapp.reports.report import IndicatorEntry, Report
from surveyapp.respondents.labels import SEX_LABELS, kind_count
from surveyapp.respondents.models import Sex
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE
from surveyapp.scoring.indicators import IndicatorResult, IndicatorSpec, Statistic, Verdict
from surveyapp.scoring.paired import WilcoxonPMethod
from surveyapp.sessions.labels import WAVE_LABELS
from surveyapp.sessions.models import Wave

PROGRAMME_TITLE = {
    "ky": "Балдарга жаркын келечек",
    "ru": "Светлое будущее для детей",
    "en": "A bright future for children",
}

STATISTIC_LABELS = {
    Statistic.SHARE_RELIABLY_IMPROVED: _l("Share reliably improved (RCI)"),
    Statistic.MEAN_CHANGE: _l("Mean change (paired)"),
    Statistic.MEAN_KNOWLEDGE_GAIN: _l("Mean knowledge gain (percentage points)"),
    Statistic.HAKE_GAIN: _l("Normalized gain (Hake, class averages)"),
}
DIMENSION_LABELS = {
    "sex": _l("Sex"),
    "age_group": _l("Age group"),
    "territory": _l("Territorial administration"),
    "session": _l("Session"),
}
CUTOFF_RULE_LABELS = {
    "at_or_below": _l("at or below"),
    "below": _l("below"),
    "at_or_above": _l("at or above"),
    "above": _l("above"),
}
WILCOXON_METHOD_LABELS = {
    WilcoxonPMethod.EXACT: _l("exact distribution"),
    WilcoxonPMethod.EXACT_PERMUTATION: _l("exact permutation (ties)"),
    WilcoxonPMethod.NORMAL_APPROXIMATION: _l("normal approximation (tie-corrected, no continuity correction)"),
}
MCNEMAR_DECISION_LABELS = {"exact": _l("exact binomial"), "corrected": _l("continuity-corrected chi-square")}
VERDICT_LABELS = {
    Verdict.MET: _l("Met"),
    Verdict.NOT_MET: _l("Not met"),
    Verdict.NOT_ENOUGH_DATA: _l("Not enough data"),
}
DASH = "—"


def text(value: dict) -> str:
    """A language -> text map (indicator titles, scale labels) in the current language."""
    return local_text(value, current_language()) if value else ""


def number(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=f"+{pattern};-{pattern}" if signed else pattern)


def exact(value: float) -> str:
    """A number as given, up to two decimals and without trailing zeros (a threshold: 10, 0.3, 2.25)."""
    return format_decimal(value, format="#,##0.##")


def percent(share: float | None, decimals: int = 0) -> str:
    """A share 0-1 as a percentage."""
    return DASH if share is None else f"{number(100 * share, decimals)}%"


def p_value(p: float | None) -> str:
    if p is None:
        return DASH
    return f"< {number(0.001, 3)}" if p < 0.001 else number(p, 3)


def count(n: int | None) -> str:
    return DASH if n is None else str(n)


def wave_label(wave: str) -> str:
    return str(WAVE_LABELS[Wave(wave)])


def group_label(dimension: str, key: str | None) -> str:
    if key is None:
        return _("Not given")
    if dimension == "sex":
        return str(SEX_LABELS[Sex(key)])
    return key


def target_text(entry: IndicatorEntry) -> str:
    return kind_count(entry.result.spec.respondent_kind, entry.result.spec.target)


def reached_text(result: IndicatorResult) -> str:
    """How many were reached (surveyed before or after), against the target."""
    reach, target = result.reach, result.spec.target
    return _(
        "%(reached)s of %(target)s (%(share)s)",
        reached=reach.n_reached,
        target=target,
        share=percent(reach.n_reached / target),
    )


def plain_result_text(result: IndicatorResult, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """The measured result in one plain sentence, for the summary (result_text gives the statistics)."""
    if result.is_suppressed or result.headline.value is None:
        return result_text(result, min_cell_size)
    statistic, value, t = result.spec.statistic, result.headline.value, result.t_test
    assert t is not None, "a result with a value has its paired t-test"
    if statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        return _(
            "%(share)s reliably improved (%(count)s of %(total)s).",
            share=percent(value),
            count=result.headline.count,
            total=result.reach.n_matched,
        )
    if statistic == Statistic.MEAN_CHANGE:
        return _(
            "The average score went from %(before)s to %(after)s (%(change)s points).",
            before=number(t.mean_pre),
            after=number(t.mean_post),
            change=number(value, signed=True),
        )
    before, after = f"{number(t.mean_pre, 0)}%", f"{number(t.mean_post, 0)}%"
    if statistic == Statistic.MEAN_KNOWLEDGE_GAIN:
        return _(
            "Correct answers went from %(before)s to %(after)s on average (%(change)s percentage points).",
            before=before,
            after=after,
            change=number(value, signed=True),
        )
    return _(
        "Correct answers went from %(before)s to %(after)s on average: %(share)s of the possible gain "
        "(normalized gain %(gain)s).",
        before=before,
        after=after,
        share=percent(value),
        gain=number(value, 2),
    )


def rule_text(spec: IndicatorSpec) -> str:
    """The success rule in words: when the target counts as met (scoring.indicators.target_verdict)."""
    target, threshold = spec.target, spec.success_threshold
    if threshold is None:
        return ngettext(
            "At least %(num)d reached (surveyed at least once).",
            "At least %(num)d reached (surveyed at least once).",
            target,
        )
    if spec.statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        return ngettext(
            "At least %(num)d reached, and at least %(threshold)s of those surveyed before and after "
            "reliably improved.",
            "At least %(num)d reached, and at least %(threshold)s of those "
            "surveyed before and after reliably improved.",
            target,
            threshold=f"{exact(100 * threshold)}%",
        )
    if spec.statistic == Statistic.HAKE_GAIN:
        return ngettext(
            "At least %(num)d reached, and the normalized gain of those tested before and after "
            "reached at least %(threshold)s.",
            "At least %(num)d reached, and the normalized gain of "
            "those tested before and after reached at least %(threshold)s.",
            target,
            threshold=exact(threshold),
        )
    if spec.statistic == Statistic.MEAN_KNOWLEDGE_GAIN:
        return ngettext(
            "At least %(num)d reached, and the correct answers of those tested before and after rose "
            "by at least %(threshold)s percentage points on average.",
            "At least %(num)d reached, and "
            "the correct answers of those tested before and after rose by at least %(threshold)s "
            "percentage points on average.",
            target,
            threshold=exact(threshold),
        )
    if spec.higher_is_better:
        return ngettext(
            "At least %(num)d reached, and the average score of those surveyed before and after rose "
            "by at least %(threshold)s points.",
            "At least %(num)d reached, and the average score of "
            "those surveyed before and after rose by at least %(threshold)s points.",
            target,
            threshold=exact(threshold),
        )
    return ngettext(
        "At least %(num)d reached, and the average score of those surveyed before and after fell by "
        "at least %(threshold)s points.",
        "At least %(num)d reached, and the average score of those "
        "surveyed before and after fell by at least %(threshold)s points.",
        target,
        threshold=exact(threshold),
    )


def result_text(result: IndicatorResult, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """The measured result, in one sentence, by the indicator's statistic."""
    if result.is_suppressed:
        return _("Not shown: fewer than {n} respondents took part before and after.").format(n=min_cell_size)
    headline, t = result.headline, result.t_test
    if headline.value is None:
        return _("Not enough data to compute this result.")
    assert t is not None, "a result with a value has its paired t-test"
    statistic = result.spec.statistic
    if statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        rci = result.reliable_change
        assert rci is not None, "a share reliably improved comes from the reliable change"
        return _("{share} reliably improved ({n} of {total}); {worse} reliably worsened").format(
            share=percent(headline.value), n=rci.n_improved, total=rci.n_pairs, worse=percent(rci.share_worsened)
        )
    if statistic == Statistic.MEAN_CHANGE:
        return _("Mean change {change} (95% CI {low} to {high}), d_z = {dz}").format(
            change=number(headline.value, signed=True),
            low=number(headline.ci_lower, signed=True),
            high=number(headline.ci_upper, signed=True),
            dz=number(t.cohens_dz, 2),
        )
    if statistic == Statistic.MEAN_KNOWLEDGE_GAIN:
        return _(
            "Knowledge gain {gain} percentage points (95% CI {low} to {high}); correct answers: {pre}% before, "
            "{post}% after"
        ).format(
            gain=number(headline.value, signed=True),
            low=number(headline.ci_lower, signed=True),
            high=number(headline.ci_upper, signed=True),
            pre=number(t.mean_pre, 0),
            post=number(t.mean_post, 0),
        )
    return _("Normalized gain g = {g}; correct answers: {pre}% before, {post}% after").format(
        g=number(headline.value, 2), pre=number(t.mean_pre, 0), post=number(t.mean_post, 0)
    )


def wilcoxon_method(method: WilcoxonPMethod | None) -> str:
    return str(WILCOXON_METHOD_LABELS[method]) if method else DASH


def mcnemar_decision(decided_by: str | None) -> str:
    return str(MCNEMAR_DECISION_LABELS[decided_by]) if decided_by else DASH


def cell_value(statistic: Statistic, value: float | None) -> str:
    if statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        return percent(value)
    if statistic == Statistic.HAKE_GAIN:
        return number(value, 2)
    return number(value, signed=True)


def footnotes(report: Report) -> list[str]:
    notes = [
        _(
            "Matched: respondents scored both before and after, paired by their code. Lost: scored before only "
            "(attrition)."
        ),
        _(
            "Reliable change (Jacobson & Truax 1991): |post - pre| / SEdiff > 1.96, with SEdiff = SD before x "
            "sqrt(2) x sqrt(1 - r_xx); r_xx is Cronbach's alpha at baseline, computed here from the item answers."
        ),
        _(
            "Paired t-test: mean of post - pre with its confidence interval (95%); effect size d_z = mean change / SD "
            "of the changes. Wilcoxon signed-rank test with the matched-pairs rank-biserial r (zero changes "
            "dropped)."
        ),
        _(
            "p-values are Holm-adjusted within each group of indicators tested on the same respondents (children; "
            "staff; parents)."
        ),
        _(
            "McNemar test at the cut-off: the exact binomial p decides below 25 changed respondents, the "
            "continuity-corrected chi-square from 25 on."
        ),
        _(
            "Knowledge tests: percent correct, an unanswered question counting as wrong. Hake's normalized gain is "
            "computed on the class averages: g = (after% - before%) / (100 - before%)."
        ),
    ]
    if report.suppress_small:
        notes.append(
            _(
                "Groups of fewer than {n} respondents are not shown; where only one group of a breakdown would be "
                "hidden, the next smallest is hidden too, so that no hidden group can be worked out from the total."
            ).format(n=report.min_cell_size)
        )
    else:
        notes.append(
            _(
                "Groups of fewer than {n} respondents are marked; they are hidden in the report for the mayor's office."
            ).format(n=report.min_cell_size)
        )
    return notes


def cutoff_text(result: IndicatorResult) -> str:
    spec = result.spec
    if spec.cutoff is None:
        return DASH
    assert spec.cutoff_rule is not None, "an indicator with a cut-off has its rule"
    return f"{CUTOFF_RULE_LABELS[spec.cutoff_rule]} {number(spec.cutoff, 1)}"
