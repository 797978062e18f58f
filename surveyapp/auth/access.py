"""Who may reach what: every route of the application has its rule here, and only here.

``ROUTE_ROLES`` maps each endpoint to the roles that may call it (``PUBLIC``: no log-in, the kiosk and the
tablets' JSON intake). ``enforce_route_rules`` runs before every request: an endpoint without a rule is refused
(403) and fails the test that walks every route. What a page shows to some roles only (a child's name, the
scores, small groups) is a named permission in ``PERMISSIONS``. Views and templates ask ``can(name)`` with an
endpoint or a permission, never compare role names. Rules about one object (a trainer runs only their own
trainings, a psychologist sees one territory) are the ``may_*`` and ``serves_*`` functions below.
"""

from flask import abort, request
from flask_login import current_user

from surveyapp.auth.models import Role
from surveyapp.extensions import login_manager

PUBLIC: tuple[Role, ...] = ()
"""No log-in needed."""

STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST, Role.TRAINER)
EVERY_ROLE = STAFF_ROLES + (Role.VIEWER,)
MANAGERS = (Role.ADMIN, Role.COORDINATOR)
RUNS_TRAININGS = MANAGERS + (Role.TRAINER,)
READS_IDENTITY = (Role.ADMIN, Role.PSYCHOLOGIST)
"""Who may read a child's name and contacts and the answers of a positive risk screen."""
FOLLOWS_UP_ALERTS = (Role.ADMIN, Role.PSYCHOLOGIST, Role.COORDINATOR)
SEES_SCORES = (Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST)
"""Who sees the scores of each submission at a session (trainers see their trainings' results instead)."""
SEES_SMALL_GROUPS = (Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST)
"""Who sees report groups smaller than the minimum cell size, and the de-identified data."""

PERMISSIONS: dict[str, tuple[Role, ...]] = {
    "see_identity": READS_IDENTITY,
    "see_scores": SEES_SCORES,
    "see_small_groups": SEES_SMALL_GROUPS,
    "see_every_session": SEES_SCORES,  # a trainer's list holds only the sessions they run
    "see_every_alert": (Role.ADMIN, Role.PSYCHOLOGIST),  # a coordinator is a contact only once it is escalated
    "choose_the_trainer": MANAGERS,  # plan a training for any trainer; a trainer plans their own
    "see_every_export": (Role.ADMIN,),  # open the export jobs that other users asked for
}
"""What a page shows or lets do beyond its route's rule, by name (``can("see_identity")``)."""

