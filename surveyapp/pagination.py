"""Keyset pagination: a page of rows newest first, opened from the row before or after it, so that a page far
down a long list costs what the first one does (no OFFSET, no count of every row)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from surveyapp.extensions import db


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows, newest first, with the ids that open the pages on either side."""

    items: list
    newer_than: int | None
    """Open the newer page with ``?newer_than=<this id>``; None on the newest page."""
    older_than: int | None
    """Open the older page with ``?older_than=<this id>``; None on the oldest page."""


def keyset_page(
    query: Select,
    model: Any,
    moment: InstrumentedAttribute[datetime],
    *,
    older_than: int | None,
    newer_than: int | None,
    per_page: int,
) -> KeysetPage:
    """The rows of ``query`` (selecting ``model``) after (older) or before (newer) the row of the given id, in the
    order of (``moment``, id) descending; ``query`` may filter but not order. An index on (moment, id) or on
    (the query's filter, moment, id) serves every page."""
    position = tuple_(moment, model.id)
    query = query.limit(per_page + 1)
    if newer_than is not None:
        rows = list(
            db.session.scalars(
                query.where(position > _position_of(query, model, moment, newer_than)).order_by(moment, model.id)
            )
        )
        more = len(rows) > per_page
        items = rows[:per_page][::-1]
        return KeysetPage(items, items[0].id if items and more else None, items[-1].id if items else None)
    if older_than is not None:
        query = query.where(position < _position_of(query, model, moment, older_than))
    rows = list(db.session.scalars(query.order_by(moment.desc(), model.id.desc())))
    items = rows[:per_page]
    return KeysetPage(
        items, items[0].id if items and older_than is not None else None, items[-1].id if len(rows) > per_page else None
    )


def _position_of(query: Select, model: Any, moment: InstrumentedAttribute[datetime], row_id: int) -> ColumnElement:
    """(moment, id) of the row, if ``query`` would list it, as a row value; NULL (no rows match) for any other."""
    where = query.whereclause
    found = select(moment).where(model.id == row_id)
    return tuple_((found.where(where) if where is not None else found).scalar_subquery(), row_id)
