"""The duty roster: who is told about an alert first, and who when nobody acknowledges it in time."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.alerts.models import Duty
from surveyapp.audit import services as audit
from surveyapp.auth.models import Role, User
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory

ON_DUTY_ROLES = (Role.PSYCHOLOGIST,)
BACKUP_ROLES = (Role.PSYCHOLOGIST, Role.COORDINATOR)


def first_contacts(territory_id: int | None) -> list[User]:
    """The psychologists on duty for the territory, or else those on duty for the whole city."""
    return _on_duty(territory_id, is_backup=False)


def escalation_contacts(territory_id: int | None) -> list[User]:
    """The backups for the territory, else for the whole city; with no backup at all, every coordinator,
    and with no coordinator every admin - an alert always reaches someone."""
    return _on_duty(territory_id, is_backup=True) or _active_users(Role.COORDINATOR) or _active_users(Role.ADMIN)


def _on_duty(territory_id: int | None, is_backup: bool) -> list[User]:
    query = (
        select(User)
        .join(Duty, Duty.user_id == User.id)
        .where(Duty.is_backup == is_backup, User.is_active)
        .order_by(User.username)
    )
    local = list(db.session.scalars(query.where(Duty.territory_id == territory_id))) if territory_id else []
    return local or list(db.session.scalars(query.where(Duty.territory_id.is_(None))))


def _active_users(role: Role) -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == role, User.is_active).order_by(User.username)))


def roster() -> list[Duty]:
    return list(
        db.session.scalars(
            select(Duty)
            .join(User, Duty.user_id == User.id)
            .outerjoin(Territory, Duty.territory_id == Territory.id)
            .order_by(Duty.is_backup, Territory.code.nulls_first(), User.username)
        )
    )


def candidates() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role.in_(BACKUP_ROLES), User.is_active).order_by(User.username))
    )


def put_on_duty(user: User, territory: Territory | None, is_backup: bool) -> Duty:
    allowed = BACKUP_ROLES if is_backup else ON_DUTY_ROLES
    if user.role not in allowed:
        raise Invalid(_l("Only psychologists are on duty; backups are psychologists or coordinators."))
    territory_id = territory.id if territory else None
    if db.session.scalar(select(Duty.id).filter_by(user_id=user.id, territory_id=territory_id, is_backup=is_backup)):
        raise Conflict(_l("%(name)s is already on this duty.", name=user.username))
    duty = Duty(user=user, territory=territory, is_backup=is_backup)
    db.session.add(duty)
    audit.record("put_on_duty", duty, {"user": user.username, "territory": territory_id, "is_backup": is_backup})
    return duty


def take_off_duty(duty: Duty) -> None:
    audit.record(
        "take_off_duty", duty, {"user": duty.user.username, "territory": duty.territory_id, "is_backup": duty.is_backup}
    )
    db.session.delete(duty)
    db.session.flush()
