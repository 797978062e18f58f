"""The worker, outside any request: escalate overdue alerts, then send the due e-mails of the outbox.

Each step commits on its own, so a crash or a restart loses at most the step in progress. An e-mail is claimed
(commit), sent with no transaction open, and its result recorded in a new short transaction: a slow SMTP server
never holds a lock that a child's submission waits for. An e-mail whose result was not recorded is sent again
when its claim runs out (at least once, never lost).
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from flask import Flask, current_app

from surveyapp.alerts import services as alerts
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.notifications import services as outbox
from surveyapp.notifications.mail import MailSettings
from surveyapp.transactions import commit_with_retry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    escalated: int = 0
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"escalated {self.escalated}, sent {self.sent}, failed {self.failed}"


def run_pass(now: datetime) -> PassResult:
    """One pass at the time ``now``, in the current app context."""
    escalated = 0
    for alert_id in alerts.overdue_alert_ids(now):
        escalated += commit_with_retry(partial(alerts.escalate_if_overdue, alert_id, now)) is not None
    settings = MailSettings.from_config(current_app.config)
    sent = failed = 0
    for message_id in outbox.due_message_ids(now):
        mail = commit_with_retry(partial(outbox.claim, message_id, now))
        if mail is None:
            continue
        error = outbox.deliver(mail, settings)
        commit_with_retry(partial(_record_attempt, mail, error, now))
        sent, failed = sent + (error is None), failed + (error is not None)
    return PassResult(escalated, sent, failed)


def _record_attempt(mail: outbox.ClaimedMail, error: str | None, now: datetime) -> None:
    message = outbox.record_attempt(mail.message_id, error, now)
    alerts.note_delivery(message, error is None, now)


def work(app: Flask, interval: float, stop: threading.Event) -> None:
    """Pass after pass until ``stop`` is set (by SIGTERM); a failing pass is logged and the next one tried."""
    while not stop.is_set():
        with app.app_context():
            try:
                result = run_pass(utc_now())
            except Exception:
                db.session.rollback()
                logger.exception("alerts worker: the pass failed; trying again in %s s", interval)
            else:
                if result != PassResult():
                    logger.info("alerts worker: %s", result)
        stop.wait(interval)
