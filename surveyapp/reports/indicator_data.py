"""From the database to the pure statistics' input (scoring.indicators.IndicatorData), column by column.

Built for a million submissions: each indicator reads its submissions in one statement over the submission table
alone - ids, and the answers to the scale's items read out of the JSON in the same pass (for the item-level
statistics: Cronbach's alpha, knowledge questions) - as NumPy arrays. Its scores (one index range per scale), and
what the ids stand for (respondents' codes, groups and withdrawals, sessions, instruments), are read once per
report and joined by array indexing and sorted search, not by the database: at 1,000,000 submissions the
database's joins and a second pass for the answers cost more than all the rest. The answers are scored by the bulk
scorer's item points (scoring.bulk.item_points_many, equal to the engine's). No Python object is made per score.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from surveyapp.definitions.model import InstrumentDefinition, Scale
from surveyapp.reports import queries
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import RespondentKind, Sex
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

SEXES = dict(enumerate(sex.value for sex in Sex))
"""A respondent's sex as numbered by queries.respondent_numbers."""


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
    is_counted: np.ndarray
    """Not withdrawn; False at ids of other kinds."""

    def counted(self, respondent: np.ndarray) -> np.ndarray:
        """Whether each of these respondent ids is of this kind and has not withdrawn."""
        inside = respondent < len(self.is_counted)
        return inside & self.is_counted[np.where(inside, respondent, 0)]


@dataclass(frozen=True, eq=False)
class _Rows:
    """An indicator's kept scores (one per respondent and wave, oldest first), column by column."""

    submission: np.ndarray
    respondent: np.ndarray
    session: np.ndarray
    version: np.ndarray
    value: np.ndarray
    is_post: np.ndarray
    answers: np.ndarray
    """Rows x the indicator's items (`_Items`), NaN where unanswered."""

    def select(self, selection: np.ndarray) -> "_Rows":
        return _Rows(
            *(
                column[selection]
                for column in (
                    self.submission,
                    self.respondent,
                    self.session,
                    self.version,
                    self.value,
                    self.is_post,
                    self.answers,
                )
            )
        )


@dataclass(frozen=True)
class _Items:
    """The items whose answers an indicator reads: each scale item of the versions it counts, in their order."""

    ids: tuple[str, ...]

    def columns(self, scale: Scale) -> list[int]:
        return [self.ids.index(item_id) for item_id in scale.items]


