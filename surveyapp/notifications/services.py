"""The durable outbox: e-mails are rows written in the caller's transaction, and the worker sends them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.notifications.mail import MailError, MailSettings, send_mail
from surveyapp.notifications.models import OutboxMessage, OutboxState

BATCH_SIZE = 100
CLAIM_LEASE = timedelta(minutes=2)
"""Longer than a delivery can take: smtplib waits at most MAIL_TIMEOUT (10 s by default) for each SMTP step."""


@dataclass(frozen=True)
class ClaimedMail:
    """What sending needs, copied from the claimed row so that sending reads nothing from the database."""

    message_id: int
    to: str
    subject: str
    body: str


def queue_mail(to: str, subject: str, body: str, now: datetime, alert_id: int | None = None) -> OutboxMessage:
    message = OutboxMessage(to=to, subject=subject, body=body, alert_id=alert_id, created_at=now, next_attempt_at=now)
    db.session.add(message)
    db.session.flush()
    return message


def due_message_ids(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.state != OutboxState.SENT, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(BATCH_SIZE)
        )
    )


def claim(message_id: int, now: datetime) -> ClaimedMail | None:
    """Take the message for this worker if it is still due and no other worker has it: it is not due again until
    ``CLAIM_LEASE`` has passed. The caller commits before sending, so that no transaction (and on SQLite no write
    lock) is held while the SMTP server answers; a worker that dies while sending leaves the message to be sent
    again when the lease ends (at least once, never lost)."""
    message = db.session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.state != OutboxState.SENT,
            OutboxMessage.next_attempt_at <= now,
        )
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if message is None:
        return None
    message.next_attempt_at = now + CLAIM_LEASE
    db.session.flush()
    return ClaimedMail(message.id, message.to, message.subject, message.body)


def deliver(mail: ClaimedMail, settings: MailSettings) -> str | None:
    """Hand the mail to the SMTP server, without the database; the error if it could not be sent, else None."""
    try:
        send_mail(settings, mail.to, mail.subject, mail.body)
    except MailError as error:
        return f"{type(error).__name__}: {error}"
    return None


def record_attempt(message_id: int, error: str | None, now: datetime) -> OutboxMessage:
    """Sent, or failed and to be tried again after ``retry_delay``."""
    message = db.session.get_one(OutboxMessage, message_id)
    if error is None:
        message.mark_sent(now)
    else:
        message.mark_failed(error, now)
    db.session.flush()
    return message
