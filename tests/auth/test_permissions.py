"""Named permissions (surveyapp/auth/access.py, PERMISSIONS): what a page shows to some roles only, asked by views
and templates as ``can(name)``. Expected role sets are written from the service's rules (README, SECURITY.md),
not read from the table."""

import pytest
from flask_login import login_user

from surveyapp.auth.access import PERMISSIONS, can
from surveyapp.auth.models import Role

COORDINATOR_NOTE = "You see the alerts that were not acknowledged in time, as their next contact."


@pytest.mark.parametrize(
    ("permission", "roles"),
    [
        ("see_identity", {Role.ADMIN, Role.PSYCHOLOGIST}),
        ("see_every_alert", {Role.ADMIN, Role.PSYCHOLOGIST}),
        ("see_small_groups", {Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST}),
        ("choose_the_trainer", {Role.ADMIN, Role.COORDINATOR}),
        ("see_every_export", {Role.ADMIN}),
    ],
)
def test_each_permission_belongs_to_the_roles_the_rules_name(app, make_user, permission, roles):
    for role in Role:
        user, _password = make_user(role, f"{role.value}-for-{permission}")
        with app.test_request_context():
            login_user(user)
            assert can(permission) is (role in roles), role
    assert set(PERMISSIONS[permission]) == roles


def test_nobody_logged_in_has_a_permission(app):
    with app.test_request_context():
        assert not any(can(name) for name in PERMISSIONS)


def test_an_unknown_name_is_refused_rather_than_shown(app, make_user):
    admin, _password = make_user(Role.ADMIN)
    with app.test_request_context():
        login_user(admin)
        assert can("see_identiy") is False
        assert can("users.list_users") is True  # an endpoint's rule, as before


@pytest.mark.parametrize(("role", "shows_note"), [(Role.COORDINATOR, True), (Role.PSYCHOLOGIST, False)])
def test_the_inbox_tells_a_coordinator_they_see_escalated_alerts_only(client, login, role, shows_note):
    login(role)
    response = client.get("/alerts/")
    assert response.status_code == 200
    assert (COORDINATOR_NOTE in response.text) is shows_note


@pytest.mark.parametrize(
    ("role", "target"),
    [(None, "/kiosk/"), (Role.VIEWER, "/reports/"), (Role.TRAINER, "/sessions/"), (Role.ADMIN, "/sessions/")],
)
def test_the_front_page_sends_each_role_to_a_page_it_may_open(client, login, role, target):
    if role is not None:
        login(role)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(target)
