"""Accounts: log-in, the admin's user management, one's own password, and one-time reset codes.

Passwords and reset codes never reach a log or the audit trail; a reset code is stored only as its SHA-256.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.audit import services as audit
from surveyapp.auth.models import ROLES_WITH_TERRITORY, PasswordReset, Role, User
from surveyapp.db import utc_now
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.respondents import codes
from surveyapp.respondents.models import Territory

MAX_FAILED_LOGINS = 10
LOCK_OUT = timedelta(minutes=15)
RESET_CODE_LENGTH = 12
RESET_CODE_LIFETIME = timedelta(hours=24)


def authenticate(username: str, password: str, client: str | None) -> User | None:
    """The user if the password is right and the account active and not locked out; every refusal is audited
    (never the password, nor a user name that is not an account's: it may be a password typed in the wrong box).

    A password hash is checked whatever the outcome, so that an unknown user name answers as slowly as a known
    one. MAX_FAILED_LOGINS wrong passwords in a row lock the account for LOCK_OUT, the right password included.
    The caller commits either way.
    """
    user = db.session.scalar(select(User).filter_by(username=username.strip()))
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        audit.record_without_object("login_refused", "User", {"reason": "unknown_user", "client": client})
        return None
    right = user.check_password(password)
    refusal = _login_refusal(user, right)
    if refusal is None:
        user.failed_logins, user.locked_until = 0, None
        return user
    audit.record("login_refused", user, {"reason": refusal, "client": client})
    if refusal == "wrong_password":
        _count_failure(user)
    return None


def _login_refusal(user: User, right_password: bool) -> str | None:
    if user.locked_until is not None and user.locked_until > utc_now():
        return "locked_out"
    if not right_password:
        return "wrong_password"
    return None if user.is_active else "inactive_user"


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.failed_logins, user.locked_until = 0, utc_now() + LOCK_OUT
        audit.record("lock_out", user, {"until": user.locked_until.isoformat()})


@cache
def _unknown_user_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def create_user(
    username: str,
    role: Role,
    full_name: str = "",
    email: str = "",
    language: str = "ru",
    territory: Territory | None = None,
) -> tuple[User, str]:
    """Create a user with a generated password, returned once so it can be shown once."""
    username = username.strip()
    if db.session.scalar(select(User.id).filter_by(username=username)) is not None:
        raise Conflict(_l("The user name %(name)s is taken.", name=username))
    _check_territory(role, territory)
    password = secrets.token_urlsafe(12)
    user = User(
        username=username,
        role=role,
        full_name=full_name.strip(),
        email=email.strip(),
        language=language,
        territory=territory,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("create_user", user, {"username": username, **_editable_fields(user)})
    return user, password


def open_account(
    username: str, role: Role, *, full_name: str, email: str, language: str, territory: Territory | None, by: User
) -> tuple[User, PasswordReset, str]:
    """An account made by an admin: its generated password is never shown; the user sets their own with the
    one-time code returned here (see ``issue_reset_code``)."""
    user, _password = create_user(username, role, full_name, email, language, territory)
    reset, code = issue_reset_code(user, by)
    return user, reset, code


def update_user(
    user: User, *, role: Role, territory: Territory | None, full_name: str, email: str, language: str, is_active: bool
) -> None:
    """Change what the admin's form changes; refused when it would leave no active admin."""
    _check_territory(role, territory)
    if user.role == Role.ADMIN and user.is_active and (role != Role.ADMIN or not is_active):
        _ensure_another_active_admin(user)
    before = _editable_fields(user)
    user.role, user.territory, user.is_active = role, territory, is_active
    user.full_name, user.email, user.language = full_name.strip(), email.strip(), language
    after = _editable_fields(user)
    changes = {name: {"from": before[name], "to": after[name]} for name in before if before[name] != after[name]}
    if changes:
        audit.record("edit_user", user, changes)


def change_password(user: User, current_password: str, new_password: str) -> bool:
    """Set a new password if ``current_password`` is right; either way the attempt is audited."""
    if not user.check_password(current_password):
        audit.record("change_password_refused", user)
        return False
    user.set_password(new_password)
    audit.record("change_password", user)
    return True


def issue_reset_code(user: User, by: User) -> tuple[PasswordReset, str]:
    """A new one-time code for ``user``, valid for ``RESET_CODE_LIFETIME``; the user's older codes stop working.

    Returns the stored reset (its hash only) and the code, which exists nowhere else: show it once.
    """
    if not user.is_active:
        raise Conflict(_l("%(name)s is deactivated: make the account active first.", name=user.username))
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)))
    code = "".join(secrets.choice(codes.ALPHABET) for _ in range(RESET_CODE_LENGTH))
    reset = PasswordReset(
        user_id=user.id, code_hash=_code_hash(code), expires_at=utc_now() + RESET_CODE_LIFETIME, created_by_id=by.id
    )
    db.session.add(reset)
    db.session.flush()
    audit.record("issue_reset_code", user, {"expires_at": reset.expires_at.isoformat()})
    return reset, format_reset_code(code)


def redeem_reset_code(username: str, code: str, new_password: str) -> User | None:
    """Set ``new_password`` if ``code`` is the user's current, unexpired, unused code; None otherwise.

    A refusal of a known user is audited (never the code); the caller commits either way.
    """
    user = db.session.scalar(select(User).filter_by(username=username.strip()))
    if user is None:
        return None
    reset = db.session.scalar(select(PasswordReset).filter_by(user_id=user.id, code_hash=_code_hash(code)))
    refusal = _refusal_reason(reset, user)
    if refusal is not None:
        audit.record("reset_password_refused", user, {"reason": refusal})
        return None
    assert reset is not None, "a missing code is refused"
    reset.used_at = utc_now()
    user.set_password(new_password)
    audit.record("reset_password", user)
    return user


def format_reset_code(code: str) -> str:
    """Groups of four (``ABCD-EFGH-JKMN``), easy to read out on the phone."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.is_active.desc(), User.username)))


def _code_hash(typed_code: str) -> str:
    """Hash of the code as typed, forgiving case, spaces, dashes and Cyrillic look-alike letters."""
    return hashlib.sha256(codes.compact(typed_code).encode()).hexdigest()


def _refusal_reason(reset: PasswordReset | None, user: User) -> str | None:
    """Why a reset is refused, for the audit trail only: the person trying is told one generic message."""
    if reset is None:
        return "wrong_code"
    if reset.used_at is not None:
        return "used_code"
    if utc_now() >= reset.expires_at:
        return "expired_code"
    return None if user.is_active else "inactive_user"


def _check_territory(role: Role, territory: Territory | None) -> None:
    if territory is not None and role not in ROLES_WITH_TERRITORY:
        raise Invalid(
            _l(
                "Only trainers and psychologists work for one territorial administration; "
                "choose the whole city for this role."
            )
        )


def _ensure_another_active_admin(user: User) -> None:
    """Locks the active admins' rows (PostgreSQL), so that two admins cannot demote each other at once."""
    others = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.is_active, User.id != user.id).with_for_update()
    ).all()
    if not others:
        raise Conflict(_l("%(name)s is the last active admin: make another admin first.", name=user.username))


def _editable_fields(user: User) -> dict:
    return {
        "role": user.role.value,
        "territory": user.territory.code if user.territory else None,
        "full_name": user.full_name,
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
    }
