from sqlalchemy import case, func, select
from sqlalchemy.orm import defer, selectinload

from surveyapp.alerts.models import Alert, AlertLevel, AlertState
from surveyapp.extensions import db
from surveyapp.notifications.models import OutboxMessage, OutboxState
from surveyapp.responses.models import Submission

INBOX_FILTERS = {
    "open": (AlertState.NEW, AlertState.ACKNOWLEDGED),
    "new": (AlertState.NEW,),
    "acknowledged": (AlertState.ACKNOWLEDGED,),
    "closed": (AlertState.CLOSED,),
    "all": tuple(AlertState),
}
SEVERITY = {AlertLevel.ACUTE: 0, AlertLevel.NON_ACUTE: 1, AlertLevel.REFERRAL: 2}


def inbox(page: int, states: tuple[AlertState, ...], escalated_only: bool, territory_id: int | None):
    """New alerts first, the most severe first, then the newest; of one territory when `territory_id` is given.
    The ordering cannot use an index, so every alert of the states is sorted: without its triggers (not shown
    here), which makes the sorted rows narrow."""
    query = (
        select(Alert).where(Alert.state.in_(states))
        .options(defer(Alert.triggers), selectinload(Alert.submission).selectinload(Submission.session),
                 selectinload(Alert.territory))
        .order_by(case((Alert.state == AlertState.NEW, 0), else_=1), case(SEVERITY, value=Alert.level),
                  Alert.created_at.desc(), Alert.id.desc())
    )
    if escalated_only:
        query = query.where(Alert.escalation_level > 0)
    if territory_id is not None:
        query = query.where(Alert.territory_id == territory_id)
    return db.paginate(query, page=page, per_page=50, error_out=False)


def with_undelivered_mail(alert_ids: list[int]) -> set[int]:
    """Which of these alerts have an e-mail that failed and is waiting to be tried again."""
    return set(db.session.scalars(
        select(OutboxMessage.alert_id).distinct()
        .where(OutboxMessage.alert_id.in_(alert_ids), OutboxMessage.state == OutboxState.RETRYING)
    ))


def mail_of(alert_id: int) -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).filter_by(alert_id=alert_id).order_by(OutboxMessage.created_at, OutboxMessage.id)
    ))


def open_acute_count(session_id: int) -> int:
    """Children at this session with an acute alert that is not closed yet."""
    return db.session.scalar(
        select(func.count(Submission.respondent_id.distinct())).select_from(Alert)
        .join(Submission, Alert.submission_id == Submission.id)
        .where(Submission.session_id == session_id, Alert.level == AlertLevel.ACUTE,
               Alert.state != AlertState.CLOSED)
    )