ROUTE_ROLES: dict[str, tuple[Role, ...]] = {
    "static": PUBLIC,
    "index": PUBLIC,
    # log-in, one's own account, and the admin's user management
    "auth.login": PUBLIC,
    "auth.logout": EVERY_ROLE,
    "auth.set_language": PUBLIC,
    "auth.change_password": EVERY_ROLE,
    "auth.reset_password": PUBLIC,
    "users.list_users": (Role.ADMIN,),
    "audit.list_events": (Role.ADMIN,),
    "audit.export_events": (Role.ADMIN,),
    "users.new_user": (Role.ADMIN,),
    "users.edit_user": (Role.ADMIN,),
    "users.issue_reset_code": (Role.ADMIN,),
    # the kiosk and the tablets
    "kiosk.join": PUBLIC,
    "kiosk.assent": PUBLIC,
    "kiosk.questionnaire": PUBLIC,
    "kiosk.take": PUBLIC,
    "kiosk.done": PUBLIC,
    "kiosk.offline": PUBLIC,
    "kiosk.service_worker": PUBLIC,
    "kiosk.set_language": PUBLIC,
    "kiosk.thanks": PUBLIC,
    "kiosk.start_over": PUBLIC,
    "api.create_submission": PUBLIC,
    "api.device_heartbeat": PUBLIC,
    "devices.set_up_device": RUNS_TRAININGS,
    # sessions and trainings
    "sessions.list_sessions": STAFF_ROLES,
    "sessions.new_session": MANAGERS,
    "sessions.show_session": STAFF_ROLES,
    "sessions.show_reliability": SEES_SCORES,
    "sessions.join_screen": RUNS_TRAININGS,
    "sessions.join_qr_code": RUNS_TRAININGS,
    "sessions.close_session": RUNS_TRAININGS,
    "sessions.reopen_session": RUNS_TRAININGS,
    "trainings.list_trainings": RUNS_TRAININGS,
    "trainings.new_training": RUNS_TRAININGS,
    "trainings.show_training": RUNS_TRAININGS,
    "trainings.add_participant": RUNS_TRAININGS,
    "trainings.start_post_test": RUNS_TRAININGS,
    "training_results.show_results": RUNS_TRAININGS,
    "training_results.download_report": RUNS_TRAININGS,
    "activities.list_activities": EVERY_ROLE,
    "activities.download": EVERY_ROLE,
    # respondents, answers and alerts
    "respondents.list_respondents": MANAGERS,
    "respondents.edit_identity": READS_IDENTITY,
    "respondents.show_consent": MANAGERS,
    "respondents.add_guardian_consent": MANAGERS,
    "respondents.withdraw": MANAGERS,
    "respondents.undo_withdrawal": MANAGERS,
    "respondents.list_territories": (Role.ADMIN,),
    "respondents.rename_territory": (Role.ADMIN,),
    "responses.show_submission": SEES_SCORES,
    "alerts.inbox": FOLLOWS_UP_ALERTS,
    "alerts.show_alert": FOLLOWS_UP_ALERTS,
    "alerts.acknowledge": FOLLOWS_UP_ALERTS,
    "alerts.record_action": FOLLOWS_UP_ALERTS,
    "alerts.close": FOLLOWS_UP_ALERTS,
    "alerts.duty_roster": (Role.ADMIN,),
    "alerts.remove_duty": (Role.ADMIN,),
    # questionnaires and reports
    "instruments.list_instruments": STAFF_ROLES,
    "instruments.show_version": STAFF_ROLES,
    "instruments.export_version": STAFF_ROLES,
    "instruments.compare": STAFF_ROLES,
    "instruments.import_xlsform_draft": MANAGERS,
    "reports.show_indicators": EVERY_ROLE,
    "reports.download": EVERY_ROLE,
    "exports.list_exports": SEES_SMALL_GROUPS,
    "exports.request_export": SEES_SMALL_GROUPS,
    "exports.show_export": SEES_SMALL_GROUPS,
    "exports.retry_export": SEES_SMALL_GROUPS,
    "exports.download_export": SEES_SMALL_GROUPS,
    "exports.list_item_exports": SEES_SMALL_GROUPS,
    "exports.request_item_export": SEES_SMALL_GROUPS,
    "exports.download_codebook": SEES_SMALL_GROUPS,
    "reports.list_definitions": (Role.ADMIN,),
    "reports.new_definition": (Role.ADMIN,),
    "reports.edit_definition": (Role.ADMIN,),
    "reports.delete_definition": (Role.ADMIN,),
}


def enforce_route_rules():
    """Before every request: log-in and role by the endpoint's rule; no rule, no entry."""
    if request.endpoint is None:
        return None  # no such route: the 404 follows
    roles = ROUTE_ROLES.get(request.endpoint)
    if roles is None:
        abort(403)
    if roles == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(*roles):
        abort(403)
    return None


def can(name: str) -> bool:
    """Whether the logged-in user may do ``name``: a permission of ``PERMISSIONS`` or an endpoint (its links and
    buttons). An unknown name is refused, so a misspelt check hides rather than shows."""
    roles = PERMISSIONS.get(name, ROUTE_ROLES.get(name))
    if roles is None:
        return False
    return roles == PUBLIC or (current_user.is_authenticated and current_user.has_role(*roles))


def may_run(user, trainer_id: int | None) -> bool:
    """Managers run every session and training; a trainer only those they are the trainer of."""
    return user.has_role(*MANAGERS) or (user.has_role(Role.TRAINER) and trainer_id == user.id)


def ensure_may_run(trainer_id: int | None) -> None:
    if not may_run(current_user, trainer_id):
        abort(403)


def serves_territory(user, territory_id: int | None) -> bool:
    """Need-to-know: a psychologist who works in one territorial administration (`User.territory`) sees the
    alerts and identities of that territory only; a psychologist of the whole city, and every other role that may
    reach the page, sees all. An admin widens a psychologist's view by making them one of the whole city."""
    return not user.has_role(Role.PSYCHOLOGIST) or user.territory_id is None or user.territory_id == territory_id


def territory_scope(user) -> int | None:
    """The one territory whose alerts `user` sees, or None for all."""
    return user.territory_id if user.has_role(Role.PSYCHOLOGIST) else None


def ensure_serves_territory(territory_id: int | None) -> None:
    """404 rather than 403: a psychologist of another territory does not learn that the alert or child exists."""
    if not serves_territory(current_user, territory_id):
        abort(404)
