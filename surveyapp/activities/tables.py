"""The activities table in the current language, format-neutral like the report's tables: each cell keeps its raw
value (for XLSX and CSV) and the text shown (for the page)."""

from flask_babel import gettext as _

from surveyapp.activities.queries import ActivityProgress
from surveyapp.i18n import current_language, local_text
from surveyapp.reports import formatting as fmt
from surveyapp.reports.tables import Table, Value, plain, whole


def progress_table(progress: list[ActivityProgress]) -> Table:
    columns = (
        _("Activity"),
        _("Period"),
        _("Planned participants"),
        _("Participants reached"),
        _("Percent reached"),
        _("Sessions linked"),
    )
    language = current_language()
    rows = tuple(
        (
            plain(local_text(row.activity.title, language)),
            plain(local_text(row.activity.period, language)),
            whole(row.activity.planned_participants),
            whole(row.reached),
            _percent(row.reached_share),
            whole(row.session_count),
        )
        for row in progress
    )
    return Table(_("Programme activities"), columns, rows)


def _percent(share: float | None) -> Value:
    """A percentage (0-100, one decimal) in spreadsheets too, like the text shown."""
    return Value(None if share is None else round(100 * share, 1), fmt.percent(share))
