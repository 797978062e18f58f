"""From the database to the pure statistics' input (scoring.indicators.IndicatorData), column by column.

Built for a million submissions: each indicator's scores are read as ids and values only, in one statement, and
turned into NumPy arrays; what the ids stand for (respondents' codes and groups, sessions, instruments) is read
once per report from the smaller tables and looked up by array indexing. Answers are read only where item-level
statistics need them (Cronbach's alpha, knowledge questions), one column per item read out of the JSON by the
database, and scored by the bulk scorer's item points (scoring.bulk.item_points_many, equal to the engine's).
No Python object is made per score.
"""
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from surveyapp.instruments.model import InstrumentDefinition, Scale
from surveyapp.reports import queries
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.breakdowns import Groups
from surveyapp.scoring.bulk import UnsupportedScale, item_points_many
from surveyapp.scoring.disaggregation import age_group
from surveyapp.scoring.engine import item_points
from surveyapp.scoring.indicators import (
    KNOWLEDGE_STATISTICS,
    IndicatorData,
    IndicatorSpec,
    KnowledgeAnswers,
    WaveScores,
)
from surveyapp.scoring.knowledge import POST_FORM, PRE_FORM, Question, paired_questions


@dataclass(frozen=True)
class LoadedIndicator:
    data: IndicatorData
    questions: tuple[Question, ...]
    duplicates_dropped: int
    """Second submissions of the same scale at the same wave by one respondent: the first one counts."""


@dataclass(frozen=True, eq=False)
class _Respondents:
    """One kind of respondent, as arrays indexed by respondent id."""

    codes: np.ndarray
    sex: Groups
    territory: Groups
    birth_year: np.ndarray
    """0 where unknown."""


@dataclass(frozen=True, eq=False)
class _Rows:
    """An indicator's kept scores (one per respondent and wave, oldest first), column by column."""

    submission: np.ndarray
    respondent: np.ndarray
    session: np.ndarray
    version: np.ndarray
    value: np.ndarray
    is_post: np.ndarray

    def select(self, selection: np.ndarray) -> "_Rows":
        return _Rows(*(column[selection] for column in (self.submission, self.respondent, self.session, self.version,
                                                         self.value, self.is_post)))


class ReportTables:
    """The small tables that every indicator looks its ids up in, read once per report."""

    def __init__(self) -> None:
        self.instrument_codes = queries.instrument_codes()
        sessions = queries.sessions()
        size = max((row.id for row in sessions), default=0) + 1
        self.session_wave = np.full(size, "", dtype=object)
        self.session_year = np.zeros(size, dtype=np.int64)
        labels = [None] * size
        for row in sessions:
            self.session_wave[row.id] = row.wave.value
            self.session_year[row.id] = row.held_on.year
            labels[row.id] = f"{row.title} ({row.held_on.isoformat()})"
        self.session = _groups(labels)
        self._respondents: dict[RespondentKind, _Respondents] = {}
        self._definitions: dict[int, InstrumentDefinition] = {}

    def respondents(self, kind: RespondentKind) -> _Respondents:
        if kind not in self._respondents:
            rows = queries.respondents(kind)
            ids, codes, sexes, birth_years, territories = (list(column) for column in zip(*rows)) if rows else ([],) * 5
            size = max(ids, default=0) + 1
            position = np.array(ids, dtype=np.intp)
            code_array = np.full(size, "", dtype=np.array(codes, dtype=str).dtype)
            code_array[position] = codes
            birth_year = np.zeros(size, dtype=np.int64)
            birth_year[position] = [year or 0 for year in birth_years]
            self._respondents[kind] = _Respondents(
                codes=code_array, sex=_scattered(position, sexes, size),
                territory=_scattered(position, territories, size), birth_year=birth_year,
            )
        return self._respondents[kind]

    def definition(self, version_id: int) -> InstrumentDefinition:
        if version_id not in self._definitions:
            self._definitions.update(
                (version_id, version.definition) for version_id, version in queries.versions_by_id({version_id}).items()
            )
        return self._definitions[version_id]


def load_indicator(definition: IndicatorDefinition, tables: ReportTables) -> LoadedIndicator:
    spec = definition.to_spec()
    rows, duplicates = _first_per_wave(spec, tables, queries.score_columns(
        definition.respondent_kind, sorted({spec.pre_instrument, spec.post_instrument}), spec.scale_id,
        [definition.pre_wave, definition.post_wave],
    ))
    people = tables.respondents(definition.respondent_kind)
    knowledge, questions = (
        _knowledge(spec, definition.respondent_kind, rows, tables, people) if spec.statistic in KNOWLEDGE_STATISTICS
        else (None, ())
    )
    data = IndicatorData(
        pre=_wave_scores(rows.select(~rows.is_post), tables, people),
        post=_wave_scores(rows.select(rows.is_post), tables, people),
        item_points=_item_matrices(spec, definition.respondent_kind, rows, tables),
        knowledge=knowledge,
    )
    return LoadedIndicator(data, questions, duplicates)


def _first_per_wave(spec: IndicatorSpec, tables: ReportTables, scores: np.ndarray) -> tuple[_Rows, int]:
    """The rows of the pre instrument at the pre wave and of the post instrument at the post wave, one per
    respondent and wave (the oldest: rows come oldest first), and how many later ones were dropped."""
    submission, respondent, session, version = (scores[:, column].astype(np.int64) for column in range(4))
    value = scores[:, 4].copy()
    versions, version_index = np.unique(version, return_inverse=True)
    instrument = np.array([tables.instrument_codes[version_id] for version_id in versions.tolist()] + [None],
                          dtype=object)[version_index]
    wave = tables.session_wave[session]
    is_pre = (wave == spec.pre_wave) & (instrument == spec.pre_instrument)
    is_post = (wave == spec.post_wave) & (instrument == spec.post_instrument)
    belongs = np.flatnonzero(is_pre | is_post)
    _, first = np.unique(respondent[belongs] * 2 + is_post[belongs], return_index=True)
    kept = belongs[np.sort(first)]
    rows = _Rows(submission, respondent, session, version, value, is_post).select(kept)
    return rows, len(belongs) - len(kept)


