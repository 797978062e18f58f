"""The report as a PDF for the mayor's office, with ReportLab: tables that wrap and break across pages, and
flowing text, which matplotlib's PdfPages (one figure per page) cannot lay out.

Page 1 is the summary in plain words with its chart; the statistics follow as an annex. Every text is set in
DejaVu Sans, the TrueType font shipped inside matplotlib, which has the Kyrgyz letters ң, ө, ү; ReportLab embeds
the subset used, so the PDF reads the same on any computer. Columns are made wide enough for the longest word
of their cells, so that no word ("сурамжылангандар") is broken across lines.
"""

from collections.abc import Sequence
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from flask_babel import format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from surveyapp.i18n import current_language
from surveyapp.reports import formatting as fmt
from surveyapp.reports import tables
from surveyapp.reports.cache import report_charts
from surveyapp.reports.plots import Plot
from surveyapp.reports.report import Report
from surveyapp.scoring.indicators import Verdict

FONT, BOLD_FONT = "DejaVuSans", "DejaVuSans-Bold"
PAGE = landscape(A4)
MARGIN = 1.5 * cm
FRAME_PADDING = 6
"""SimpleDocTemplate's frame keeps 6 points inside the margins on every side."""
WIDTH = PAGE[0] - 2 * (MARGIN + FRAME_PADDING)
HEIGHT = PAGE[1] - 2 * (MARGIN + FRAME_PADDING)
CELL_PADDING = 6
"""ReportLab's default left and right padding of a table cell, in points."""
MIN_CHART_HEIGHT = 3 * cm
VERDICT_TINTS: dict[tables.Raw, str] = {
    Verdict.MET: "#d4ecdc",
    Verdict.NOT_MET: "#f6d4ce",
    Verdict.NOT_ENOUGH_DATA: "#e3e8ee",
}


@cache
def register_fonts() -> None:
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT)


def _style(name: str, size: float, font: str = FONT, space_after: float = 4) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=size * 1.25, spaceAfter=space_after, alignment=TA_LEFT
    )


TITLE, HEADING, BODY, CELL, HEAD_CELL, NOTE = (
    _style("title", 17, BOLD_FONT, 6),
    _style("heading", 12.5, BOLD_FONT, 6),
    _style("body", 9.5),
    _style("cell", 8, space_after=0),
    _style("head", 8, BOLD_FONT, 0),
    _style("note", 7.5, space_after=2),
)


def report_pdf(report: Report) -> bytes:
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("{programme}: indicator report").format(programme=fmt.text(fmt.PROGRAMME_TITLE)),
        author="surveyapp",
        lang=current_language(),
    )
    charts = report_charts(report)
    document.build(
        _summary(report, charts.summary) + [PageBreak()] + _annex(report, charts.plots),
        onFirstPage=page_footer,
        onLaterPages=page_footer,
    )
    return buffer.getvalue()


def _summary(report: Report, plot: Plot | None) -> list:
    """Page 1: the summary table, then its chart scaled to the room left on the page."""
    story = [
        Paragraph(escape(fmt.text(fmt.PROGRAMME_TITLE)), TITLE),
        Paragraph(escape(_("Indicator report: results measured by survey")), HEADING),
        Paragraph(
            escape(
                _("Generated {at}. {audience}").format(
                    at=format_datetime(report.generated_at, "short"), audience=_audience(report)
                )
            ),
            BODY,
        ),
    ]
    if not report.entries:
        return story + [Paragraph(escape(_("No indicator is defined yet.")), BODY)]
    assert plot is not None, "a report with indicators has its summary chart"
    summary = tables.summary_table(report)
    story += [
        _with_verdict_colours(pdf_table(summary, [1.0, 6.4, 2.8, 2.8, 6.0, 6.0, 2.4]), summary),
        Paragraph(escape(_("The statistics behind each result follow as an annex.")), NOTE),
        Spacer(1, 4),
        Paragraph(escape(plot.title), BODY),
    ]
    room = HEIGHT - sum(
        flowable.getSpaceBefore() + flowable.wrap(WIDTH, HEIGHT)[1] + flowable.getSpaceAfter() for flowable in story
    )
    return story + [pdf_image(plot.png, max(room - 1, MIN_CHART_HEIGHT))]


def _with_verdict_colours(flowable: Table, summary: tables.Table) -> Table:
    """The verdict cell tinted as on the page: green when met, red when not, grey when undecided."""
    flowable.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (-1, number), (-1, number), colors.HexColor(VERDICT_TINTS[row[-1].raw]))
                for number, row in enumerate(summary.rows, start=1)
            ]
        )
    )
    return flowable


