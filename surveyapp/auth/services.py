import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.auth.models import Role, User
from surveyapp.errors import Conflict
from surveyapp.extensions import db


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).filter_by(username=username.strip()))
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def create_user(username: str, role: Role, full_name: str = "", email: str = "",
                language: str = "ru") -> tuple[User, str]:
    """Create a user with a generated password, returned once so it can be shown once."""
    if db.session.scalar(select(User.id).filter_by(username=username)) is not None:
        raise Conflict(_l("The user name %(name)s is taken.", name=username))
    password = secrets.token_urlsafe(12)
    user = User(username=username, role=role, full_name=full_name, email=email, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user, password


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None