class ReportTables:
    """The small tables that every indicator looks its ids up in, read once per report."""

    def __init__(self) -> None:
        self.instrument_codes = queries.instrument_codes()
        sessions = queries.sessions()
        size = max((row.id for row in sessions), default=0) + 1
        self.session_wave = np.full(size, "", dtype=object)
        self.session_year = np.zeros(size, dtype=np.int64)
        labels: list[str | None] = [None] * size
        for row in sessions:
            self.session_wave[row.id] = row.wave.value
            self.session_year[row.id] = row.held_on.year
            labels[row.id] = f"{row.title} ({row.held_on.isoformat()})"
        self.session = _groups(labels)
        self._respondents: dict[RespondentKind, _Respondents] = {}
        self._scale_values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._territories: dict[int, str] | None = None
        self._definitions: dict[int, InstrumentDefinition] = {}

    def respondents(self, kind: RespondentKind) -> _Respondents:
        if kind not in self._respondents:
            numbers = queries.respondent_numbers(kind)
            position = numbers[:, 0].astype(np.intp)
            size = int(position.max(initial=0)) + 1
            codes = np.array(queries.respondent_codes(kind), dtype=str)
            code_array = np.full(size, "", dtype=codes.dtype)
            code_array[position] = codes
            birth_year = np.zeros(size, dtype=np.int64)
            birth_year[position] = np.nan_to_num(numbers[:, 1]).astype(np.int64)
            is_counted = np.zeros(size, dtype=bool)
            is_counted[position] = numbers[:, 4] == 0
            self._respondents[kind] = _Respondents(
                codes=code_array,
                sex=_by_id(position, numbers[:, 3], SEXES, size),
                territory=_by_id(position, numbers[:, 2], self._territory_names(), size),
                birth_year=birth_year,
                is_counted=is_counted,
            )
        return self._respondents[kind]

    def _territory_names(self) -> dict[int, str]:
        if self._territories is None:
            self._territories = queries.territory_names()
        return self._territories

    def scale_values(self, scale_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(submission ids in increasing order, values) of the stored scores of this scale."""
        if scale_id not in self._scale_values:
            scores = queries.scale_values(scale_id)
            self._scale_values[scale_id] = (scores[:, 0].astype(np.int64), scores[:, 1].copy())
        return self._scale_values[scale_id]

    def version_ids(self, *instruments: str) -> list[int]:
        return sorted(version_id for version_id, code in self.instrument_codes.items() if code in instruments)

    def session_ids(self, *waves: str) -> list[int]:
        return np.flatnonzero(np.isin(self.session_wave, waves)).tolist()

    def definition(self, version_id: int) -> InstrumentDefinition:
        return self.definitions([version_id])[0]

    def definitions(self, version_ids: Sequence[int]) -> list[InstrumentDefinition]:
        missing = set(version_ids) - self._definitions.keys()
        if missing:
            self._definitions.update(
                (version_id, version.definition) for version_id, version in queries.versions_by_id(missing).items()
            )
        return [self._definitions[version_id] for version_id in version_ids]


def load_indicator(definition: IndicatorDefinition, tables: ReportTables) -> LoadedIndicator:
    spec = definition.to_spec()
    people = tables.respondents(definition.respondent_kind)
    version_ids = tables.version_ids(spec.pre_instrument, spec.post_instrument)
    items = _items(spec, version_ids, tables)
    rows, duplicates = _first_per_wave(
        spec,
        tables,
        people,
        queries.submission_columns(
            version_ids,
            tables.session_ids(spec.pre_wave, spec.post_wave),
            items.ids,
        ),
    )
    knowledge, questions = (
        _knowledge(spec, rows, tables, people, items) if spec.statistic in KNOWLEDGE_STATISTICS else (None, ())
    )
    data = IndicatorData(
        pre=_wave_scores(rows.select(~rows.is_post), tables, people),
        post=_wave_scores(rows.select(rows.is_post), tables, people),
        item_points=_item_matrices(spec, rows, tables, items),
        knowledge=knowledge,
    )
    return LoadedIndicator(data, questions, duplicates)


def _items(spec: IndicatorSpec, version_ids: Sequence[int], tables: ReportTables) -> _Items:
    return _Items(
        tuple(
            dict.fromkeys(
                item_id
                for definition in tables.definitions(version_ids)
                for scale in definition.scales
                if scale.id == spec.scale_id
                for item_id in scale.items
            )
        )
    )


def _first_per_wave(
    spec: IndicatorSpec, tables: ReportTables, people: _Respondents, submissions: np.ndarray
) -> tuple[_Rows, int]:
    """The scored rows of the pre instrument at the pre wave and of the post instrument at the post wave by
    respondents counted, one per respondent and wave (the oldest: rows come oldest first), and how many later
    ones were dropped."""
    submission, respondent, session, version = (submissions[:, column].astype(np.int64) for column in range(4))
    value = _scores(tables.scale_values(spec.scale_id), submission)
    versions, version_index = np.unique(version, return_inverse=True)
    instrument = np.array(
        [tables.instrument_codes[version_id] for version_id in versions.tolist()] + [None], dtype=object
    )[version_index]
    wave = tables.session_wave[session]
    is_pre = (wave == spec.pre_wave) & (instrument == spec.pre_instrument)
    is_post = (wave == spec.post_wave) & (instrument == spec.post_instrument)
    belongs = np.flatnonzero((is_pre | is_post) & ~np.isnan(value) & people.counted(respondent))
    _, first = np.unique(respondent[belongs] * 2 + is_post[belongs], return_index=True)
    kept = belongs[np.sort(first)]
    rows = _Rows(submission, respondent, session, version, value, is_post, submissions[:, 4:]).select(kept)
    return rows, len(belongs) - len(kept)


def _scores(scale_values: tuple[np.ndarray, np.ndarray], submission: np.ndarray) -> np.ndarray:
    """The scale's stored value of each submission, NaN where it has none (or an empty one)."""
    ids, values = scale_values
    position = np.searchsorted(ids, submission)
    found = np.flatnonzero(position < len(ids))
    found = found[ids[position[found]] == submission[found]]
    value = np.full(len(submission), np.nan)
    value[found] = values[position[found]]
    return value


def _wave_scores(rows: _Rows, tables: ReportTables, people: _Respondents) -> WaveScores:
    survey_year = tables.session_year[rows.session]
    birth_and_survey_years, age_index = np.unique(
        people.birth_year[rows.respondent] * 10_000 + survey_year, return_inverse=True
    )
    return WaveScores(
        codes=people.codes[rows.respondent],
        values=rows.value,
        groups={
            "sex": people.sex.take(rows.respondent),
            "age_group": Groups(
                tuple(age_group(years // 10_000 or None, years % 10_000) for years in birth_and_survey_years.tolist()),
                age_index.ravel(),
            ),
            "territory": people.territory.take(rows.respondent),
            "session": tables.session.take(rows.session),
        },
    )


def _item_matrices(spec: IndicatorSpec, rows: _Rows, tables: ReportTables, items: _Items) -> dict[str, np.ndarray]:
    """wave -> scored item points, from the rows of the wave's most used version (one set of items)."""
    matrices = {}
    for wave, selection in ((spec.pre_wave, ~rows.is_post), (spec.post_wave, rows.is_post)):
        if not selection.any():
            continue
        version_id = _most_used(rows.version[selection])
        definition = tables.definition(version_id)
        matrices[wave] = _points(
            definition, definition.scale(spec.scale_id), items, rows.select(selection & (rows.version == version_id))
        )
    return matrices


def _most_used(versions: np.ndarray) -> int:
    """The most frequent version; of equally frequent ones, the first to appear (as Counter.most_common)."""
    values, first, counts = np.unique(versions, return_index=True, return_counts=True)
    best = np.flatnonzero(counts == counts.max())
    return int(values[best[np.argmin(first[best])]])


def _points(definition: InstrumentDefinition, scale: Scale, items: _Items, rows: _Rows) -> np.ndarray:
    """Rows x the scale's items: each item's scored points (NaN where missing), in the order of `rows`."""
    answers = rows.answers[:, items.columns(scale)]
    try:
        return item_points_many(definition, scale, answers)
    except UnsupportedScale:
        return np.array(
            [item_points(definition, scale, _answer_dict(scale, row)) for row in answers.tolist()], dtype=float
        ).reshape(len(answers), len(scale.items))


def _answer_dict(scale: Scale, row: list[float]) -> dict[str, float]:
    return {item_id: value for item_id, value in zip(scale.items, row) if value == value}


def _knowledge(
    spec: IndicatorSpec, rows: _Rows, tables: ReportTables, people: _Respondents, items: _Items
) -> tuple[KnowledgeAnswers | None, tuple[Question, ...]]:
    """Right/wrong per question, the pre and post forms' items paired by their position in the scale."""
    pre_rows, post_rows = rows.select(~rows.is_post), rows.select(rows.is_post)
    if not len(pre_rows.version) or not len(post_rows.version):
        return None, ()
    questions = paired_questions(
        tables.definition(int(pre_rows.version[0])), tables.definition(int(post_rows.version[0])), spec.scale_id
    )
    answers = KnowledgeAnswers(
        pre_codes=people.codes[pre_rows.respondent],
        pre_correct=_correct(spec, pre_rows, tables, items, questions, PRE_FORM),
        post_codes=people.codes[post_rows.respondent],
        post_correct=_correct(spec, post_rows, tables, items, questions, POST_FORM),
        question_ids=tuple(question.question_id for question in questions),
    )
    return answers, questions


def _correct(
    spec: IndicatorSpec, rows: _Rows, tables: ReportTables, items: _Items, questions: Sequence[Question], form: str
) -> np.ndarray:
    """Rows x questions: whether the answer given on this form is right (1 point), each row scored on its version."""
    correct = np.zeros((len(rows.version), len(questions)), dtype=bool)
    for version_id in np.unique(rows.version).tolist():
        selection = rows.version == version_id
        definition = tables.definition(version_id)
        scale = definition.scale(spec.scale_id)
        points = _points(definition, scale, items, rows.select(selection))
        for column, question in enumerate(questions):
            if question.item_on(form) in scale.items:
                correct[selection, column] = points[:, scale.items.index(question.item_on(form))] == 1
    return correct


def _groups(labels: Sequence[str | None]) -> Groups:
    distinct = tuple(dict.fromkeys(labels))
    position = {label: index for index, label in enumerate(distinct)}
    return Groups(distinct, np.fromiter((position[label] for label in labels), dtype=np.intp, count=len(labels)))


def _by_id(position: np.ndarray, keys: np.ndarray, labels: Mapping[int, str], size: int) -> Groups:
    """Groups indexed by id: the label of `keys[i]` at id `position[i]`; unknown (None) where the key is NaN and at
    ids not given. Every label is listed, used or not (a breakdown shows only the groups it has)."""
    unknown = len(labels)
    lookup = np.full(max(labels, default=0) + 1, unknown, dtype=np.intp)
    lookup[list(labels)] = np.arange(len(labels))
    known = ~np.isnan(keys)
    index = np.full(size, unknown, dtype=np.intp)
    index[position[known]] = lookup[keys[known].astype(np.intp)]
    return Groups((*labels.values(), None), index)
