"""From the database to the indicator report: stored scores -> scoring.indicators (pure) -> Report.

The same Report serves the page, the XLSX/PDF/CSV downloads and the CLI. Respondent codes stay inside this
module and the pure glue: each respondent's change carries a pseudonym drawn at random for each report
(see `_pseudonyms`), and is left out altogether when small cells are suppressed (the viewer's report). The
long-form data is exported by reports.data_export, straight from the database.
"""

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from surveyapp.db import utc_now
from surveyapp.instruments.queries import newest_version
from surveyapp.reports import queries
from surveyapp.reports.indicator_data import ReportTables, load_indicator
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE
from surveyapp.scoring.indicators import IndicatorResult, build_indicator_table
from surveyapp.scoring.knowledge import Question


@dataclass(frozen=True)
class ChangeRow:
    """One matched respondent's change on one indicator, with the RCI (Jacobson & Truax) when it is defined."""

    pseudonym: str
    indicator: str
    pre: float
    post: float
    rci: float | None
    category: str | None


@dataclass(frozen=True)
class IndicatorEntry:
    code: str
    title: dict
    method: dict
    scale_label: dict
    result: IndicatorResult
    questions: tuple[Question, ...] = ()
    duplicates_dropped: int = 0
    """Second submissions of the same scale at the same wave by one respondent: the first one counts."""


@dataclass(frozen=True)
class Report:
    entries: tuple[IndicatorEntry, ...]
    suppress_small: bool
    min_cell_size: int
    generated_at: datetime
    pseudonym: Callable[[str], str] | None = field(default=None, compare=False, repr=False)
    """Draws this report's pseudonyms; None in a report with small cells suppressed (the viewer's), which has no
    individual rows: they would defeat suppression."""

    @property
    def has_change_rows(self) -> bool:
        return self.pseudonym is not None and any(len(entry.result.pairs) for entry in self.entries)

    @property
    def change_rows(self) -> Iterator[ChangeRow]:
        """Each matched respondent's change, under this report's pseudonyms: made one at a time when an export
        writes them (one row per matched respondent and indicator: ~300,000 at 1,000,000 submissions), not with
        the report."""
        if self.pseudonym is None:
            return
        for entry in self.entries:
            yield from _change_rows(entry.result, self.pseudonym)


def build_report(*, suppress_small: bool, min_cell_size: int = MIN_CELL_SIZE) -> Report:
    definitions = queries.indicator_definitions()
    tables = ReportTables()
    loaded = [load_indicator(definition, tables) for definition in definitions]
    table = build_indicator_table(
        [(definition.to_spec(), item.data) for definition, item in zip(definitions, loaded)],
        suppress_small=suppress_small,
        min_cell_size=min_cell_size,
    )
    entries = tuple(
        IndicatorEntry(
            code=definition.code,
            title=definition.title,
            method=definition.method,
            scale_label=_scale_label(definition),
            result=result,
            questions=item.questions,
            duplicates_dropped=item.duplicates_dropped,
        )
        for definition, item, result in zip(definitions, loaded, table.results)
    )
    return Report(
        entries=entries,
        suppress_small=suppress_small,
        min_cell_size=min_cell_size,
        generated_at=utc_now(),
        pseudonym=None if suppress_small else _pseudonyms(),
    )


def for_export(report: Report) -> Report:
    """A built report for one export: its pseudonyms replaced by ones drawn afresh (so that two exports of a
    cached report cannot be linked, as two built ones cannot), dated now (the caller knows the data unchanged)."""
    return replace(report, generated_at=utc_now(), pseudonym=report.pseudonym and _pseudonyms())


def _change_rows(result: IndicatorResult, pseudonym) -> Iterator[ChangeRow]:
    pairs = result.pairs
    rci = result.reliable_change.rci if result.reliable_change else (None,) * len(pairs)
    categories = (None,) * len(pairs) if pairs.categories is None else pairs.categories.tolist()
    return (
        ChangeRow(pseudonym(code), result.spec.code, pre, post, value, category.value if category else None)
        for code, pre, post, value, category in zip(
            pairs.codes.tolist(), pairs.pre.tolist(), pairs.post.tolist(), rci, categories
        )
    )


def _pseudonyms():
    """A fresh random pseudonym per respondent code, for this report only.

    Random rather than a hash of the code: a code has only 31^6 possible bodies, so any unkeyed hash is undone
    by trying them all, and a stable keyed hash would let two exports be linked. A random draw keeps a child's
    baseline and post rows together within one file and links to nothing outside it.
    """
    assigned: dict[str, str] = {}
    used: set[str] = set()
    draws = _random_hex()

    def pseudonym(code: str) -> str:
        if code not in assigned:
            while (candidate := f"P-{next(draws)}") in used:
                continue
            used.add(candidate)
            assigned[code] = candidate
        return assigned[code]

    return pseudonym


def _random_hex(batch: int = 4096) -> Iterator[str]:
    """8 random hex digits (upper case) at a time from `secrets`, read in batches: one system call per batch
    rather than per respondent."""
    while True:
        digits = secrets.token_hex(4 * batch).upper()
        yield from (digits[start : start + 8] for start in range(0, len(digits), 8))


def _scale_label(definition: IndicatorDefinition) -> dict:
    version = newest_version(definition.post_instrument)
    if version is None:
        return {}
    try:
        return dict(version.definition.scale(definition.scale).label)
    except KeyError:
        return {}
