from typing import Protocol

from flask_login import current_user

from surveyapp.audit.models import AuditEvent
from surveyapp.extensions import db


class StoredRow(Protocol):
    """A model's row: its id is None until it is flushed."""

    @property
    def id(self) -> int | None: ...


def record(action: str, obj: StoredRow, details: dict | None = None) -> None:
    """Add an audit row in the current transaction: it is kept exactly when the change it describes is."""
    if obj.id is None:
        db.session.flush()
    _add(action, type(obj).__name__, str(obj.id), details)


def record_without_object(action: str, object_type: str, details: dict | None = None) -> None:
    """An event about no stored object (a log-in refused for a user name that is no account's)."""
    _add(action, object_type, "", details)


def _add(action: str, object_type: str, object_id: str, details: dict | None) -> None:
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    db.session.add(
        AuditEvent(user_id=user_id, action=action, object_type=object_type, object_id=object_id, details=details or {})
    )
