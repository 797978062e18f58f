"""Staff log-ins that end: started at log-in, resumed from the cookie's token on each request, ended at log-out.

The server decides whether a log-in is still alive (`LoginSession`): log-out, a new password, deactivation and
the absolute lifetime end every copy of the cookie. The idle timeout is kept in the signed cookie itself
(`seen_at`, refreshed on each request), so that reading a page writes nothing to the database; it protects a
computer left unattended, which is the copy that holds that cookie.
"""

import hashlib
import secrets
import time
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import ColumnElement, select, update

from surveyapp.auth.models import LoginSession, User
from surveyapp.db import utc_now
from surveyapp.extensions import db

SEEN_AT_KEY = "seen_at"


def start(user: User) -> None:
    """A new log-in for `user` in the current transaction; Flask-Login then keeps its token (`User.get_id`)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(user_id=user.id, token_hash=_hash(token), password_fingerprint=user.password_fingerprint())
    )
    user.session_token = token
    _seen_now()


def resume(token: str) -> User | None:
    """The user of a live log-in, or None: ended, idle too long, past its lifetime, or its user deactivated or
    given a new password since."""
    if time.time() - session.get(SEEN_AT_KEY, 0) > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        return None
    found = db.session.execute(
        select(LoginSession, User)
        .join(User, LoginSession.user_id == User.id)
        .where(_this_log_in(token), LoginSession.ended_at.is_(None))
    ).first()
    if found is None:
        return None
    login, user = found
    lifetime = timedelta(hours=current_app.config["STAFF_SESSION_HOURS"])
    if (
        not user.is_active
        or login.password_fingerprint != user.password_fingerprint()
        or utc_now() - login.created_at > lifetime
    ):
        return None
    user.session_token = token
    _seen_now()
    return user


def end(user: User) -> None:
    """End the log-in `user` was loaded for, in the current transaction."""
    _update_current(user, ended_at=utc_now())


def keep_after_new_password(user: User) -> None:
    """The user's new password ends their other log-ins (their fingerprint no longer matches); this one goes on."""
    _update_current(user, password_fingerprint=user.password_fingerprint())


def _update_current(user: User, **values: object) -> None:
    if user.session_token is None:
        raise ValueError(f"user {user.id} was not loaded from a log-in (start or resume)")
    db.session.execute(update(LoginSession).where(_this_log_in(user.session_token)).values(**values))


def _this_log_in(token: str) -> ColumnElement[bool]:
    """The row of the log-in a cookie's token stands for: only the token's SHA-256 is stored."""
    return LoginSession.token_hash == _hash(token)


def _seen_now() -> None:
    session[SEEN_AT_KEY] = int(time.time())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
