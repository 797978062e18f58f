"""The chart of a training's results: percent correct per question, before and after the training (PNG)."""

from flask_babel import gettext as _
from matplotlib.figure import Figure

from surveyapp.reports.plots import png, question_bars
from surveyapp.trainings.results import TrainingResult


def chart_title() -> str:
    return _("Correct answers per question, before and after the training")


def questions_chart(result: TrainingResult) -> bytes:
    figure = Figure(figsize=(9, 3.6), layout="constrained")
    question_bars(
        figure.subplots(),
        [question.number for question in result.questions],
        [question.percent_pre for question in result.questions],
        [question.percent_post for question in result.questions],
        (_("Before the training"), _("After the training")),
    )
    return png(figure)
