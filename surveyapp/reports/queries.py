"""Read helpers for the indicator report, built on select()."""
import functools
from collections.abc import Sequence

import numpy as np
from sqlalchemy import ColumnElement, LargeBinary, Row, Select, String, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by

from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import Respondent, RespondentKind, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession, Wave


def indicator_definitions() -> list[IndicatorDefinition]:
    return list(db.session.scalars(
        select(IndicatorDefinition).order_by(IndicatorDefinition.position, IndicatorDefinition.id)
    ))


def score_columns(kind: RespondentKind, instruments: Sequence[str], scale: str, waves: Sequence[Wave]) -> np.ndarray:
    """Rows x (submission id, respondent id, session id, version id, value) of every stored (not empty) score of
    `scale` on these instruments and waves, of respondents who have not withdrawn, oldest submission first (so the
    first of two submissions counts). Ids
    only: what they stand for is read once from the small tables (`sessions`, `instrument_codes`, `respondents`)."""
    return number_matrix(
        select(*(_number(column) for column in (Submission.id, Submission.respondent_id, Submission.session_id,
                                                Submission.instrument_version_id, Score.value)))
        .select_from(Score)
        .join(Submission, Score.submission_id == Submission.id)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .where(
            Score.scale == scale, Score.value.is_not(None), Respondent.kind == kind,
            Respondent.withdrawn_at.is_(None),
            Submission.session_id.in_(select(SurveySession.id).where(SurveySession.wave.in_(list(waves)))),
            Submission.instrument_version_id.in_(
                select(InstrumentVersion.id).join(Instrument).where(Instrument.code.in_(list(instruments)))),
        ),
        order_by=(Submission.received_at, Submission.id),
    )


def item_answers(version_id: int, session_ids: Sequence[int], kind: RespondentKind,
                 item_ids: Sequence[str]) -> np.ndarray:
    """Rows x (submission id, answer to each item, NaN if unanswered) of the submissions on this version at these
    sessions by respondents of this kind, in id order: each answer read out of the JSON by the database."""
    return number_matrix(
        select(_number(Submission.id), *(_number(Submission.answers[item_id].as_float()) for item_id in item_ids))
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .where(Submission.instrument_version_id == version_id, Submission.session_id.in_(list(session_ids)),
               Respondent.kind == kind, Respondent.withdrawn_at.is_(None)),
        order_by=(Submission.id,),
    )


def number_matrix(statement: Select, order_by: Sequence) -> np.ndarray:
    """The rows of a select of numbers (see `_number`) in this order, as a float64 matrix, NaN for NULL.

    On PostgreSQL the database packs the whole result into one bytea (each row's numbers as big-endian float8,
    `float8send`, aggregated in order by `string_agg`), which NumPy reads at once: no Python object per row or
    per protocol message (a million rows of five numbers: ~0.3 s of transfer and decoding, against ~2 s as rows or
    COPY messages). Ids are exact in float64 up to 2**53; a bytea holds up to 1 GB (25 million rows of five)."""
    width = len(statement.selected_columns)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return np.array(connection.execute(statement.order_by(*order_by)).all(), dtype=float).reshape(-1, width)
    packed = functools.reduce(lambda left, right: left.op("||", return_type=LargeBinary)(right),
                              (func.float8send(column) for column in statement.selected_columns))
    aggregate = func.string_agg(packed, aggregate_order_by(literal_column("''::bytea"), *order_by),
                                type_=LargeBinary)
    data = connection.execute(statement.with_only_columns(aggregate, maintain_column_froms=True)).scalar()
    return np.frombuffer(data or b"", dtype=">f8").astype(float).reshape(-1, width)


def _number(column) -> ColumnElement:
    """A column as float8 never NULL (NaN instead) on PostgreSQL, for `number_matrix`; unchanged elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return column
    return func.coalesce(cast(column, postgresql.DOUBLE_PRECISION), literal_column("'NaN'::float8"))


def respondents(kind: RespondentKind) -> list[Row]:
    """(id, code, sex, birth year, territory's name) of every respondent of this kind. Read as plain rows (no ORM
    objects, sex as its stored text): there are as many as a fifth of the submissions."""
    return db.session.connection().execute(
        select(Respondent.id, Respondent.code, cast(Respondent.sex, String), Respondent.birth_year, Territory.name)
        .outerjoin(Territory, Respondent.territory_id == Territory.id)
        .where(Respondent.kind == kind)
    ).all()


def sessions() -> list[Row]:
    """(id, wave, title, date) of every session."""
    return db.session.execute(
        select(SurveySession.id, SurveySession.wave, SurveySession.title, SurveySession.held_on)
    ).all()


def instrument_codes() -> dict[int, str]:
    """Instrument version id -> its instrument's code."""
    rows = db.session.execute(select(InstrumentVersion.id, Instrument.code).join(Instrument))
    return {version_id: code for version_id, code in rows}


def versions_by_id(ids: set[int]) -> dict[int, InstrumentVersion]:
    return {v.id: v for v in db.session.scalars(select(InstrumentVersion).where(InstrumentVersion.id.in_(ids)))}
