"""The rows of an item-level export, read from the database in batches: every submission of one instrument
version by a respondent who has not withdrawn, oldest first, under a pseudonym drawn for this export only.

One query joins each submission to its scores (a row per score), read BATCH_ROWS at a time (a server-side cursor
on PostgreSQL); consecutive rows of one submission make its row of the file. Nothing here grows with the number
of submissions or of respondents (see `_pseudonyms`).
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from itertools import groupby

from sqlalchemy import Connection, Select, func, select

from surveyapp.reports.item_export import Layout, row
from surveyapp.respondents.models import Respondent, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession

BATCH_ROWS = 2000


def count_item_rows(connection: Connection, version_id: int) -> int:
    return connection.scalar(_kept(select(func.count(Submission.id)), version_id))


def item_rows(connection: Connection, layout: Layout, version_id: int) -> Iterator[tuple]:
    """The file's rows in layout's order: META (pseudonym, session, wave, territory, date, language), answers,
    scores."""
    pseudonym = _pseudonyms()
    query = (
        _kept(
            select(
                Submission.id,
                Submission.answers,
                Submission.language,
                Respondent.code,
                Territory.name.label("territory"),
                SurveySession.title,
                SurveySession.held_on,
                SurveySession.wave,
                Score.scale,
                Score.value,
            ),
            version_id,
        )
        .outerjoin(Territory, Respondent.territory_id == Territory.id)
        .outerjoin(Score, Score.submission_id == Submission.id)
        .order_by(Submission.id)
    )
    shared: dict = {}  # one object for the many rows of a session, territory, day or language (.sav, .dta)
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(query)
    for _submission_id, score_rows in groupby(result, key=lambda each: each.id):
        first, *others = score_rows
        scores = {each.scale: each.value for each in (first, *others) if each.scale is not None}
        session = f"{first.title} ({first.held_on.isoformat()})"
        meta = (
            pseudonym(first.code),
            *(
                shared.setdefault(value, value)
                for value in (session, first.wave.value, first.territory, first.held_on, first.language)
            ),
        )
        yield row(layout, meta, first.answers, scores)


def _kept(query: Select, version_id: int) -> Select:
    """Of this version, by respondents who have not withdrawn (their answers leave every export at once)."""
    return (
        query.select_from(Submission)
        .join(SurveySession, Submission.session_id == SurveySession.id)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .where(Submission.instrument_version_id == version_id, Respondent.withdrawn_at.is_(None))
    )


def _pseudonyms() -> Callable[[str], str]:
    """A pseudonym per respondent code for this export only: HMAC-SHA256 of the code under a key drawn at random
    for the export and then forgotten.

    Like report._pseudonyms' random draws, it keeps a respondent's rows together within the file and links to
    nothing outside it (without the key no code can be tried against it, and the next export has another key);
    unlike them, it remembers nothing per respondent, so memory stays the same at a million respondents. 16 hex
    digits: two of a million respondents share a pseudonym with a chance of about 3 in 100 million.
    """
    key = secrets.token_bytes(32)
    return lambda code: "P-" + hmac.new(key, code.encode(), hashlib.sha256).hexdigest()[:16].upper()
