"""Tablets set up for a session: a staff member signs in once on the tablet, chooses the session and leaves;
the tablet keeps a device token that lets its kiosk take part in that session until the session closes."""

import hashlib
import secrets
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.auth.models import User
from surveyapp.db import utc_now
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.sessions.models import KioskDevice, SurveySession


class DeviceNotAuthorised(DomainError):
    status = 403
    code = "device_not_authorised"

    def __init__(self):
        super().__init__(_l("This tablet is not set up for an open session. Ask the adult running the session."))


def set_up_device(session: SurveySession, device_uuid: uuid.UUID | None, user: User) -> tuple[KioskDevice, str]:
    """Give the tablet a new token for ``session``; the tablet keeps its device id across sessions."""
    token = secrets.token_urlsafe(32)
    device_uuid = device_uuid or uuid.uuid4()
    device = db.session.scalar(select(KioskDevice).filter_by(device_uuid=device_uuid, session_id=session.id))
    if device is None:
        device = KioskDevice(device_uuid=device_uuid, session=session)
        db.session.add(device)
    device.token_hash = _hash(token)
    device.set_up_by_id = user.id
    device.set_up_at = utc_now()
    db.session.flush()
    audit.record("set_up_kiosk_device", device)
    return device, token


def authorised_device(token: str | None) -> KioskDevice:
    """The device of ``token`` while its session is open; DeviceNotAuthorised otherwise."""
    device = device_of_token(token)
    if device is None or not device.is_authorised:
        raise DeviceNotAuthorised()
    return device


def device_of_token(token: str | None) -> KioskDevice | None:
    if not token:
        return None
    return db.session.scalar(select(KioskDevice).filter_by(token_hash=_hash(token)))


def note_seen(device: KioskDevice, waiting: int | None = None) -> None:
    device.last_seen_at = utc_now()
    if waiting is not None:
        device.waiting_count = waiting


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
