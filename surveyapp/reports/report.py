"""From the database to the indicator report: stored scores -> scoring.indicators (pure) -> Report.

The same Report serves the page, the XLSX/PDF/CSV downloads and the CLI. Respondent codes stay inside this
module and the pure glue: the report's long-form data carries a pseudonym drawn at random for each report
(see `_pseudonyms`), and is left out altogether when small cells are suppressed (the viewer's report).
"""
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from surveyapp.db import utc_now
from surveyapp.instruments.queries import newest_version
from surveyapp.reports import queries
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.disaggregation import MIN_CELL_SIZE, age_group
from surveyapp.scoring.engine import item_points
from surveyapp.scoring.indicators import (
    KNOWLEDGE_STATISTICS,
    Attendance,
    IndicatorData,
    IndicatorResult,
    IndicatorSpec,
    KnowledgeAnswers,
    RespondentProfile,
    build_indicator_table,
)
from surveyapp.scoring.knowledge import POST_FORM, PRE_FORM, Question, correct_by_question, paired_questions
from surveyapp.scoring.matching import ScoreRecord


@dataclass(frozen=True)
class DataRow:
    """One score in the de-identified long-form data."""

    pseudonym: str
    kind: str
    sex: str | None
    age_group: str | None
    territory: str | None
    session: str
    wave: str
    instrument: str
    scale: str
    value: float


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
    data_rows: tuple[DataRow, ...] = field(default=())
    """Empty in a report with small cells suppressed (the viewer's): individual rows defeat suppression."""
    change_rows: tuple[ChangeRow, ...] = field(default=())
    """Empty in the viewer's report too."""


@dataclass
class _Loaded:
    data: IndicatorData
    questions: tuple[Question, ...]
    rows: list[DataRow]
    duplicates_dropped: int


def build_report(*, suppress_small: bool, min_cell_size: int = MIN_CELL_SIZE) -> Report:
    definitions = queries.indicator_definitions()
    pseudonym = _pseudonyms()
    loaded = [_load(definition, pseudonym) for definition in definitions]
    table = build_indicator_table(
        [(definition.to_spec(), item.data) for definition, item in zip(definitions, loaded)],
        suppress_small=suppress_small, min_cell_size=min_cell_size,
    )
    entries = tuple(
        IndicatorEntry(
            code=definition.code, title=definition.title, method=definition.method,
            scale_label=_scale_label(definition), result=result, questions=item.questions,
            duplicates_dropped=item.duplicates_dropped,
        )
        for definition, item, result in zip(definitions, loaded, table.results)
    )
    if suppress_small:
        return Report(entries=entries, suppress_small=True, min_cell_size=min_cell_size, generated_at=utc_now())
    return Report(
        entries=entries, suppress_small=False, min_cell_size=min_cell_size, generated_at=utc_now(),
        data_rows=tuple(_unique_rows(row for item in loaded for row in item.rows)),
        change_rows=tuple(row for result in table.results for row in _change_rows(result, pseudonym)),
    )


def for_export(report: Report) -> Report:
    """A built report for one export: its pseudonyms replaced by ones drawn afresh (so that two exports of a
    cached report cannot be linked, as two built ones cannot), dated now (the caller knows the data unchanged)."""
    pseudonym = _pseudonyms()
    return replace(
        report, generated_at=utc_now(),
        data_rows=tuple(replace(row, pseudonym=pseudonym(row.pseudonym)) for row in report.data_rows),
        change_rows=tuple(replace(row, pseudonym=pseudonym(row.pseudonym)) for row in report.change_rows),
    )


def _change_rows(result: IndicatorResult, pseudonym) -> list[ChangeRow]:
    rci = result.reliable_change.rci if result.reliable_change else (None,) * len(result.pairs)
    return [
        ChangeRow(pseudonym(pair.respondent_code), result.spec.code, pair.pre, pair.post, value,
                  pair.category.value if pair.category else None)
        for pair, value in zip(result.pairs, rci)
    ]


def _pseudonyms():
    """A fresh random pseudonym per respondent code, for this report only.

    Random rather than a hash of the code: a code has only 31^6 possible bodies, so any unkeyed hash is undone
    by trying them all, and a stable keyed hash would let two exports be linked. A random draw keeps a child's
    baseline and post rows together within one file and links to nothing outside it.
    """
    assigned: dict[str, str] = {}
    used: set[str] = set()

    def pseudonym(code: str) -> str:
        if code not in assigned:
            while (candidate := f"P-{secrets.token_hex(4).upper()}") in used:
                continue
            used.add(candidate)
            assigned[code] = candidate
        return assigned[code]
    return pseudonym


