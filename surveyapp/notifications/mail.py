"""Handing one e-mail to an SMTP server with the standard library. No Flask, no database."""

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

MailError = (smtplib.SMTPException, OSError)
"""What a failed delivery raises: refused addresses and protocol errors, or the server not being reachable."""


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    sender: str
    use_tls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "MailSettings":
        return cls(
            server=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            sender=config["MAIL_SENDER"],
            use_tls=config["MAIL_USE_TLS"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            timeout=config["MAIL_TIMEOUT"],
        )


def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send or raise one of ``MailError``."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "surveyapp.local")
    message.set_content(body)
    with smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)
