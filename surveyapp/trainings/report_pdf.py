"""The training report as a PDF, in the indicator report's fonts, styles and tables (reports.pdf): the training,
the group result with both normalized gains, the participant list, the questions and the chart."""

from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from surveyapp.i18n import current_language
from surveyapp.reports import formatting as fmt
from surveyapp.reports.pdf import (
    BODY,
    HEADING,
    MARGIN,
    NOTE,
    PAGE,
    TITLE,
    page_footer,
    pdf_image,
    pdf_table,
    register_fonts,
)
from surveyapp.trainings import result_tables
from surveyapp.trainings.result_chart import chart_title, questions_chart
from surveyapp.trainings.results import TrainingResult


def training_report_pdf(result: TrainingResult) -> bytes:
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Training report: %(title)s", title=result.title),
        author="surveyapp",
        lang=current_language(),
    )
    document.build(_story(result), onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()


def _story(result: TrainingResult) -> list:
    story = [
        Paragraph(escape(fmt.text(fmt.PROGRAMME_TITLE)), TITLE),
        Paragraph(escape(_("Training report: %(title)s", title=result.title)), HEADING),
    ]
    details = result_tables.details_table(result)
    story += [
        Paragraph(f"<b>{escape(label)}:</b> {escape(value.shown)}", BODY)
        for label, value in zip(details.columns, details.rows[0])
    ]
    story += [
        Spacer(1, 6),
        Paragraph(escape(_("Group result")), HEADING),
        Paragraph(escape(result_tables.headline(result)), BODY),
        pdf_table(result_tables.group_table(result), [9.0, 9.0]),
    ]
    story += [Paragraph(escape(line), NOTE) for line in result_tables.explanations()]
    story += [
        Spacer(1, 6),
        Paragraph(escape(_("Participants")), HEADING),
        pdf_table(result_tables.participant_table(result), [7.0, 7.0, 3.0, 3.5, 3.5]),
    ]
    story += [
        Spacer(1, 6),
        Paragraph(escape(_("Correct answers per question")), HEADING),
        pdf_table(result_tables.question_table(result), [1.2, 5.0, 12.0, 2.8, 2.8, 2.6]),
    ]
    if result.gain.n_matched:
        story += [
            Spacer(1, 6),
            KeepTogether([Paragraph(escape(chart_title()), HEADING), pdf_image(questions_chart(result))]),
        ]
    return story