def _load(definition: IndicatorDefinition, pseudonym) -> _Loaded:
    spec = definition.to_spec()
    rows = queries.score_rows(
        definition.respondent_kind, sorted({spec.pre_instrument, spec.post_instrument}), spec.scale_id,
        [definition.pre_wave, definition.post_wave],
    )
    kept, duplicates = _first_per_wave(spec, rows)
    versions = queries.versions_by_id({row.version_id for row in kept})
    records = tuple(ScoreRecord(row.code, row.instrument, spec.scale_id, row.wave.value, row.value) for row in kept)
    profiles = {row.code: RespondentProfile(_value(row.sex), row.birth_year, row.territory) for row in kept}
    attendance: dict[str, Attendance] = {}
    for row in sorted(kept, key=lambda row: row.wave != definition.pre_wave):
        attendance.setdefault(row.code, Attendance(_session_label(row), row.held_on.year))
    knowledge, questions = (
        _knowledge(spec, kept, versions) if spec.statistic in KNOWLEDGE_STATISTICS else (None, ())
    )
    data = IndicatorData(
        records=records, item_points=_item_matrices(spec, kept, versions), profiles=profiles,
        attendance=attendance, knowledge=knowledge,
    )
    return _Loaded(data, questions, [_data_row(row, spec, pseudonym) for row in kept], duplicates)


def _first_per_wave(spec: IndicatorSpec, rows: Sequence) -> tuple[list, int]:
    """The rows of the pre instrument at the pre wave and of the post instrument at the post wave, one per
    respondent and wave (the oldest: rows come oldest first), and how many later ones were dropped."""
    kept, seen, dropped = [], set(), 0
    for row in rows:
        wave = row.wave.value
        if (wave, row.instrument) not in {(spec.pre_wave, spec.pre_instrument), (spec.post_wave, spec.post_instrument)}:
            continue
        if (row.code, wave) in seen:
            dropped += 1
            continue
        seen.add((row.code, wave))
        kept.append(row)
    return kept, dropped


def _item_matrices(spec: IndicatorSpec, rows: Sequence, versions) -> dict[str, list[list[float | None]]]:
    """wave -> scored item points, from the rows of the wave's most used version (one set of items)."""
    matrices = {}
    for wave in (spec.pre_wave, spec.post_wave):
        wave_rows = [row for row in rows if row.wave.value == wave]
        if not wave_rows:
            continue
        version_id = Counter(row.version_id for row in wave_rows).most_common(1)[0][0]
        definition = versions[version_id].definition
        scale = definition.scale(spec.scale_id)
        matrices[wave] = [item_points(definition, scale, row.answers) for row in wave_rows
                          if row.version_id == version_id]
    return matrices


def _knowledge(spec: IndicatorSpec, rows: Sequence, versions) -> tuple[KnowledgeAnswers | None, tuple[Question, ...]]:
    """Right/wrong per question, the pre and post forms' items paired by their position in the scale."""
    pre_rows = [row for row in rows if row.wave.value == spec.pre_wave]
    post_rows = [row for row in rows if row.wave.value == spec.post_wave]
    if not pre_rows or not post_rows:
        return None, ()
    questions = paired_questions(versions[pre_rows[0].version_id].definition,
                                 versions[post_rows[0].version_id].definition, spec.scale_id)

    def correct(wave_rows, form: str) -> dict:
        return {row.code: correct_by_question(versions[row.version_id].definition, spec.scale_id, row.answers,
                                              questions, form)
                for row in wave_rows}

    question_ids = tuple(q.question_id for q in questions)
    return KnowledgeAnswers(pre=correct(pre_rows, PRE_FORM), post=correct(post_rows, POST_FORM),
                            question_ids=question_ids), questions


def _scale_label(definition: IndicatorDefinition) -> dict:
    version = newest_version(definition.post_instrument)
    if version is None:
        return {}
    try:
        return dict(version.definition.scale(definition.scale).label)
    except KeyError:
        return {}


def _data_row(row, spec: IndicatorSpec, pseudonym) -> DataRow:
    return DataRow(
        pseudonym=pseudonym(row.code), kind=spec.respondent_kind, sex=_value(row.sex),
        age_group=age_group(row.birth_year, row.held_on.year) if spec.respondent_kind == RespondentKind.CHILD
        else None,
        territory=row.territory, session=_session_label(row), wave=row.wave.value, instrument=row.instrument,
        scale=spec.scale_id, value=row.value,
    )


def _unique_rows(rows) -> list[DataRow]:
    """Two indicators on the same scale would list the same scores twice."""
    return list(dict.fromkeys(rows))


def _session_label(row) -> str:
    return f"{row.session_title} ({row.held_on.isoformat()})"


def _value(enum_value) -> str | None:
    return None if enum_value is None else enum_value.value

