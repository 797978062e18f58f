"""The indicator report served from a per-process cache that is never stale.

Building the report reads every score and renders matplotlib charts; the data it reads changes far less often
than the page is viewed. Each view therefore first reads a cheap data stamp (`data_stamp`, two statements) and
uses the report built for that stamp if this process has one. Processes share nothing: each checks the stamp
itself, so a submission received by one worker is seen by the next view in every worker.

The stamp covers every input of `build_report`:
- submissions (with their answers and scores, written in the same transaction and never changed after):
  count, highest id, latest `received_at`. The count is needed besides the highest id: a transaction that
  drew a lower id may commit after one that drew a higher id;
- indicator definitions: count and latest `updated_at` (a new one, an edit, a deletion);
- published instrument versions (immutable; the newest one names the scale): count and highest id;
- territorial administrations: every (id, name), since they may be renamed and have no `updated_at`
  (a few dozen rows);
- withdrawals: how many respondents have withdrawn and the latest withdrawal (a withdrawal, its undoing).
Respondents' profiles and sessions' titles, dates and waves are never edited after they are created, and a
new one reaches the report only through a new submission. A feature that edits any of them, or rewrites
scores in place, must add it to the stamp.

A key is the stamp and the suppression of small groups, so the viewer's report and the staff's are never
shared. The charts are cached per language with the report they were drawn from, as PNG images: the page, the
PDF and the workbook of the same report use the same images (`report_charts`, `summary_chart`). Downloads are made
from the cached report under pseudonyms drawn afresh for each export (`report.for_export`), which keeps the
report's entries, and so its charts.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.i18n import current_language
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.plots import Plot, report_plots, summary_plot
from surveyapp.reports.report import Report, build_report, for_export
from surveyapp.respondents.models import Respondent, Territory
from surveyapp.responses.models import Submission

CACHE_SIZE = 4
"""Reports kept per process: the viewer's and the staff's for the current data, and a pair for the data just
before (a request that read the older stamp may still be running)."""
EXTENSION_KEY = "indicator_report_cache"


@dataclass(frozen=True)
class Charts:
    summary: Plot | None
    plots: tuple[Plot, ...]


@dataclass
class _Entry:
    report: Report
    charts: dict[str, Charts] = field(default_factory=dict)
    """Language -> the charts drawn from `report` in it."""

    def charts_in(self, language: str) -> Charts:
        """Drawn at the first request in a language (two threads may both draw them; one result is kept)."""
        if language not in self.charts:
            self.charts.setdefault(language, draw_charts(self.report))
        return self.charts[language]


class ReportCache:
    """A small LRU of built reports, safe for threads; a report is built outside the lock (two threads that
    miss at once may both build it, and one result is kept)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def entry(self, key: tuple, build) -> _Entry:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
        built = _Entry(build())
        with self._lock:
            entry = self._entries.setdefault(key, built)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def holding(self, report: Report) -> _Entry | None:
        """The entry of `report` or of the report it was copied from for an export (the same entries)."""
        with self._lock:
            return next((entry for entry in self._entries.values() if entry.report.entries is report.entries), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def data_stamp() -> tuple:
    """What the report depends on, in two statements (see the module's docstring for why each part)."""
    totals = db.session.execute(
        select(
            _count(Submission),
            _scalar(func.max(Submission.id)),
            _scalar(func.max(Submission.received_at)),
            _count(IndicatorDefinition),
            _scalar(func.max(IndicatorDefinition.updated_at)),
            _count(InstrumentVersion),
            _scalar(func.max(InstrumentVersion.id)),
            _scalar(func.count(Respondent.withdrawn_at)),
            _scalar(func.max(Respondent.withdrawn_at)),
        )
    ).one()
    territories = db.session.execute(select(Territory.id, Territory.name).order_by(Territory.id)).all()
    return tuple(totals) + (tuple(tuple(row) for row in territories),)


def report_with_charts(*, suppress_small: bool) -> tuple[Report, Charts]:
    """The report for the Indicators page and its charts in the current language."""
    entry = _cached(suppress_small)
    return entry.report, entry.charts_in(current_language())


def report_charts(report: Report) -> Charts:
    """The charts of `report` in the current language: the cached ones when the report (or the one an export
    was copied from) is in this process's cache, else drawn now (e.g. a report built by the CLI)."""
    entry = report_cache().holding(report)
    return entry.charts_in(current_language()) if entry is not None else draw_charts(report)


def summary_chart(report: Report) -> Plot | None:
    """The summary's chart of `report` in the current language: the cached one, else drawn alone (the workbook
    shows no other chart)."""
    entry = report_cache().holding(report)
    return entry.charts_in(current_language()).summary if entry is not None else summary_plot(report)


def draw_charts(report: Report) -> Charts:
    return Charts(summary_plot(report), tuple(report_plots(report)))


def report_for_export(*, suppress_small: bool) -> Report:
    """The cached report for one download, its pseudonyms drawn for this export only."""
    return for_export(_cached(suppress_small).report)


def report_cache() -> ReportCache:
    return current_app.extensions.setdefault(EXTENSION_KEY, ReportCache())


def _cached(suppress_small: bool) -> _Entry:
    """The stamp is read before the report is built: a report built from newer data than its stamp only costs
    a rebuild at the next view, never a stale page."""
    key = (data_stamp(), suppress_small)
    return report_cache().entry(key, lambda: build_report(suppress_small=suppress_small))


def _count(model):
    return select(func.count()).select_from(model).scalar_subquery()


def _scalar(aggregate):
    return select(aggregate).scalar_subquery()
