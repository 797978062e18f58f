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
from surveyapp.scoring.indicators import KNOWLEDGE_STATISTICS, Statistic
from surveyapp.scoring.paired import ChangeCategory

DPI = 110
BEFORE, AFTER = "#8fa9bf", "#1f6f8b"
CATEGORY_COLOURS = {ChangeCategory.IMPROVED: "#2e8b57", ChangeCategory.UNCHANGED: "#b0b8c1",
                    ChangeCategory.WORSENED: "#c0504d"}


@dataclass(frozen=True)
class Plot:
    key: str
    title: str
    png: bytes


def report_plots(report: Report) -> list[Plot]:
    scales = [entry for entry in report.entries if _shown(entry) and entry.result.spec.statistic
              not in KNOWLEDGE_STATISTICS]
    knowledge = [entry for entry in report.entries if _shown(entry) and entry.result.knowledge is not None]
    plots = []
    if scales:
        plots.append(Plot("distributions", _("Scores before and after (matched respondents)"),
                          _png(_distributions(scales))))
        plots.append(Plot("changes", _("Change per respondent, by reliable change"), _png(_changes(scales))))
        plots.append(Plot("territories", _("Results by territorial administration"), _png(_territories(scales))))
    if knowledge:
        plots.append(Plot("questions", _("Knowledge per question, before and after"), _png(_questions(knowledge))))
    return plots


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
        parts = ax.boxplot([[pair.pre for pair in pairs], [pair.post for pair in pairs]], widths=0.55,
                           patch_artist=True, showmeans=True, tick_labels=[
                               fmt.wave_label(entry.result.spec.pre_wave), fmt.wave_label(entry.result.spec.post_wave)])
        for box, colour in zip(parts["boxes"], (BEFORE, AFTER)):
            box.set_facecolor(colour)
        ax.set_title(_wrap(fmt.text(entry.scale_label) or entry.code), fontsize=10)
        ax.set_ylabel(_("Score"))
        ax.text(0.02, 0.02, f"n = {len(pairs)}", transform=ax.transAxes, fontsize=8)
    return figure


def _changes(entries: Sequence[IndicatorEntry]) -> Figure:
    figure, axes = _grid(len(entries))
    labels = {ChangeCategory.IMPROVED: _("Reliably improved"), ChangeCategory.UNCHANGED: _("No reliable change"),
              ChangeCategory.WORSENED: _("Reliably worsened")}
    for ax, entry in zip(axes, entries):
        pairs = entry.result.pairs
        changes = np.array([pair.post - pair.pre for pair in pairs])
        bins = np.histogram_bin_edges(changes, bins=min(25, max(5, len(pairs) // 10)))
        if entry.result.reliable_change is None:
            ax.hist(changes, bins=bins, color=BEFORE)
        else:
            groups = [[p.post - p.pre for p in pairs if p.category == category] for category in CATEGORY_COLOURS]
            ax.hist(groups, bins=bins, stacked=True, color=list(CATEGORY_COLOURS.values()),
                    label=[labels[category] for category in CATEGORY_COLOURS])
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
        questions = entry.result.knowledge.questions
        positions = np.arange(len(questions))
        ax.bar(positions - 0.2, [q.percent_correct_pre or 0 for q in questions], 0.4, color=BEFORE,
               label=fmt.wave_label(entry.result.spec.pre_wave))
        ax.bar(positions + 0.2, [q.percent_correct_post or 0 for q in questions], 0.4, color=AFTER,
               label=fmt.wave_label(entry.result.spec.post_wave))
        ax.set_xticks(positions, [str(q.number) for q in entry.questions], fontsize=8)
        ax.set_ylim(0, 115)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(_("Percent correct"))
        ax.set_xlabel(_("Question"))
        ax.set_title(_wrap(fmt.text(entry.title), 90), fontsize=10)
        ax.legend(fontsize=8, loc="upper right", ncols=2)
    return figure


def _plotted(statistic: Statistic, value: float | None) -> float | None:
    """Shares are drawn as percentages, like their labels."""
    if value is None:
        return None
    return 100 * value if statistic == Statistic.SHARE_RELIABLY_IMPROVED else value


def _wrap(text: str, width: int = 45) -> str:
    return textwrap.fill(text, width)


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