def _annex(report: Report, plots: Sequence[Plot]) -> list:
    story = [
        Paragraph(escape(_("Annex: statistics")), TITLE),
        pdf_table(tables.indicator_table(report), [1.1, 6.2, 2.3, 2.1, 2.1, 2.1, 2.1, 6.2, 2.8]),
        Spacer(1, 6),
    ]
    story += [Paragraph(escape(note), NOTE) for note in fmt.footnotes(report)]
    for number, plot in enumerate(plots):
        story += [
            PageBreak() if number % 2 == 0 else Spacer(1, 12),
            KeepTogether([Paragraph(escape(plot.title), HEADING), pdf_image(plot.png)]),
        ]
    for entry in report.entries:
        summary = (
            f"{fmt.text(entry.scale_label)} · {fmt.STATISTIC_LABELS[entry.result.spec.statistic]} · "
            f"{fmt.result_text(entry.result, report.min_cell_size)}"
        )
        story += [PageBreak(), Paragraph(escape(fmt.text(entry.title)), HEADING), Paragraph(escape(summary), BODY)]
        story.append(pdf_table(tables.statistics_table(entry), [7.5, 9.0, 5.0]))
        for breakdown in tables.breakdown_tables(entry):
            story += [Spacer(1, 6), KeepTogether([pdf_table(breakdown, [9.0, 2.5, 6.0])])]
        questions = tables.question_table(entry)
        if questions is not None:
            story += [
                Spacer(1, 6),
                Paragraph(escape(questions.title), HEADING),
                pdf_table(questions, [1.8, 6.0, 4.6, 4.6, 2.6, 2.6, 2.6]),
            ]
    return story


def _audience(report: Report) -> str:
    if report.suppress_small:
        return _("For the mayor's office: groups of fewer than {n} respondents are not shown.").format(
            n=report.min_cell_size
        )
    return _("Staff report: groups of fewer than {n} respondents are shown and marked with *.").format(
        n=report.min_cell_size
    )


def pdf_table(table: tables.Table, widths_cm: list[float]) -> Table:
    data = [[Paragraph(escape(column), HEAD_CELL) for column in table.columns]]
    data += [[Paragraph(escape(value.shown), CELL) for value in row] for row in table.rows]
    flowable = Table(data, colWidths=column_widths(table, widths_cm), repeatRows=1, hAlign="LEFT")
    flowable.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ee")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d6dde4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return flowable


def column_widths(table: tables.Table, widths_cm: list[float]) -> list[float]:
    """Widths in points, in the proportions of `widths_cm` within the page, each column at least as wide as the
    longest word of its cells (header in bold) so that ReportLab never splits a word. The table widens up to the
    page when its words need it; a word wider than the page alone is left to ReportLab."""
    needed = [
        max(
            [_longest_word(column, BOLD_FONT, HEAD_CELL.fontSize)]
            + [_longest_word(row[index].shown, FONT, CELL.fontSize) for row in table.rows]
        )
        + 2 * CELL_PADDING
        for index, column in enumerate(table.columns)
    ]
    total = min(WIDTH, max(sum(widths_cm) * cm, sum(needed)))
    return _fill(total, [width * cm for width in widths_cm], needed)


def _fill(total: float, wanted: list[float], needed: list[float]) -> list[float]:
    """`total` shared in proportion to `wanted`, no column below `needed`: columns that would fall below are
    fixed at their need and the rest is shared again among the others."""
    fixed: dict[int, float] = {}
    while True:
        free = [index for index in range(len(wanted)) if index not in fixed]
        room = total - sum(fixed.values())
        scale = room / sum(wanted[index] for index in free) if free else 0
        short = [index for index in free if wanted[index] * scale < needed[index]]
        if not short or len(short) == len(free):
            for index in short:
                fixed[index] = needed[index]
            return [fixed[index] if index in fixed else wanted[index] * scale for index in range(len(wanted))]
        for index in short:
            fixed[index] = needed[index]


def _longest_word(text: str, font: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(word, font, size) for word in text.split()), default=0)


def pdf_image(png: bytes, max_height: float = HEIGHT - 2.5 * cm) -> Image:
    width, height = ImageReader(BytesIO(png)).getSize()
    scale = min(WIDTH / width, max_height / height)
    return Image(BytesIO(png), width=width * scale, height=height * scale)


def page_footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, MARGIN / 2, f"{fmt.text(fmt.PROGRAMME_TITLE)} · {document.page}")
    canvas.restoreState()
