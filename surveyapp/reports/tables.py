"""The report's tables in the current language, format-neutral: each cell keeps its raw value (for XLSX and CSV)
and the text shown (for the page and the PDF)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from surveyapp.reports import formatting as fmt
from surveyapp.reports.report import IndicatorEntry, Report
from surveyapp.scoring.indicators import IndicatorResult, target_verdict
from surveyapp.scoring.knowledge import KnowledgeGainResult
from surveyapp.scoring.paired import McNemarResult

Raw = float | int | str | None


@dataclass(frozen=True)
class Value:
    raw: Raw
    shown: str


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


def plain(text: str | None) -> Value:
    return Value(text, text or "")


def num(value: float | None, decimals: int = 2, signed: bool = False) -> Value:
    return Value(value, fmt.number(value, decimals, signed))


def whole(value: int | None) -> Value:
    return Value(value, fmt.count(value))


def share(value: float | None) -> Value:
    return Value(value, fmt.percent(value, 1))


def p(value: float | None) -> Value:
    return Value(value, fmt.p_value(value))


def summary_table(report: Report) -> Table:
    """Page 1 of the report: per indicator the target, how many were reached, the result in one sentence and
    whether the target was met by its success rule. Counts and aggregates only, never a person."""
    columns = (_("No."), _("Indicator"), _("Target"), _("Reached"), _("Result"), _("Success rule"), _("Target met?"))
    rows = []
    for number, entry in enumerate(report.entries, start=1):
        result = entry.result
        verdict = target_verdict(result)
        rows.append(
            (
                whole(number),
                plain(fmt.text(entry.title)),
                Value(result.spec.target, fmt.target_text(entry)),
                Value(result.reach.n_reached, fmt.reached_text(result)),
                plain(fmt.plain_result_text(result, report.min_cell_size)),
                plain(fmt.rule_text(result.spec)),
                Value(verdict.value, str(fmt.VERDICT_LABELS[verdict])),
            )
        )
    return Table(_("Summary"), columns, tuple(rows))


def indicator_table(report: Report) -> Table:
    columns = (
        _("No."),
        _("Indicator"),
        _("Target"),
        _("Surveyed before"),
        _("Surveyed after"),
        _("Matched"),
        _("Lost (attrition)"),
        _("Measured result"),
        _("Measurement method"),
    )
    rows = []
    for number, entry in enumerate(report.entries, start=1):
        result = entry.result
        reach = result.reach
        rows.append(
            (
                whole(number),
                plain(fmt.text(entry.title)),
                Value(result.spec.target, fmt.target_text(entry)),
                whole(reach.n_pre),
                whole(reach.n_post),
                whole(reach.n_matched),
                Value(reach.n_pre_only, f"{reach.n_pre_only} ({fmt.percent(reach.attrition_share)})"),
                plain(fmt.result_text(result, report.min_cell_size)),
                plain(fmt.text(entry.method)),
            )
        )
    return Table(_("Indicator table"), columns, tuple(rows))


def indicator_export_table(report: Report) -> Table:
    """The indicator table with its result also as numbers, for spreadsheets and CSV."""
    table = indicator_table(report)
    extra = tuple(
        (
            share(entry.result.reach.attrition_share),
            num(entry.result.headline.value, 4),
            num(entry.result.headline.ci_lower, 4),
            num(entry.result.headline.ci_upper, 4),
            plain(entry.result.spec.statistic.value),
            plain(entry.code),
            num(entry.result.spec.success_threshold, 4),
            plain(target_verdict(entry.result).value),
        )
        for entry in report.entries
    )
    columns = table.columns + (
        _("Attrition share"),
        _("Result value"),
        _("95% CI, lower"),
        _("95% CI, upper"),
        _("Statistic"),
        _("Code"),
        _("Success threshold"),
        _("Target met"),
    )
    return Table(table.title, columns, tuple(row + more for row, more in zip(table.rows, extra)))


def statistics_rows(entry: IndicatorEntry) -> list[tuple[str, str, Value]]:
    """(section, statistic, value) for every statistic of the indicator."""
    result = entry.result
    rows = _reach(result)
    if result.is_suppressed:
        return rows
    rows += _descriptives(result) + _paired(result) + _reliability(result)
    if result.mcnemar is not None:
        rows += _mcnemar(result, result.mcnemar)
    if result.knowledge is not None:
        rows += _knowledge(result.knowledge)
    return rows


def statistics_table(entry: IndicatorEntry) -> Table:
    """The statistics for reading: each section named once, on its first row."""
    rows, previous = [], None
    for section, label, value in statistics_rows(entry):
        rows.append((plain(section if section != previous else ""), plain(label), value))
        previous = section
    return Table(fmt.text(entry.title), (_("Section"), _("Statistic"), _("Value")), tuple(rows))


def breakdown_tables(entry: IndicatorEntry) -> list[Table]:
    statistic = entry.result.spec.statistic
    tables = []
    for breakdown in entry.result.breakdowns:
        rows = tuple(
            (
                plain(fmt.group_label(breakdown.dimension, cell.key)),
                whole(cell.n),
                Value(
                    cell.value,
                    _("not shown")
                    if cell.is_suppressed
                    else fmt.cell_value(statistic, cell.value) + (" *" if cell.is_small else ""),
                ),
            )
            for cell in breakdown.cells
        )
        tables.append(
            Table(
                str(fmt.DIMENSION_LABELS[breakdown.dimension]),
                (str(fmt.DIMENSION_LABELS[breakdown.dimension]), "n", str(fmt.STATISTIC_LABELS[statistic])),
                rows,
            )
        )
    return tables


def question_table(entry: IndicatorEntry) -> Table | None:
    knowledge = entry.result.knowledge
    if knowledge is None or not entry.questions:
        return None
    rows = tuple(
        (
            whole(question.number),
            plain(fmt.text(question.section) if question.section else ""),
            plain(question.pre_item),
            plain(question.post_item),
            num(result.percent_correct_pre, 1),
            num(result.percent_correct_post, 1),
            num(_difference(result), 1, signed=True),
        )
        for question, result in zip(entry.questions, knowledge.questions)
    )
    columns = (
        _("Question"),
        _("Topic"),
        _("Item before"),
        _("Item after"),
        _("Percent correct before"),
        _("Percent correct after"),
        _("Change (points)"),
    )
    return Table(_("Knowledge gain per question"), columns, rows)


def _difference(question) -> float | None:
    if question.percent_correct_pre is None or question.percent_correct_post is None:
        return None
    return question.percent_correct_post - question.percent_correct_pre


def _reach(result: IndicatorResult) -> list:
    section, reach = _("Reach"), result.reach
    return [
        (section, _("Scored before"), whole(reach.n_pre)),
        (section, _("Scored after"), whole(reach.n_post)),
        (section, _("Matched (before and after)"), whole(reach.n_matched)),
        (section, _("Lost after baseline"), whole(reach.n_pre_only)),
        (section, _("Attrition"), share(reach.attrition_share)),
        (section, _("Scored after only"), whole(reach.n_post_only)),
    ]


def _descriptives(result: IndicatorResult) -> list:
    rows = []
    for wave, described in (
        (result.spec.pre_wave, result.descriptives_pre),
        (result.spec.post_wave, result.descriptives_post),
    ):
        assert described is not None, "an unsuppressed result has its descriptives"
        section = _("All scored at {wave}").format(wave=fmt.wave_label(wave))
        rows += [
            (section, "n", whole(described.n)),
            (section, _("Mean"), num(described.mean)),
            (section, _("SD"), num(described.sd)),
            (section, _("Median"), num(described.median)),
            (section, _("Lower quartile"), num(described.q1)),
            (section, _("Upper quartile"), num(described.q3)),
            (section, _("IQR"), num(described.iqr)),
        ]
    return rows


def _paired(result: IndicatorResult) -> list:
    t, w = result.t_test, result.wilcoxon
    assert t is not None and w is not None, "an unsuppressed result has its paired tests"
    section = _("Paired t-test (matched)")
    rows = [
        (section, _("Pairs"), whole(t.n_pairs)),
        (section, _("Mean before"), num(t.mean_pre)),
        (section, _("Mean after"), num(t.mean_post)),
        (section, _("Mean change"), num(t.mean_difference, signed=True)),
        (section, _("SD of change"), num(t.sd_difference)),
        (section, _("95% CI, lower"), num(t.ci_lower, signed=True)),
        (section, _("95% CI, upper"), num(t.ci_upper, signed=True)),
        (section, "t", num(t.t_statistic)),
        (section, "df", whole(t.df)),
        (section, "p", p(t.p_value)),
        (section, _("p (Holm)"), p(result.p_t_holm)),
        (section, "d_z", num(t.cohens_dz)),
    ]
    section = _("Wilcoxon signed-rank test (matched)")
    rows += [
        (section, _("Non-zero changes"), whole(w.n_nonzero)),
        (section, _("Zero changes"), whole(w.n_zero_differences)),
        (section, "T+", num(w.rank_sum_positive, 1)),
        (section, "T-", num(w.rank_sum_negative, 1)),
        (section, "p", p(w.p_value)),
        (section, _("p computed by"), plain(fmt.wilcoxon_method(w.p_value_method))),
        (section, _("p (Holm)"), p(result.p_wilcoxon_holm)),
        (section, _("Rank-biserial r"), num(w.rank_biserial_r)),
    ]
    return rows


def _reliability(result: IndicatorResult) -> list:
    section = _("Reliability and reliable change")
    rows = []
    for wave, alpha in ((result.spec.pre_wave, result.alpha_pre), (result.spec.post_wave, result.alpha_post)):
        label = _("Cronbach's alpha at {wave}").format(wave=fmt.wave_label(wave))
        rows.append((section, label, num(alpha.alpha if alpha else None)))
        rows.append(
            (
                section,
                _("Complete answers used for alpha at {wave}").format(wave=fmt.wave_label(wave)),
                whole(alpha.n_respondents_used if alpha else None),
            )
        )
    rci = result.reliable_change
    if rci is None:
        return rows + [(section, _("Reliable change"), plain(_("not computed: no reliability at baseline")))]
    return rows + [
        (section, _("r_xx (alpha at baseline)"), num(rci.reliability)),
        (section, _("SD before"), num(rci.sd_pre)),
        (section, "SEdiff", num(rci.se_difference)),
        (section, _("Reliably improved"), _count_and_share(rci.n_improved, rci.share_improved)),
        (section, _("No reliable change"), _count_and_share(rci.n_unchanged, rci.share_unchanged)),
        (section, _("Reliably worsened"), _count_and_share(rci.n_worsened, rci.share_worsened)),
    ]


def _count_and_share(n: int, of_all: float) -> Value:
    return Value(n, f"{n} ({fmt.percent(of_all, 1)})")


def _mcnemar(result: IndicatorResult, m: McNemarResult) -> list:
    section = _("McNemar test at the cut-off ({cutoff})").format(cutoff=fmt.cutoff_text(result))
    n = m.n_pairs
    flagged_pre = (m.both_flagged + m.flagged_pre_only) / n if n else None
    flagged_post = (m.both_flagged + m.flagged_post_only) / n if n else None
    return [
        (section, _("Share at the cut-off before"), share(flagged_pre)),
        (section, _("Share at the cut-off after"), share(flagged_post)),
        (section, _("Before and after"), whole(m.both_flagged)),
        (section, _("Before only"), whole(m.flagged_pre_only)),
        (section, _("After only"), whole(m.flagged_post_only)),
        (section, _("Neither"), whole(m.neither_flagged)),
        (section, _("Chi-square (continuity-corrected)"), num(m.chi_square_corrected)),
        (section, _("p (corrected)"), p(m.p_corrected)),
        (section, _("p (exact)"), p(m.p_exact)),
        (section, _("Deciding p-value"), plain(fmt.mcnemar_decision(m.decided_by))),
    ]


def _knowledge(k: KnowledgeGainResult) -> list:
    section = _("Knowledge test (matched)")
    return [
        (section, _("Mean percent correct before"), num(k.mean_percent_pre, 1)),
        (section, _("Mean percent correct after"), num(k.mean_percent_post, 1)),
        (section, _("Gain (percentage points)"), num(k.mean_gain_points, 1, signed=True)),
        (section, _("Hake's normalized gain (class averages)"), num(k.hake_gain_of_class_averages)),
        (section, _("Mean of individual normalized gains"), num(k.mean_of_individual_normalized_gains)),
        (section, _("Respondents in the individual gains"), whole(k.n_individual_gains)),
    ]
