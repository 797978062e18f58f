from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from surveyapp.auth.models import Role

STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST, Role.TRAINER)
MANAGERS = (Role.ADMIN, Role.COORDINATOR)
READS_IDENTITY = (Role.ADMIN, Role.PSYCHOLOGIST)
"""Who may read a child's name and contacts and the answers of a positive risk screen."""


def roles_required(*roles: Role):
    """Log-in required, and one of ``roles``; anyone else gets 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
