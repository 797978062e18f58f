"""The report's charts, as PNG images, with labels in the current language.

Figures are made with matplotlib's object API (`matplotlib.figure.Figure`, saved through the Agg renderer),
never through pyplot: pyplot keeps every figure in a global registry until it is closed and picks a GUI
backend by default, both wrong in a web server (matplotlib's guide "Embedding in a web application server").
A Figure made this way is ordinary garbage once saved, so nothing needs closing. DejaVu Sans, matplotlib's
default font, has the Kyrgyz letters ң, ө, ү.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

import numpy as np
from flask_babel import gettext as _
from matplotlib.figure import Figure

from surveyapp.reports import formatting as fmt
from surveyapp.reports.report import IndicatorEntry, Report
from surveyapp.scoring.indicators import KNOWLEDGE_STATISTICS, Statistic, Verdict, target_verdict
from surveyapp.scoring.paired import ChangeCategory

DPI = 110
BEFORE, AFTER = "#8fa9bf", "#1f6f8b"
CATEGORY_COLOURS = {
    ChangeCategory.IMPROVED: "#2e8b57",
    ChangeCategory.UNCHANGED: "#b0b8c1",
    ChangeCategory.WORSENED: "#c0504d",
}
VERDICT_STYLES = {
    Verdict.MET: ("#2e8b57", ""),
    Verdict.NOT_MET: ("#c0504d", "//"),
    Verdict.NOT_ENOUGH_DATA: ("#b0b8c1", ".."),
}
"""Colour and hatch per verdict: the hatch tells them apart in grey print too."""


@dataclass(frozen=True)
class Plot:
    key: str
    title: str
    png: bytes


def report_plots(report: Report) -> list[Plot]:
    scales = [
        entry for entry in report.entries if _shown(entry) and entry.result.spec.statistic not in KNOWLEDGE_STATISTICS
    ]
    knowledge = [entry for entry in report.entries if _shown(entry) and entry.result.knowledge is not None]
    plots = []
    if scales:
        plots.append(
            Plot("distributions", _("Scores before and after (matched respondents)"), png(_distributions(scales)))
        )
        plots.append(Plot("changes", _("Change per respondent, by reliable change"), png(_changes(scales))))
        plots.append(Plot("territories", _("Results by territorial administration"), png(_territories(scales))))
    if knowledge:
        plots.append(Plot("questions", _("Knowledge per question, before and after"), png(_questions(knowledge))))
    return plots


def summary_plot(report: Report) -> Plot | None:
    """The summary's chart: per indicator, the share of its target surveyed before and after, coloured by
    whether the target was met. Counts only, so the viewer's report may show it whole."""
    if not report.entries:
        return None
    return Plot("summary", _("Reached, against the target"), png(_summary(report.entries)))


