"""Reading submissions: a respondent's at a session, a session's (paged, counted, per tablet) and the reliability
of its scales. The session pages show them; they live here, with the table they read."""

import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import joinedload, selectinload

from surveyapp.extensions import db
from surveyapp.pagination import KeysetPage, keyset_page
from surveyapp.respondents.models import Respondent
from surveyapp.responses.models import Submission
from surveyapp.scoring.scale_reliability import reliability_by_scale
from surveyapp.sessions.models import KioskDevice, SurveySession


def answered_version_ids(join_code: str, respondent_code: str) -> set[int]:
    """The instrument versions this respondent has already answered at this session."""
    return set(
        db.session.scalars(
            select(Submission.instrument_version_id)
            .join(SurveySession, Submission.session_id == SurveySession.id)
            .join(Respondent, Submission.respondent_id == Respondent.id)
            .where(SurveySession.join_code == join_code, Respondent.code == respondent_code)
        )
    )


SUBMISSIONS_PER_PAGE = 50


def submissions_page(
    session_id: int,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
    per_page: int = SUBMISSIONS_PER_PAGE,
) -> KeysetPage:
    """The session's submissions, keyset-paged on (received_at, id) newest first; each with its scores,
    respondent and version in three statements."""
    query = (
        select(Submission)
        .filter_by(session_id=session_id)
        .options(
            selectinload(Submission.scores),
            joinedload(Submission.respondent),
            selectinload(Submission.instrument_version),
        )
    )
    return keyset_page(
        query, Submission, Submission.received_at, older_than=older_than, newer_than=newer_than, per_page=per_page
    )


def submission_count(session_id: int) -> int:
    return db.session.execute(select(func.count(Submission.id)).filter_by(session_id=session_id)).scalar_one()


def submitted_count(session_id: int) -> int:
    """Respondents with at least one questionnaire stored at this session."""
    return db.session.execute(
        select(func.count(distinct(Submission.respondent_id))).filter_by(session_id=session_id)
    ).scalar_one()


RELIABILITY_CACHE_SIZE = 16
"""Sessions whose reliability each process keeps (one entry per session and data stamp)."""
RELIABILITY_CACHE_KEY = "session_reliability_cache"
_reliability_lock = threading.Lock()


def reliability_at(session) -> dict[int, list]:
    """Per instrument version id given at the session: the reliability of each of its multi-item scales, over
    every answer set stored at the session. Kept per process under the session's data stamp (its submissions are
    only ever added, so their count and highest id change with any new one): recomputed only after a new
    submission, as the report cache does (reports/cache.py)."""
    stamp = tuple(
        db.session.execute(
            select(func.count(Submission.id), func.max(Submission.id)).filter_by(session_id=session.id)
        ).one()
    )
    cache = current_app.extensions.setdefault(RELIABILITY_CACHE_KEY, OrderedDict())
    key = (session.id, stamp)
    with _reliability_lock:
        found = cache.get(key)
    if found is None:
        found = _reliability(session)
    with _reliability_lock:
        cache[key] = found
        cache.move_to_end(key)
        while len(cache) > RELIABILITY_CACHE_SIZE:
            cache.popitem(last=False)
    return found


def _reliability(session) -> dict[int, list]:
    """One statement that reads only the answers."""
    answer_sets: dict[int, list[dict]] = {version.id: [] for version in session.instrument_versions}
    rows = db.session.execute(
        select(Submission.instrument_version_id, Submission.answers).filter_by(session_id=session.id)
    )
    for version_id, answers in rows:
        answer_sets.setdefault(version_id, []).append(answers)
    return {
        version.id: reliability_by_scale(version.definition, answer_sets[version.id])
        for version in session.instrument_versions
    }


def devices_of(session_id: int) -> list[tuple[KioskDevice, int]]:
    """Each tablet set up for the session with the number of its submissions the server has stored."""
    stored = func.count(Submission.id)
    rows = db.session.execute(
        select(KioskDevice, stored)
        .outerjoin(Submission, Submission.device_id == KioskDevice.id)
        .where(KioskDevice.session_id == session_id)
        .group_by(KioskDevice.id)
        .order_by(KioskDevice.set_up_at)
    )
    return [(device, count) for device, count in rows]
