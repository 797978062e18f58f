from flask_login import current_user

from surveyapp.audit.models import AuditEvent
from surveyapp.extensions import db


def record(action: str, obj, details: dict | None = None) -> None:
    """Add an audit row in the current transaction: it is kept exactly when the change it describes is."""
    if obj.id is None:
        db.session.flush()
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    db.session.add(AuditEvent(
        user_id=user_id, action=action, object_type=type(obj).__name__, object_id=str(obj.id),
        details=details or {},
    ))