def _summary(entries: Sequence[IndicatorEntry]) -> Figure:
    figure = Figure(figsize=(10, 0.5 + 0.55 * len(entries)), layout="constrained")
    ax = figure.subplots()
    reached = [100 * entry.result.reach.n_reached / entry.result.spec.target for entry in entries]
    verdicts = [target_verdict(entry.result) for entry in entries]
    positions = np.arange(len(entries))
    ax.barh(
        positions,
        reached,
        color=[VERDICT_STYLES[v][0] for v in verdicts],
        hatch=[VERDICT_STYLES[v][1] for v in verdicts],
        edgecolor="white",
        height=0.6,
    )
    for position, entry, share, verdict in zip(positions, entries, reached, verdicts):
        label = _(
            "%(reached)s of %(target)s · %(verdict)s",
            reached=entry.result.reach.n_reached,
            target=entry.result.spec.target,
            verdict=fmt.VERDICT_LABELS[verdict],
        )
        ax.text(share + 1, float(position), label, va="center", fontsize=8)
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_xlim(0, max(125, max(reached) * 1.35))
    ax.set_yticks(
        positions,
        [f"{number}. {_shortened(fmt.text(entry.title))}" for number, entry in enumerate(entries, start=1)],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xlabel(_("Percent of the target reached (dashed line: the target)"), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    return figure


def _shortened(title: str) -> str:
    return _wrap(textwrap.shorten(title, 64, placeholder=" …"), 34)


def _shown(entry: IndicatorEntry) -> bool:
    return not entry.result.is_suppressed and bool(entry.result.pairs)


def _grid(count: int, width: float = 4.2, height: float = 3.4) -> tuple[Figure, list]:
    columns = min(count, 3)
    rows = -(-count // columns)
    figure = Figure(figsize=(width * columns, height * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel().tolist()
    for unused in axes[count:]:
        unused.set_visible(False)
    return figure, axes[:count]


def _distributions(entries: Sequence[IndicatorEntry]) -> Figure:
    figure, axes = _grid(len(entries))
    for ax, entry in zip(axes, entries):
        pairs = entry.result.pairs
        parts = ax.boxplot(
            [pairs.pre, pairs.post],
            widths=0.55,
            patch_artist=True,
            showmeans=True,
            tick_labels=[fmt.wave_label(entry.result.spec.pre_wave), fmt.wave_label(entry.result.spec.post_wave)],
        )
        for box, colour in zip(parts["boxes"], (BEFORE, AFTER)):
            box.set_facecolor(colour)
        ax.set_title(_wrap(fmt.text(entry.scale_label) or entry.code), fontsize=10)
        ax.set_ylabel(_("Score"))
        ax.text(0.02, 0.02, f"n = {len(pairs)}", transform=ax.transAxes, fontsize=8)
    return figure


def _changes(entries: Sequence[IndicatorEntry]) -> Figure:
    figure, axes = _grid(len(entries))
    labels = {
        ChangeCategory.IMPROVED: _("Reliably improved"),
        ChangeCategory.UNCHANGED: _("No reliable change"),
        ChangeCategory.WORSENED: _("Reliably worsened"),
    }
    for ax, entry in zip(axes, entries):
        pairs = entry.result.pairs
        changes = pairs.post - pairs.pre
        bins = np.histogram_bin_edges(changes, bins=min(25, max(5, len(pairs) // 10)))
        if entry.result.reliable_change is None:
            ax.hist(changes, bins=bins, color=BEFORE)
        else:
            groups = [changes[pairs.categories == category] for category in CATEGORY_COLOURS]
            ax.hist(
                groups,
                bins=bins,
                stacked=True,
                color=list(CATEGORY_COLOURS.values()),
                label=[labels[category] for category in CATEGORY_COLOURS],
            )
            ax.legend(fontsize=7, loc="upper left")
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(_wrap(fmt.text(entry.scale_label) or entry.code), fontsize=10)
        ax.set_xlabel(_("Change (after - before)"))
        ax.set_ylabel(_("Respondents"))
    return figure


def _territories(entries: Sequence[IndicatorEntry]) -> Figure:
    figure, axes = _grid(len(entries), height=3.8)
    for ax, entry in zip(axes, entries):
        breakdown = next((b for b in entry.result.breakdowns if b.dimension == "territory"), None)
        cells = breakdown.cells if breakdown else ()
        names = [_wrap(fmt.group_label("territory", cell.key), 24) for cell in cells]
        values = [_plotted(entry.result.spec.statistic, cell.value) for cell in cells]
        positions = np.arange(len(cells))
        ax.barh(positions, [value or 0 for value in values], color=AFTER)
        for position, cell, value in zip(positions, cells, values):
            label = _("not shown") if cell.is_suppressed else fmt.cell_value(entry.result.spec.statistic, cell.value)
            ax.text(value or 0, position, f" {label}", va="center", fontsize=7)
        ax.margins(x=0.18)
        ax.set_yticks(positions, names, fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(_wrap(fmt.text(entry.scale_label) or entry.code), fontsize=10)
        ax.set_xlabel(_wrap(str(fmt.STATISTIC_LABELS[entry.result.spec.statistic]), 40), fontsize=8)
    return figure


def _questions(entries: Sequence[IndicatorEntry]) -> Figure:
    figure = Figure(figsize=(9, 3.2 * len(entries)), layout="constrained")
    axes = figure.subplots(len(entries), 1, squeeze=False).ravel()
    for ax, entry in zip(axes, entries):
        knowledge = entry.result.knowledge
        assert knowledge is not None, "only knowledge results are drawn per question"
        questions = knowledge.questions
        question_bars(
            ax,
            [q.number for q in entry.questions],
            [q.percent_correct_pre for q in questions],
            [q.percent_correct_post for q in questions],
            (fmt.wave_label(entry.result.spec.pre_wave), fmt.wave_label(entry.result.spec.post_wave)),
        )
        ax.set_title(_wrap(fmt.text(entry.title), 90), fontsize=10)
    return figure


def question_bars(
    ax,
    numbers: Sequence[int],
    percents_pre: Sequence[float | None],
    percents_post: Sequence[float | None],
    labels: tuple[str, str],
) -> None:
    """A knowledge test's percent correct per question, before and after, as pairs of bars."""
    positions = np.arange(len(numbers))
    ax.bar(positions - 0.2, [value or 0 for value in percents_pre], 0.4, color=BEFORE, label=labels[0])
    ax.bar(positions + 0.2, [value or 0 for value in percents_post], 0.4, color=AFTER, label=labels[1])
    ax.set_xticks(positions, [str(number) for number in numbers], fontsize=8)
    ax.set_ylim(0, 115)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(_("Percent correct"))
    ax.set_xlabel(_("Question"))
    ax.legend(fontsize=8, loc="upper right", ncols=2)


def _plotted(statistic: Statistic, value: float | None) -> float | None:
    """Shares are drawn as percentages, like their labels."""
    if value is None:
        return None
    return 100 * value if statistic == Statistic.SHARE_RELIABLY_IMPROVED else value


def _wrap(text: str, width: int = 45) -> str:
    return textwrap.fill(text, width)


def png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
