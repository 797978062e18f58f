"""The durable outbox: e-mails are rows written in the caller's transaction, and the worker sends them."""
from datetime import datetime

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.notifications.mail import MailError, MailSettings, send_mail
from surveyapp.notifications.models import OutboxMessage, OutboxState

BATCH_SIZE = 100


def queue_mail(to: str, subject: str, body: str, now: datetime, alert_id: int | None = None) -> OutboxMessage:
    message = OutboxMessage(to=to, subject=subject, body=body, alert_id=alert_id, created_at=now,
                            next_attempt_at=now)
    db.session.add(message)
    db.session.flush()
    return message


def due_message_ids(now: datetime) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state != OutboxState.SENT, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(BATCH_SIZE)
    ))


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """The message, locked for this worker until its commit, if it is still due and no other worker has it."""
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state != OutboxState.SENT,
               OutboxMessage.next_attempt_at <= now)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def deliver(message: OutboxMessage, settings: MailSettings, now: datetime) -> bool:
    """Try to send; a failure is recorded on the message for a later attempt. Returns whether it was sent."""
    try:
        send_mail(settings, message.to, message.subject, message.body)
    except MailError as error:
        message.mark_failed(f"{type(error).__name__}: {error}", now)
        delivered = False
    else:
        message.mark_sent(now)
        delivered = True
    db.session.flush()
    return delivered
