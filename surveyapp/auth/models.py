import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.extensions import Model


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    PSYCHOLOGIST = "psychologist"
    TRAINER = "trainer"
    VIEWER = "viewer"


ROLES_WITH_TERRITORY = (Role.TRAINER, Role.PSYCHOLOGIST)
"""Roles that work in one territorial administration, or (no territory) in the whole city."""


class User(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    language: Mapped[str] = mapped_column(String(5), default="ru")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    """The territorial administration a trainer or psychologist works in, for roles that have one."""

    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    """Wrong passwords in a row since the last log-in or lock-out."""
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set after too many wrong passwords in a row: until then even the right password is refused."""

    territory = relationship("Territory")
    session_token = None  # type: str | None
    """The token of the log-in this object was loaded for (not stored: only its hash is, in LoginSession)."""

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the session cookie: the token of this log-in (see LoginSession)."""
        return self.session_token

    def password_fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class LoginSession(Model):
    """One log-in of a staff member. The session cookie holds a random token whose SHA-256 is stored here, so a
    copy of the cookie dies with the log-in: on logging out, after a new password (the password's fingerprint
    at log-in must still match), on deactivation, and at the absolute lifetime."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    password_fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class PasswordReset(Model):
    """A one-time code an admin made so that a user can set a new password.

    Only the code's SHA-256 is stored; the code itself is shown once to the admin, who hands it over in person
    or by phone. It works once, and only until ``expires_at``.
    """

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
