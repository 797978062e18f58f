"""Labels and numbers of the indicator report in the current locale (the request's, or force_locale's)."""
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.i18n import local_text
from surveyapp.reports.report import IndicatorEntry, Report
from surveyapp.respondents.forms import KIND_LABELS, SEX_LABELS
from surveyapp.respondents.models import RespondentKind, Sex
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE
from surveyapp.scoring.indicators import IndicatorResult, Statistic
from surveyapp.scoring.paired import WilcoxonPMethod
from surveyapp.sessions.forms import WAVE_LABELS
from surveyapp.sessions.models import Wave

PROGRAMME_TITLE = {"ky": "Балдарга жаркын келечек", "ru": "Светлое будущее для детей",
                   "en": "A bright future for children"}

STATISTIC_LABELS = {
    Statistic.SHARE_RELIABLY_IMPROVED: _l("Share reliably improved (RCI)"),
    Statistic.MEAN_CHANGE: _l("Mean change (paired)"),
    Statistic.MEAN_KNOWLEDGE_GAIN: _l("Mean knowledge gain (percentage points)"),
    Statistic.HAKE_GAIN: _l("Normalized gain (Hake, class averages)"),
}
DIMENSION_LABELS = {
    "sex": _l("Sex"), "age_group": _l("Age group"), "territory": _l("Territorial administration"),
    "session": _l("Session"),
}
CUTOFF_RULE_LABELS = {
    "at_or_below": _l("at or below"), "below": _l("below"), "at_or_above": _l("at or above"), "above": _l("above"),
}
WILCOXON_METHOD_LABELS = {
    WilcoxonPMethod.EXACT: _l("exact distribution"),
    WilcoxonPMethod.EXACT_PERMUTATION: _l("exact permutation (ties)"),
    WilcoxonPMethod.NORMAL_APPROXIMATION: _l("normal approximation (tie-corrected, no continuity correction)"),
}
MCNEMAR_DECISION_LABELS = {"exact": _l("exact binomial"), "corrected": _l("continuity-corrected chi-square")}
DASH = "—"


def language() -> str:
    return str(get_locale() or "en")


def text(value: dict) -> str:
    """A language -> text map (indicator titles, scale labels) in the current language."""
    return local_text(value, language()) if value else ""


def number(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=f"+{pattern};-{pattern}" if signed else pattern)


def percent(share: float | None, decimals: int = 0) -> str:
    """A share 0-1 as a percentage."""
    return DASH if share is None else f"{number(100 * share, decimals)}%"


def p_value(p: float | None) -> str:
    if p is None:
        return DASH
    return f"< {number(0.001, 3)}" if p < 0.001 else number(p, 3)


def count(n: int | None) -> str:
    return DASH if n is None else str(n)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS[RespondentKind(kind)])


def wave_label(wave: str) -> str:
    return str(WAVE_LABELS[Wave(wave)])


def group_label(dimension: str, key: str | None) -> str:
    if key is None:
        return _("Not given")
    if dimension == "sex":
        return str(SEX_LABELS[Sex(key)])
    return key


def target_text(entry: IndicatorEntry) -> str:
    return _("{n} ({kind})").format(n=entry.result.spec.target, kind=kind_label(entry.result.spec.respondent_kind))


def reach_text(result: IndicatorResult) -> str:
    reach = result.reach
    return _("{pre} before, {post} after, {matched} matched").format(
        pre=reach.n_pre, post=reach.n_post, matched=reach.n_matched)


def result_text(result: IndicatorResult, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """The measured result, in one sentence, by the indicator's statistic."""
    if result.is_suppressed:
        return _("Not shown: fewer than {n} respondents took part before and after.").format(n=min_cell_size)
    headline, t = result.headline, result.t_test
    if headline.value is None:
        return _("Not enough data to compute this result.")
    statistic = result.spec.statistic
    if statistic == Statistic.SHARE_RELIABLY_IMPROVED:
        rci = result.reliable_change
        return _("{share} reliably improved ({n} of {total}); {worse} reliably worsened").format(
            share=percent(headline.value), n=rci.n_improved, total=rci.n_pairs, worse=percent(rci.share_worsened))
    if statistic == Statistic.MEAN_CHANGE:
        return _("Mean change {change} (95% CI {low} to {high}), d_z = {dz}").format(
            change=number(headline.value, signed=True), low=number(headline.ci_lower, signed=True),
            high=number(headline.ci_upper, signed=True), dz=number(t.cohens_dz, 2))
    if statistic == Statistic.MEAN_KNOWLEDGE_GAIN:
        return _("Knowledge gain {gain} percentage points (95% CI {low} to {high}); correct answers: {pre}% before, "
                   "{post}% after").format(gain=number(headline.value, signed=True), low=number(headline.ci_lower, signed=True),
                          high=number(headline.ci_upper, signed=True), pre=number(t.mean_pre, 0),
                          post=number(t.mean_post, 0))
    return _("Normalized gain g = {g}; correct answers: {pre}% before, {post}% after").format(
        g=number(headline.value, 2), pre=number(t.mean_pre, 0), post=number(t.mean_post, 0))


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
        _("Matched: respondents scored both before and after, paired by their code. Lost: scored before only "
          "(attrition)."),
        _("Reliable change (Jacobson & Truax 1991): |post - pre| / SEdiff > 1.96, with SEdiff = SD before x "
          "sqrt(2) x sqrt(1 - r_xx); r_xx is Cronbach's alpha at baseline, computed here from the item answers."),
        _("Paired t-test: mean of post - pre with its confidence interval (95%); effect size d_z = mean change / SD "
          "of the changes. Wilcoxon signed-rank test with the matched-pairs rank-biserial r (zero changes "
          "dropped)."),
        _("p-values are Holm-adjusted within each group of indicators tested on the same respondents (children; "
          "staff; parents)."),
        _("McNemar test at the cut-off: the exact binomial p decides below 25 changed respondents, the "
          "continuity-corrected chi-square from 25 on."),
        _("Knowledge tests: percent correct, an unanswered question counting as wrong. Hake's normalized gain is "
          "computed on the class averages: g = (after% - before%) / (100 - before%)."),
    ]
    if report.suppress_small:
        notes.append(_(
            "Groups of fewer than {n} respondents are not shown; where only one group of a breakdown would be "
            "hidden, the next smallest is hidden too, so that no hidden group can be worked out from the total."
        ).format(n=report.min_cell_size))
    else:
        notes.append(_("Groups of fewer than {n} respondents are marked; they are hidden in the report for the "
                       "mayor's office.").format(n=report.min_cell_size))
    return notes


def cutoff_text(result: IndicatorResult) -> str:
    spec = result.spec
    if spec.cutoff is None:
        return DASH
    return f"{CUTOFF_RULE_LABELS[spec.cutoff_rule]} {number(spec.cutoff, 1)}"
