"""Permissions live in one place, ``ROUTE_ROLES`` in surveyapp/auth/access.py: every route has a rule, every role
meets exactly that rule at the door of every route, and no template decides by comparing role names."""

import re
from pathlib import Path

import pytest

from surveyapp.auth.access import PUBLIC, ROUTE_ROLES
from surveyapp.auth.models import Role

TEMPLATES = Path(__file__).resolve().parents[2] / "surveyapp" / "templates"
ROLE_COMPARISON = re.compile(r"\.role\s*(==|!=|(not\s+)?in\b)|\bRole\.|\bhas_role\(")
DUMMY_ARGUMENT = "1"
"""Every URL argument of the walk: an id that matches ``<int:...>`` as well as ``<code>`` or ``<path:...>``."""
ANONYMOUS = None


def test_every_route_has_a_rule(app):
    """A new route without a rule fails here (and answers 403 to everyone until it has one)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - ROUTE_ROLES.keys()) == []


def test_every_rule_belongs_to_a_route(app):
    """A rule left behind by a renamed or removed route would hide the new name's missing rule."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(ROUTE_ROLES.keys() - endpoints) == []


@pytest.mark.parametrize(
    ("endpoint", "roles"),
    [
        ("users.list_users", {Role.ADMIN}),
        ("users.new_user", {Role.ADMIN}),
        ("users.edit_user", {Role.ADMIN}),
        ("users.issue_reset_code", {Role.ADMIN}),
        ("auth.change_password", set(Role)),
        ("auth.reset_password", set()),
        ("auth.login", set()),
        ("kiosk.join", set()),
        ("respondents.edit_identity", {Role.ADMIN, Role.PSYCHOLOGIST}),
        ("trainings.new_training", {Role.ADMIN, Role.COORDINATOR, Role.TRAINER}),
        ("reports.show_indicators", set(Role)),
    ],
)
def test_the_rules_say_what_the_issue_asks(endpoint, roles):
    """Spot checks written from the issue, not from the table: user management is the admin's alone, every user
    changes their own password, a forgotten password is reset without logging in, trainers run trainings."""
    assert set(ROUTE_ROLES[endpoint]) == roles


@pytest.mark.parametrize("role", [ANONYMOUS, *Role], ids=lambda role: role or "anonymous")
def test_each_role_meets_the_rule_of_every_route(app, client, login, monkeypatch, role):
    """Walks every route, its URL built with dummy arguments. Each view is replaced by one that only says it was
    reached, so that what answers is the rule layer alone: an allowed role reaches the view (whatever the view
    would then decide about one object, such as another trainer's training), a refused role gets 403, and
    someone not logged in is sent to log in."""
    if role is not ANONYMOUS:
        login(role)
    wrong = []
    for rule in app.url_map.iter_rules():
        monkeypatch.setitem(app.view_functions, rule.endpoint, lambda **_arguments: "reached")
        method = "GET" if "GET" in rule.methods else min(rule.methods - {"HEAD", "OPTIONS"})
        url = rule.build(dict.fromkeys(rule.arguments, DUMMY_ARGUMENT))[1]
        assert app.url_map.bind("localhost").match(url, method)[0] == rule.endpoint, f"{url}: add a dummy value"
        response = client.open(url, method=method)
        expected = _expected_answer(ROUTE_ROLES.get(rule.endpoint), role)
        if _answer(response) != expected:
            wrong.append(f"{method} {url} ({rule.endpoint}): {_answer(response)}, expected {expected}")
    assert wrong == []


def _expected_answer(roles: tuple[Role, ...] | None, role: Role | None) -> str:
    if roles is None:
        return "403"
    if roles == PUBLIC or role in roles:
        return "reached"
    return "log in" if role is ANONYMOUS else "403"


def _answer(response) -> str:
    if response.status_code == 200 and response.text == "reached":
        return "reached"
    if response.status_code == 302 and response.headers["Location"].startswith("/auth/login"):
        return "log in"
    return str(response.status_code)


def test_no_template_compares_role_names():
    """Templates ask ``can('endpoint')``, ``can('permission')`` or ``may_run(...)``: a role named in a template is
    a permission kept outside surveyapp/auth/access.py."""
    comparisons = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_COMPARISON.search(line)
    ]
    assert comparisons == []


@pytest.mark.parametrize(
    "line",
    [
        '{% if current_user.role == "admin" %}',
        "{% if current_user.role != 'viewer' %}",
        '{% if current_user.role in ("admin", "coordinator") %}',
        "{% if user.role not in roles %}",
        "{% if current_user.has_role(Role.COORDINATOR) %}",
    ],
)
def test_the_template_scan_finds_each_kind_of_comparison(line):
    assert ROLE_COMPARISON.search(line)


@pytest.mark.parametrize(
    "line",
    ["{{ user.role | role_label }}", "{% if can('users.list_users') %}", "{% if not can('see_every_alert') %}"],
)
def test_the_template_scan_leaves_other_uses_alone(line):
    assert not ROLE_COMPARISON.search(line)
