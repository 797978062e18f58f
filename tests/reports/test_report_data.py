"""Which stored scores the indicator report counts (surveyapp/reports/indicator_data.py), on the demo programme:
one score per respondent and wave, the first one received; the pre form at the pre wave and the post form at the
post wave only; Cronbach's alpha from the answers as the engine scores them item by item."""

import uuid
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports import cache
from surveyapp.reports.report import build_report
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.engine import item_points
from surveyapp.scoring.reliability import cronbach_alpha
from surveyapp.sessions.models import SurveySession, Wave


def result(code: str):
    return next(entry for entry in build_report(suppress_small=False).entries if entry.code == code).result


def submissions_of(instrument: str, wave: Wave) -> list[Submission]:
    return list(
        db.session.scalars(
            select(Submission)
            .join(SurveySession)
            .join(InstrumentVersion)
            .join(Instrument)
            .where(Instrument.code == instrument, SurveySession.wave == wave)
            .order_by(Submission.received_at, Submission.id)
        )
    )


def resubmit(
    source: Submission,
    *,
    version_id: int | None = None,
    session_id: int | None = None,
    respondent_id: int | None = None,
    shift: float = 0,
) -> None:
    """A later submission copied from `source`, every score moved by `shift`."""
    db.session.add(
        Submission(
            client_uuid=uuid.uuid4(),
            session_id=session_id or source.session_id,
            respondent_id=respondent_id or source.respondent_id,
            instrument_version_id=version_id or source.instrument_version_id,
            language=source.language,
            answers=source.answers,
            received_at=utc_now() + timedelta(days=1),
            scores=[
                Score(
                    scale=s.scale,
                    value=None if s.value is None else s.value + shift,
                    band=s.band,
                    n_answered=s.n_answered,
                    n_items=s.n_items,
                )
                for s in source.scores
            ],
        )
    )
    db.session.commit()


def test_a_second_answer_at_the_same_wave_is_left_out_and_the_first_counts(programme):
    before = result("children_self_esteem")
    baseline = submissions_of("rses", Wave.BASELINE)
    other_session = next(s.session_id for s in baseline if s.session_id != baseline[0].session_id)
    resubmit(baseline[0], session_id=other_session, shift=5)  # once per session: at another baseline session
    after = result("children_self_esteem")
    assert after.reach == before.reach
    assert after.descriptives_pre == before.descriptives_pre
    assert after.t_test == before.t_test
    entry = next(e for e in build_report(suppress_small=False).entries if e.code == "children_self_esteem")
    assert entry.duplicates_dropped == 1


def test_the_post_form_answered_at_the_pre_wave_is_not_counted(programme, make_respondent):
    before = result("staff_knowledge")
    newcomer = make_respondent(kind=RespondentKind.STAFF)
    baseline_session = submissions_of("staff_knowledge_pre", Wave.BASELINE)[0].session_id
    resubmit(
        submissions_of("staff_knowledge_post", Wave.POST)[0], session_id=baseline_session, respondent_id=newcomer.id
    )
    after = result("staff_knowledge")
    assert (after.reach.n_pre, after.reach.n_post) == (before.reach.n_pre, before.reach.n_post)


def test_alpha_is_cronbachs_on_the_engines_item_points_of_the_first_answers(programme):
    submissions = submissions_of("rses", Wave.BASELINE)
    definition = submissions[0].instrument_version.definition
    scale = definition.scale("total")
    first = {}
    for submission in submissions:
        if any(s.scale == "total" and s.value is not None for s in submission.scores):
            first.setdefault(submission.respondent_id, submission)
    expected = cronbach_alpha(
        np.array([item_points(definition, scale, s.answers) for s in first.values()], dtype=float)
    )
    alpha = result("children_self_esteem").alpha_pre
    assert alpha.alpha == pytest.approx(expected.alpha, rel=1e-12)
    assert (alpha.n_respondents_used, alpha.n_respondents_dropped) == (
        expected.n_respondents_used,
        expected.n_respondents_dropped,
    )


def test_a_withdrawn_child_leaves_the_report_at_once_and_the_cached_page_too(programme, client, login):
    login(Role.COORDINATOR)
    before = result("children_self_esteem")
    post_children = {s.respondent_id for s in submissions_of("rses", Wave.POST)}
    child = next(s.respondent_id for s in submissions_of("rses", Wave.BASELINE) if s.respondent_id in post_children)
    assert client.get("/reports/").status_code == 200  # the report is now cached
    assert client.post(f"/respondents/{child}/withdraw", data={"reason": ""}).status_code == 302
    after = result("children_self_esteem")
    assert (after.reach.n_pre, after.reach.n_post, after.reach.n_matched) == (
        before.reach.n_pre - 1,
        before.reach.n_post - 1,
        before.reach.n_matched - 1,
    )
    cached, _charts = cache.report_with_charts(suppress_small=False)  # what the next page view shows
    shown = next(entry.result for entry in cached.entries if entry.code == "children_self_esteem")
    assert shown.reach == after.reach
