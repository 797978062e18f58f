"""Read helpers for the indicator report, built on select()."""
from collections.abc import Sequence

from sqlalchemy import Row, select

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


def score_rows(kind: RespondentKind, instruments: Sequence[str], scale: str, waves: Sequence[Wave]) -> list[Row]:
    """Every stored (not empty) score of `scale` on these instruments and waves, with what the report needs to
    know of the respondent and session, oldest submission first (so the first of two submissions counts)."""
    return list(db.session.execute(
        select(
            Submission.id.label("submission_id"), Submission.instrument_version_id.label("version_id"),
            Submission.answers, Score.value, Instrument.code.label("instrument"), SurveySession.wave,
            SurveySession.title.label("session_title"), SurveySession.held_on, Respondent.code.label("code"),
            Respondent.sex, Respondent.birth_year, Territory.name.label("territory"),
        )
        .select_from(Score)
        .join(Submission, Score.submission_id == Submission.id)
        .join(SurveySession, Submission.session_id == SurveySession.id)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .outerjoin(Territory, Respondent.territory_id == Territory.id)
        .join(InstrumentVersion, Submission.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(
            Score.scale == scale, Score.value.is_not(None), Instrument.code.in_(list(instruments)),
            SurveySession.wave.in_(list(waves)), Respondent.kind == kind,
        )
        .order_by(Submission.received_at, Submission.id)
    ))


def versions_by_id(ids: set[int]) -> dict[int, InstrumentVersion]:
    return {v.id: v for v in db.session.scalars(select(InstrumentVersion).where(InstrumentVersion.id.in_(ids)))}
