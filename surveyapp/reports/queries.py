"""Read helpers for the indicator report, built on select()."""

import functools
from collections.abc import Sequence

import numpy as np
from sqlalchemy import ColumnElement, LargeBinary, Row, Select, case, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by

from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession


def indicator_definitions() -> list[IndicatorDefinition]:
    return list(
        db.session.scalars(select(IndicatorDefinition).order_by(IndicatorDefinition.position, IndicatorDefinition.id))
    )


def submission_columns(version_ids: Sequence[int], session_ids: Sequence[int], item_ids: Sequence[str]) -> np.ndarray:
    """Rows x (submission id, respondent id, session id, version id, then the answer to each item, NaN if
    unanswered) of every submission on these versions at these sessions, oldest first (so the first of two
    submissions counts). One pass over one table: the answers are read out of the JSON in the same pass, and
    scores and respondents are joined by id in NumPy (`scale_values`, `respondents`), not by the database."""
    return number_matrix(
        select(
            *(
                _number(column)
                for column in (
                    Submission.id,
                    Submission.respondent_id,
                    Submission.session_id,
                    Submission.instrument_version_id,
                )
            ),
            *(_number(Submission.answers[item_id].as_float()) for item_id in item_ids),
        ).where(Submission.instrument_version_id.in_(list(version_ids)), Submission.session_id.in_(list(session_ids))),
        order_by=(Submission.received_at, Submission.id),
    )


def scale_values(scale: str) -> np.ndarray:
    """Rows x (submission id, value) of every stored (not empty) score of this scale, by submission id: one range
    of the index on (scale, submission id, value)."""
    return number_matrix(
        select(_number(Score.submission_id), _number(Score.value)).where(
            Score.scale == scale, Score.value.is_not(None)
        ),
        order_by=(Score.submission_id,),
    )


def number_matrix(statement: Select, order_by: Sequence) -> np.ndarray:
    """The rows of a select of numbers (see `_number`) in this order, as a float64 matrix, NaN for NULL.

    On PostgreSQL the database packs the whole result into one bytea (each row's numbers as big-endian float8,
    `float8send`, aggregated in order by `string_agg`), which NumPy reads at once: no Python object per row or
    per protocol message (a million rows of five numbers: ~0.3 s of transfer and decoding, against ~2 s as rows or
    COPY messages). Ids are exact in float64 up to 2**53; a bytea holds up to 1 GB (25 million rows of five).
    Each row is packed in a subquery that `OFFSET 0` keeps from being merged into the aggregate: PostgreSQL may
    then pack the rows (reading answers out of the JSON, the costly part) in parallel workers, and only the ordered
    aggregate runs in one process."""
    width = len(statement.selected_columns)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return np.array(connection.execute(statement.order_by(*order_by)).all(), dtype=float).reshape(-1, width)
    row_bytes: list[ColumnElement] = [func.float8send(column) for column in statement.selected_columns]
    packed = functools.reduce(lambda left, right: left.op("||", return_type=LargeBinary)(right), row_bytes)
    rows = (
        statement.with_only_columns(
            packed.label("packed"),
            *(column.label(f"order_{index}") for index, column in enumerate(order_by)),
            maintain_column_froms=True,
        )
        .offset(0)
        .subquery()
    )
    aggregate = func.string_agg(
        rows.c.packed,
        aggregate_order_by(literal_column("''::bytea"), *(rows.c[f"order_{index}"] for index in range(len(order_by)))),
        type_=LargeBinary,
    )
    data = connection.execute(select(aggregate)).scalar()
    return np.frombuffer(data or b"", dtype=">f8").astype(float).reshape(-1, width)


def _number(column) -> ColumnElement:
    """A column as float8 never NULL (NaN instead) on PostgreSQL, for `number_matrix`; unchanged elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return column
    return func.coalesce(cast(column, postgresql.DOUBLE_PRECISION), literal_column("'NaN'::float8"))


def respondent_numbers(kind: RespondentKind) -> np.ndarray:
    """Rows x (id, birth year, territory id, position of the sex in `Sex`, 1 if withdrawn else 0) of every
    respondent of this kind, by id; NaN where unknown. There are as many as a fifth of the submissions."""
    return number_matrix(
        select(
            *(
                _number(column)
                for column in (
                    Respondent.id,
                    Respondent.birth_year,
                    Respondent.territory_id,
                    case({sex: position for position, sex in enumerate(Sex)}, value=Respondent.sex),
                    case((Respondent.withdrawn_at.is_(None), 0), else_=1),
                )
            )
        ).where(Respondent.kind == kind),
        order_by=(Respondent.id,),
    )


def respondent_codes(kind: RespondentKind) -> list[str]:
    """The code of every respondent of this kind, by id. On PostgreSQL joined into one text by the database
    (codes never hold a space: see respondents.codes), not read as a row each."""
    statement = select(Respondent.code).where(Respondent.kind == kind)
    if db.session.get_bind().dialect.name != "postgresql":
        return list(db.session.scalars(statement.order_by(Respondent.id)))
    joined = db.session.scalar(
        statement.with_only_columns(
            func.string_agg(Respondent.code, aggregate_order_by(literal_column("' '"), Respondent.id))
        )
    )
    return joined.split(" ") if joined else []


def territory_names() -> dict[int, str]:
    return {territory_id: name for territory_id, name in db.session.execute(select(Territory.id, Territory.name))}


def sessions() -> Sequence[Row]:
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