def _wave_scores(rows: _Rows, tables: ReportTables, people: _Respondents) -> WaveScores:
    survey_year = tables.session_year[rows.session]
    birth_and_survey_years, age_index = np.unique(people.birth_year[rows.respondent] * 10_000 + survey_year,
                                                  return_inverse=True)
    return WaveScores(
        codes=people.codes[rows.respondent], values=rows.value,
        groups={
            "sex": people.sex.take(rows.respondent),
            "age_group": Groups(tuple(age_group(years // 10_000 or None, years % 10_000)
                                      for years in birth_and_survey_years.tolist()), age_index.ravel()),
            "territory": people.territory.take(rows.respondent),
            "session": tables.session.take(rows.session),
        },
    )


def _item_matrices(spec: IndicatorSpec, kind: RespondentKind, rows: _Rows, tables: ReportTables
                   ) -> dict[str, np.ndarray]:
    """wave -> scored item points, from the rows of the wave's most used version (one set of items)."""
    matrices = {}
    for wave, selection in ((spec.pre_wave, ~rows.is_post), (spec.post_wave, rows.is_post)):
        wave_rows = rows.select(selection)
        if not len(wave_rows.version):
            continue
        version_id = _most_used(wave_rows.version)
        definition = tables.definition(version_id)
        matrices[wave] = _points(definition, definition.scale(spec.scale_id), kind,
                                 wave_rows.select(wave_rows.version == version_id))
    return matrices


def _most_used(versions: np.ndarray) -> int:
    """The most frequent version; of equally frequent ones, the first to appear (as Counter.most_common)."""
    values, first, counts = np.unique(versions, return_index=True, return_counts=True)
    best = np.flatnonzero(counts == counts.max())
    return int(values[best[np.argmin(first[best])]])


def _points(definition: InstrumentDefinition, scale: Scale, kind: RespondentKind, rows: _Rows) -> np.ndarray:
    """Rows x the scale's items: each item's scored points (NaN where missing), in the order of `rows`."""
    answered = queries.item_answers(int(rows.version[0]), np.unique(rows.session).tolist(), kind, scale.items)
    answers = answered[np.searchsorted(answered[:, 0].astype(np.int64), rows.submission), 1:]
    try:
        return item_points_many(definition, scale, answers)
    except UnsupportedScale:
        return np.array([item_points(definition, scale, _answer_dict(scale, row)) for row in answers.tolist()],
                        dtype=float).reshape(len(answers), len(scale.items))


def _answer_dict(scale: Scale, row: list[float]) -> dict[str, float]:
    return {item_id: value for item_id, value in zip(scale.items, row) if value == value}


def _knowledge(spec: IndicatorSpec, kind: RespondentKind, rows: _Rows, tables: ReportTables,
               people: _Respondents) -> tuple[KnowledgeAnswers | None, tuple[Question, ...]]:
    """Right/wrong per question, the pre and post forms' items paired by their position in the scale."""
    pre_rows, post_rows = rows.select(~rows.is_post), rows.select(rows.is_post)
    if not len(pre_rows.version) or not len(post_rows.version):
        return None, ()
    questions = paired_questions(tables.definition(int(pre_rows.version[0])),
                                 tables.definition(int(post_rows.version[0])), spec.scale_id)
    answers = KnowledgeAnswers(
        pre_codes=people.codes[pre_rows.respondent],
        pre_correct=_correct(spec, kind, pre_rows, tables, questions, PRE_FORM),
        post_codes=people.codes[post_rows.respondent],
        post_correct=_correct(spec, kind, post_rows, tables, questions, POST_FORM),
        question_ids=tuple(question.question_id for question in questions),
    )
    return answers, questions


def _correct(spec: IndicatorSpec, kind: RespondentKind, rows: _Rows, tables: ReportTables,
             questions: Sequence[Question], form: str) -> np.ndarray:
    """Rows x questions: whether the answer given on this form is right (1 point), each row scored on its version."""
    correct = np.zeros((len(rows.version), len(questions)), dtype=bool)
    for version_id in np.unique(rows.version).tolist():
        selection = rows.version == version_id
        definition = tables.definition(version_id)
        scale = definition.scale(spec.scale_id)
        points = _points(definition, scale, kind, rows.select(selection))
        for column, question in enumerate(questions):
            if question.item_on(form) in scale.items:
                correct[selection, column] = points[:, scale.items.index(question.item_on(form))] == 1
    return correct


def _groups(labels: Sequence[str | None]) -> Groups:
    distinct = tuple(dict.fromkeys(labels))
    position = {label: index for index, label in enumerate(distinct)}
    return Groups(distinct, np.fromiter((position[label] for label in labels), dtype=np.intp, count=len(labels)))


def _scattered(position: np.ndarray, labels: Sequence[str | None], size: int) -> Groups:
    """Groups indexed by id: `labels[i]` at id `position[i]`, unknown (None) at ids not given."""
    groups = _groups([None, *labels])
    index = np.zeros(size, dtype=np.intp)
    index[position] = groups.index[1:]
    return Groups(groups.labels, index)
