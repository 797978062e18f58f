from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from surveyapp.audit import services as audit
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents import codes
from surveyapp.respondents.models import RespondentKind
from surveyapp.sessions.models import SurveySession, Wave, session_instrument


class QuestionnaireForOtherRespondents(Invalid):
    code = "questionnaire_for_other_respondents"

    def __init__(self, labels: list[str]):
        super().__init__(
            _l(
                "Some questionnaires are for other respondents than this session's: give a session "
                "only the questionnaires of the people who answer at it."
            ),
            labels,
        )


def new_join_code() -> str:
    """A secret code (respondents/codes.py) that no other session has."""
    for _ in range(50):
        code = codes.new_join_code()
        if db.session.scalar(select(SurveySession.id).filter_by(join_code=code)) is None:
            return code
    raise Conflict(_l("Could not find a free join code; try again."))


def plan_session(
    *,
    title: str,
    held_on,
    place: str,
    wave: Wave,
    territory_id: int | None,
    trainer_id: int | None,
    instrument_version_ids: list[int],
    respondent_kind: RespondentKind | None = None,
    activity_id: int | None = None,
    training_id: int | None = None,
    created_by=None,
) -> SurveySession:
    """A session of the given questionnaires in the given order, all for ``respondent_kind`` (by default the
    kind they are all for)."""
    versions = _versions_in_order(instrument_version_ids)
    respondent_kind = respondent_kind or RespondentKind(versions[0].instrument.respondent_kind)
    _ensure_all_for(versions, respondent_kind)
    session = SurveySession(
        title=title,
        held_on=held_on,
        place=place,
        wave=wave,
        territory_id=territory_id,
        trainer_id=trainer_id,
        respondent_kind=respondent_kind,
        activity_id=activity_id,
        training_id=training_id,
        join_code=new_join_code(),
        created_by_id=getattr(created_by, "id", None),
    )
    db.session.add(session)
    db.session.flush()
    db.session.execute(
        session_instrument.insert(),
        [
            {"session_id": session.id, "instrument_version_id": v.id, "position": position}
            for position, v in enumerate(versions)
        ],
    )
    audit.record(
        "plan_session",
        session,
        {"instrument_versions": [v.id for v in versions], "respondent_kind": respondent_kind.value},
    )
    return session


def _versions_in_order(ids: list[int]) -> list[InstrumentVersion]:
    versions = {v.id: v for v in db.session.scalars(select(InstrumentVersion).where(InstrumentVersion.id.in_(ids)))}
    if not ids or set(ids) != versions.keys():
        raise Invalid(_l("Choose published questionnaires only."))
    if len({versions[i].instrument_id for i in ids}) != len(ids):
        raise Invalid(_l("Give each questionnaire in one version only."))
    return [versions[i] for i in ids]


def _ensure_all_for(versions: list[InstrumentVersion], kind: RespondentKind) -> None:
    others = [v.label for v in versions if v.instrument.respondent_kind != kind.value]
    if others:
        raise QuestionnaireForOtherRespondents(others)


def set_open(session: SurveySession, is_open: bool) -> None:
    session.reopen() if is_open else session.close()
    audit.record("reopen_session" if is_open else "close_session", session)


def list_sessions(page: int, trainer_id: int | None = None):
    """All sessions, or only those a trainer runs."""
    query = (
        select(SurveySession)
        .options(selectinload(SurveySession.territory))
        .order_by(SurveySession.held_on.desc(), SurveySession.id.desc())
    )
    if trainer_id is not None:
        query = query.filter_by(trainer_id=trainer_id)
    return db.paginate(query, page=page, per_page=30, error_out=False)
