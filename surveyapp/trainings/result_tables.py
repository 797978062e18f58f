"""A training's results in the current language, in words a trainer reads: the tables and sentences of the page and
of the training report (PDF and XLSX). Cells keep their raw value for the spreadsheet (reports.tables.Value)."""

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from surveyapp.reports import formatting as fmt
from surveyapp.reports.tables import Table, Value, plain, whole
from surveyapp.respondents.labels import kind_label
from surveyapp.scoring.knowledge import MIN_PAIRS_FOR_A_TEST
from surveyapp.trainings.results import TrainingResult


def percent(value: float | None, decimals: int = 0) -> Value:
    return Value(value, fmt.DASH if value is None else f"{fmt.number(value, decimals)}%")


def details_table(result: TrainingResult) -> Table:
    """The training as the report's first lines name it: what, when, where, who ran it, for whom, with which tests
    (one row)."""
    columns = (
        _("Training"),
        _("Date"),
        _("Place"),
        _("Trainer"),
        _("Participants"),
        _("Test before the training"),
        _("Test after the training"),
    )
    row = (
        plain(result.title),
        Value(result.held_on.isoformat(), format_date(result.held_on, "long")),
        plain(result.place),
        plain(result.trainer or fmt.DASH),
        plain(kind_label(result.respondent_kind)),
        plain(fmt.text(result.pre_test_title)),
        plain(fmt.text(result.post_test_title)),
    )
    return Table(_("Training"), columns, (row,))


def headline(result: TrainingResult) -> str:
    """The group's result in one sentence."""
    gain = result.gain
    if not gain.n_matched:
        return _(
            "Nobody has taken both tests yet: the group result appears once participants have taken the test "
            "before and the test after the training."
        )
    return ngettext(
        "%(num)d participant took both tests. Correct answers went from %(before)s before the training to "
        "%(after)s after it (%(change)s percentage points).",
        "%(num)d participants took both tests. Correct answers went from %(before)s before the training to "
        "%(after)s after it (%(change)s percentage points).",
        gain.n_matched,
        before=percent(gain.mean_percent_pre).shown,
        after=percent(gain.mean_percent_post).shown,
        change=fmt.number(gain.mean_gain_points, signed=True),
    )


def participant_table(result: TrainingResult) -> Table:
    columns = (_("Name"), _("Organisation"), _("Code"), _("Correct before (%)"), _("Correct after (%)"))
    rows = tuple(
        (
            plain(participant.name),
            plain(participant.organisation if participant.is_listed else _("not on the participant list")),
            plain(participant.code),
            percent(participant.percent_pre),
            percent(participant.percent_post),
        )
        for participant in result.participants
    )
    return Table(_("Participants"), columns, rows)


def group_table(result: TrainingResult) -> Table:
    gain, t, wilcoxon = result.gain, result.t_test, result.wilcoxon
    rows = [
        (_("Took both tests"), whole(gain.n_matched)),
        (_("Took only the test before"), whole(gain.n_pre_only)),
        (_("Took only the test after"), whole(gain.n_post_only)),
        (_("Correct answers before (group average)"), percent(gain.mean_percent_pre, 1)),
        (_("Correct answers after (group average)"), percent(gain.mean_percent_post, 1)),
        (_("Change (percentage points)"), Value(gain.mean_gain_points, fmt.number(gain.mean_gain_points, signed=True))),
        (
            _("Hake's gain (on the group's averages)"),
            Value(gain.hake_gain_of_class_averages, fmt.number(gain.hake_gain_of_class_averages, 2)),
        ),
        (_("Mean of individual gains"), Value(gain.mean_of_individual_normalized_gains, _individual_gains(result))),
    ]
    if result.can_be_tested:
        t_text = _(
            "t = %(t)s, df = %(df)s, p = %(p)s (n = %(n)s)",
            t=fmt.number(t.t_statistic, 2),
            df=fmt.count(t.df),
            p=fmt.p_value(t.p_value),
            n=t.n_pairs,
        )
        wilcoxon_text = _(
            "p = %(p)s (n = %(n)s with a change; %(method)s)",
            p=fmt.p_value(wilcoxon.p_value),
            n=wilcoxon.n_nonzero,
            method=fmt.wilcoxon_method(wilcoxon.p_value_method),
        )
        rows += [
            (_("Paired t-test"), Value(t.p_value, t_text)),
            (_("Wilcoxon signed-rank test"), Value(wilcoxon.p_value, wilcoxon_text)),
        ]
    else:
        rows.append((_("Paired tests"), plain(too_few_text())))
    return Table(_("Group result"), (_("Result"), _("Value")), tuple((plain(label), value) for label, value in rows))


def _individual_gains(result: TrainingResult) -> str:
    gain = result.gain
    if gain.mean_of_individual_normalized_gains is None:
        return fmt.DASH
    return ngettext(
        "%(gain)s (%(num)d participant)",
        "%(gain)s (%(num)d participants)",
        gain.n_individual_gains,
        gain=fmt.number(gain.mean_of_individual_normalized_gains, 2),
    )


def question_table(result: TrainingResult) -> Table:
    columns = (
        _("No."),
        _("Topic"),
        _("Question (as asked before the training)"),
        _("Correct before (%)"),
        _("Correct after (%)"),
        _("Change (points)"),
    )
    rows = tuple(
        (
            whole(question.number),
            plain(fmt.text(question.topic) if question.topic else ""),
            plain(fmt.text(question.text)),
            percent(question.percent_pre),
            percent(question.percent_post),
            Value(
                _difference(question.percent_pre, question.percent_post),
                fmt.number(_difference(question.percent_pre, question.percent_post), 0, signed=True),
            ),
        )
        for question in result.questions
    )
    return Table(_("Correct answers per question"), columns, rows)


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def too_few_text() -> str:
    return _(
        "Too few participants took both tests for a statistical test: at least %(n)s are needed.",
        n=MIN_PAIRS_FOR_A_TEST,
    )


def explanations() -> list[str]:
    """One line for each measure of the group result."""
    return [
        _(
            "Hake's gain: the share of what the group did not know before that it learned, computed on the group's "
            "averages: (after - before) / (100 - before). 0 means nothing learned, 1 everything."
        ),
        _(
            "Mean of individual gains: the same share computed for each participant, then averaged; participants "
            "with 100% before are left out."
        ),
        _(
            "The paired tests compare each participant's result after the training with their own result before; "
            "a p below 0.05 means the change is unlikely to be chance."
        ),
        _(
            "Per question: the share of the participants who took both tests who answered it correctly. An "
            "unanswered question counts as wrong."
        ),
    ]
