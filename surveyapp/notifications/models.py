import enum
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.extensions import Model

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=10)


class OutboxState(enum.StrEnum):
    QUEUED = "queued"
    RETRYING = "retrying"
    SENT = "sent"


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, then doubling (1 min, 2 min, ...), never more than 10 minutes."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


class OutboxMessage(Model):
    """An e-mail written in the transaction that caused it and sent later by the worker, until it is sent.

    A message is never given up: a failure (server down, address refused) is kept in ``last_error`` and tried
    again after ``retry_delay``, so the people who should have had it can see that it is still undelivered.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState, 10), default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"), index=True)

    @property
    def is_failing(self) -> bool:
        return self.state == OutboxState.RETRYING

    def mark_sent(self, at: datetime) -> None:
        self.attempts += 1
        self.state = OutboxState.SENT
        self.sent_at = self.last_attempt_at = at

    def mark_failed(self, error: str, at: datetime) -> None:
        self.attempts += 1
        self.state = OutboxState.RETRYING
        self.last_attempt_at = at
        self.last_error = error[:2000]
        self.next_attempt_at = at + retry_delay(self.attempts)
