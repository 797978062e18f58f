"""The report as a PDF for the mayor's office, with ReportLab: tables that wrap and break across pages, and
flowing text, which matplotlib's PdfPages (one figure per page) cannot lay out.

Every text is set in DejaVu Sans, the TrueType font shipped inside matplotlib, which has the Kyrgyz letters
ң, ө, ү; ReportLab embeds the subset used, so the PDF reads the same on any computer.
"""
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

from surveyapp.reports import formatting as fmt
from surveyapp.reports import tables
from surveyapp.reports.plots import report_plots
from surveyapp.reports.report import Report

FONT, BOLD_FONT = "DejaVuSans", "DejaVuSans-Bold"
PAGE = landscape(A4)
MARGIN = 1.5 * cm
WIDTH = PAGE[0] - 2 * MARGIN


@cache
def _register_fonts() -> None:
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT)


def _style(name: str, size: float, font: str = FONT, space_after: float = 4) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, spaceAfter=space_after,
                          alignment=TA_LEFT)


TITLE, HEADING, BODY, CELL, HEAD_CELL, NOTE = (
    _style("title", 17, BOLD_FONT, 6), _style("heading", 12.5, BOLD_FONT, 6), _style("body", 9.5),
    _style("cell", 8, space_after=0), _style("head", 8, BOLD_FONT, 0), _style("note", 7.5, space_after=2),
)


def report_pdf(report: Report) -> bytes:
    _register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=_("{programme}: indicator report").format(programme=fmt.text(fmt.PROGRAMME_TITLE)), author="surveyapp",
        lang=fmt.language(),
    )
    document.build(_story(report), onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _story(report: Report) -> list:
    story = [
        Paragraph(escape(fmt.text(fmt.PROGRAMME_TITLE)), TITLE),
        Paragraph(escape(_("Indicator report: results measured by survey")), HEADING),
        Paragraph(escape(_("Generated {at}. {audience}").format(
            at=format_datetime(report.generated_at, "short"), audience=_audience(report))), BODY),
        _table(tables.indicator_table(report), [1.1, 6.2, 2.3, 2.1, 2.1, 2.1, 2.1, 6.2, 2.8]),
        Spacer(1, 6),
    ]
    story += [Paragraph(escape(note), NOTE) for note in fmt.footnotes(report)]
    for number, plot in enumerate(report_plots(report)):
        story += [PageBreak() if number % 2 == 0 else Spacer(1, 12),
                  KeepTogether([Paragraph(escape(plot.title), HEADING), _image(plot.png)])]
    for entry in report.entries:
        summary = (f"{fmt.text(entry.scale_label)} · {fmt.STATISTIC_LABELS[entry.result.spec.statistic]} · "
                   f"{fmt.result_text(entry.result, report.min_cell_size)}")
        story += [PageBreak(), Paragraph(escape(fmt.text(entry.title)), HEADING), Paragraph(escape(summary), BODY)]
        story.append(_table(tables.statistics_table(entry), [7.5, 9.0, 5.0]))
        for breakdown in tables.breakdown_tables(entry):
            story += [Spacer(1, 6), KeepTogether([_table(breakdown, [9.0, 2.5, 6.0])])]
        questions = tables.question_table(entry)
        if questions is not None:
            story += [Spacer(1, 6), Paragraph(escape(questions.title), HEADING),
                      _table(questions, [1.8, 6.0, 4.6, 4.6, 2.6, 2.6, 2.6])]
    return story


def _audience(report: Report) -> str:
    if report.suppress_small:
        return _("For the mayor's office: groups of fewer than {n} respondents are not shown.").format(
            n=report.min_cell_size)
    return _("Staff report: groups of fewer than {n} respondents are shown and marked with *.").format(
        n=report.min_cell_size)


def _table(table: tables.Table, widths_cm: list[float]) -> Table:
    scale = min(1.0, WIDTH / (sum(widths_cm) * cm))
    data = [[Paragraph(escape(column), HEAD_CELL) for column in table.columns]]
    data += [[Paragraph(escape(value.shown), CELL) for value in row] for row in table.rows]
    flowable = Table(data, colWidths=[width * cm * scale for width in widths_cm], repeatRows=1, hAlign="LEFT")
    flowable.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ee")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d6dde4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return flowable


def _image(png: bytes) -> Image:
    width, height = ImageReader(BytesIO(png)).getSize()
    scale = min(WIDTH / width, (PAGE[1] - 2 * MARGIN - 2.5 * cm) / height)
    return Image(BytesIO(png), width=width * scale, height=height * scale)


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, MARGIN / 2, f"{fmt.text(fmt.PROGRAMME_TITLE)} · {document.page}")
    canvas.restoreState()
