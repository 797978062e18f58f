from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload

from surveyapp.alerts.models import Alert, AlertLevel, AlertState, inbox_ranks
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
ALERTS_PER_PAGE = 50


@dataclass(frozen=True)
class InboxPage:
    """One numbered page of the inbox; whether an older page exists is known without counting every alert."""

    items: list[Alert]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def inbox(page: int, states: tuple[AlertState, ...], escalated_only: bool, territory_id: int | None) -> InboxPage:
    """New alerts first, the most severe first, then the newest; of one territory when `territory_id` is given.
    The stored rank holds the first two keys, so the page is read from index ix_alert_inbox in its order: the
    first page costs the same with any number of alerts, a later one the rows it skips."""
    page = max(page, 1)
    query = (
        select(Alert)
        .where(Alert.state.in_(states), Alert.inbox_rank.between(*inbox_ranks(states)))
        .options(
            defer(Alert.triggers),
            selectinload(Alert.submission).selectinload(Submission.session),
            selectinload(Alert.territory),
        )
        .order_by(Alert.inbox_rank, Alert.created_at.desc(), Alert.id.desc())
        .offset((page - 1) * ALERTS_PER_PAGE)
        .limit(ALERTS_PER_PAGE + 1)
    )
    if escalated_only:
        query = query.where(Alert.escalation_level > 0)
    if territory_id is not None:
        query = query.where(Alert.territory_id == territory_id)
    alerts = list(db.session.scalars(query))
    return InboxPage(alerts[:ALERTS_PER_PAGE], page, has_next=len(alerts) > ALERTS_PER_PAGE)


def with_undelivered_mail(alert_ids: list[int]) -> set[int]:
    """Which of these alerts have an e-mail that failed and is waiting to be tried again."""
    return set(
        db.session.scalars(
            select(OutboxMessage.alert_id)
            .distinct()
            .where(OutboxMessage.alert_id.in_(alert_ids), OutboxMessage.state == OutboxState.RETRYING)
        )
    )


def mail_of(alert_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).filter_by(alert_id=alert_id).order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def open_acute_count(session_id: int) -> int:
    """Children at this session with an acute alert that is not closed yet."""
    return db.session.execute(
        select(func.count(Submission.respondent_id.distinct()))
        .select_from(Alert)
        .join(Submission, Alert.submission_id == Submission.id)
        .where(Submission.session_id == session_id, Alert.level == AlertLevel.ACUTE, Alert.state != AlertState.CLOSED)
    ).scalar_one()
