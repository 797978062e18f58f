"""The de-identified long-form data, read from the database in batches: one row per score that an indicator
uses, the respondent under a pseudonym drawn for this export only.

The rows are those the indicator report counts: for each indicator, the pre instrument's scores at the pre wave
and the post instrument's at the post wave, of its respondents' kind, the oldest submission per respondent and
wave; a score used by two indicators is listed once, under the first. The database picks them (a window
function per indicator, grouped by score), so no Python structure grows with the number of submissions; only
the pseudonyms (one per respondent, drawn as for the report: random, see `report._pseudonyms`) are held.
"""

from collections.abc import Iterator

from sqlalchemy import Connection, Select, and_, func, literal, or_, select, union_all

from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.queries import indicator_definitions
from surveyapp.reports.report import _pseudonyms
from surveyapp.respondents.models import Respondent, RespondentKind, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.disaggregation import age_group
from surveyapp.sessions.models import SurveySession

COLUMNS = ("pseudonym", "kind", "sex", "age_group", "territory", "session", "wave", "instrument", "scale", "value")
BATCH_ROWS = 2000


def count_data_rows(connection: Connection) -> int:
    kept = _kept_scores(indicator_definitions())
    if kept is None:
        return 0
    return connection.execute(select(func.count()).select_from(kept)).scalar_one()


def data_rows(connection: Connection) -> Iterator[tuple]:
    """The rows in COLUMNS' order, indicator by indicator, oldest submission first; read BATCH_ROWS at a time
    (a server-side cursor on PostgreSQL)."""
    kept = _kept_scores(indicator_definitions())
    if kept is None:
        return
    pseudonym = _pseudonyms()
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(_detailed(kept))
    for row in result:
        yield (
            pseudonym(row.code),
            row.kind.value,
            None if row.sex is None else row.sex.value,
            age_group(row.birth_year, row.held_on.year) if row.kind == RespondentKind.CHILD else None,
            row.territory,
            f"{row.session_title} ({row.held_on.isoformat()})",
            row.wave.value,
            row.instrument,
            row.scale,
            row.value,
        )


def _kept_scores(definitions: list[IndicatorDefinition]):
    """(score_id, position): every score some indicator counts, with the position of the first such indicator."""
    if not definitions:
        return None
    each = union_all(
        *(_indicator_scores(definition, position) for position, definition in enumerate(definitions))
    ).subquery("each_indicator")
    return (
        select(each.c.score_id, func.min(each.c.position).label("position")).group_by(each.c.score_id).subquery("kept")
    )


def _indicator_scores(definition: IndicatorDefinition, position: int) -> Select:
    first = func.row_number().over(
        partition_by=(Submission.respondent_id, SurveySession.wave),
        order_by=(Submission.received_at, Submission.id),
    )
    ranked = (
        select(Score.id.label("score_id"), first.label("rank"))
        .join(Submission, Score.submission_id == Submission.id)
        .join(SurveySession, Submission.session_id == SurveySession.id)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .join(InstrumentVersion, Submission.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(
            Score.scale == definition.scale,
            Score.value.is_not(None),
            Respondent.kind == definition.respondent_kind,
            Respondent.withdrawn_at.is_(None),
            or_(
                and_(SurveySession.wave == definition.pre_wave, Instrument.code == definition.pre_instrument),
                and_(SurveySession.wave == definition.post_wave, Instrument.code == definition.post_instrument),
            ),
        )
        .subquery()
    )
    return select(ranked.c.score_id, literal(position).label("position")).where(ranked.c.rank == 1)


def _detailed(kept) -> Select:
    return (
        select(
            Respondent.code,
            Respondent.kind,
            Respondent.sex,
            Respondent.birth_year,
            Territory.name.label("territory"),
            SurveySession.title.label("session_title"),
            SurveySession.held_on,
            SurveySession.wave,
            Instrument.code.label("instrument"),
            Score.scale,
            Score.value,
        )
        .select_from(kept)
        .join(Score, Score.id == kept.c.score_id)
        .join(Submission, Score.submission_id == Submission.id)
        .join(SurveySession, Submission.session_id == SurveySession.id)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .outerjoin(Territory, Respondent.territory_id == Territory.id)
        .join(InstrumentVersion, Submission.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .order_by(kept.c.position, Submission.received_at, Submission.id)
    )
