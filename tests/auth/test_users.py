"""An admin manages accounts in the browser: creates them with a role and, for trainers and psychologists, a
territory; edits and deactivates them; hands out one-time codes for forgotten passwords. Every change is audited."""

import hashlib
import re

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import PasswordReset, Role, User
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory

CODE = re.compile(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>")


@pytest.fixture
def territory(app_context):
    ensure_territories()
    db.session.commit()
    return db.session.scalar(select(Territory).filter_by(code="T1"))


@pytest.fixture
def admin(login):
    return login(Role.ADMIN, "boss")


def account(**fields) -> dict:
    return {"full_name": "", "role": "viewer", "territory_id": "0", "email": "", "language": "ru", **fields}


def audit_events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


def log_in(app, username: str, password: str):
    """Another browser, logged in as ``username``."""
    browser = app.test_client()
    response = browser.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.text
    return browser


def test_the_list_shows_each_users_role_territory_and_status_in_words(client, admin, make_user, territory):
    psychologist, _password = make_user(Role.PSYCHOLOGIST, "aigul")
    psychologist.territory_id = territory.id
    viewer, _password = make_user(Role.VIEWER, "mayor-office")
    viewer.is_active = False
    db.session.commit()
    page = client.get("/users/").text
    aigul_row = page[page.index(">aigul<") : page.index("</tr>", page.index(">aigul<"))]
    assert "Psychologist" in aigul_row and "Аймактык башкармалык 1" in aigul_row and "Active" in aigul_row
    viewer_row = page[page.index(">mayor-office<") : page.index("</tr>", page.index(">mayor-office<"))]
    assert "Viewer (reports only)" in viewer_row and "Whole city" in viewer_row and "Deactivated" in viewer_row


def test_the_admin_creates_a_trainer_for_one_territory_and_sees_a_one_time_code_once(client, admin, territory):
    response = client.post(
        "/users/new",
        data=account(
            username="nurlan",
            full_name="Nurlan A.",
            role="trainer",
            territory_id=str(territory.id),
            email="nurlan@example.org",
            language="ky",
        ),
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = CODE.search(response.text).group(1)
    user = db.session.scalar(select(User).filter_by(username="nurlan"))
    assert (user.role, user.territory_id, user.full_name, user.email, user.language) == (
        Role.TRAINER,
        territory.id,
        "Nurlan A.",
        "nurlan@example.org",
        "ky",
    )
    assert "/auth/reset?username=nurlan" in response.text
    [created] = audit_events("create_user")[-1:]
    assert created.object_id == str(user.id) and created.user_id == admin.id
    assert created.details["role"] == "trainer" and created.details["territory"] == "T1"
    assert code not in str(created.details) and code.replace("-", "") not in str(created.details)


def test_a_role_without_a_territory_is_refused_one(client, admin, territory):
    response = client.post(
        "/users/new", data=account(username="coord", role="coordinator", territory_id=str(territory.id))
    )
    assert response.status_code == 422
    assert "Only trainers and psychologists work for one territorial administration" in response.text
    assert db.session.scalar(select(User).filter_by(username="coord")) is None


def test_a_psychologist_may_work_for_the_whole_city(client, admin):
    assert client.post("/users/new", data=account(username="city-psy", role="psychologist")).status_code == 200
    assert db.session.scalar(select(User).filter_by(username="city-psy")).territory_id is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "two words"}, "no spaces"),
        ({"username": ""}, "This field is required."),
        ({"username": "x", "email": "not-an-address"}, "Give an e-mail address such as name@example.org."),
        ({"username": "x", "role": "superuser"}, "Not a valid choice."),
        ({"username": "x", "territory_id": "999"}, "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, admin, fields, message):
    response = client.post("/users/new", data=account(**fields))
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(select(User).filter_by(username="x")) is None


def test_a_taken_user_name_is_refused(client, admin):
    response = client.post("/users/new", data=account(username="boss"))
    assert response.status_code == 409 and "The user name boss is taken." in response.text


def test_the_admin_edits_role_territory_name_and_language_and_the_change_is_audited(
    client, admin, make_user, territory
):
    user, _password = make_user(Role.VIEWER, "aibek")
    form = client.get(f"/users/{user.id}").text
    assert '<option selected value="viewer">' in form and '<option selected value="0">' in form
    response = client.post(
        f"/users/{user.id}",
        data=account(
            role="psychologist", territory_id=str(territory.id), full_name="Aibek K.", language="ky", is_active="y"
        ),
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, user.territory_id, user.full_name, user.language) == (
        Role.PSYCHOLOGIST,
        territory.id,
        "Aibek K.",
        "ky",
    )
    [edited] = audit_events("edit_user")
    assert edited.details == {
        "role": {"from": "viewer", "to": "psychologist"},
        "territory": {"from": None, "to": "T1"},
        "full_name": {"from": "", "to": "Aibek K."},
        "language": {"from": "en", "to": "ky"},
    }


def test_a_deactivated_user_is_logged_out_at_their_next_request_and_cannot_log_in_until_reactivated(
    app, client, admin, make_user
):
    user, password = make_user(Role.COORDINATOR, "leaving")
    their_browser = log_in(app, "leaving", password)
    assert their_browser.get("/sessions/").status_code == 200

    assert client.post(f"/users/{user.id}", data=account(role="coordinator", language="en")).status_code == 302
    assert their_browser.get("/sessions/").headers["Location"].startswith("/auth/login")
    assert their_browser.post("/auth/login", data={"username": "leaving", "password": password}).status_code == 401
    assert audit_events("edit_user")[-1].details == {"is_active": {"from": True, "to": False}}

    client.post(f"/users/{user.id}", data=account(role="coordinator", language="en", is_active="y"))
    assert log_in(app, "leaving", password).get("/sessions/").status_code == 200


@pytest.mark.parametrize(
    "change", [{"role": "coordinator", "is_active": "y"}, {"role": "admin"}], ids=["demoted", "deactivated"]
)
def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(client, admin, make_user, change):
    spare, _password = make_user(Role.ADMIN, "spare-admin")
    spare.is_active = False  # a deactivated admin does not count
    db.session.commit()
    response = client.post(f"/users/{admin.id}", data=account(**change))
    assert response.status_code == 409
    assert "boss is the last active admin: make another admin first." in response.text
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN and admin.is_active
    assert audit_events("edit_user") == []


def test_with_another_active_admin_an_admin_may_step_down(client, admin, make_user):
    make_user(Role.ADMIN, "other-admin")
    assert client.post(f"/users/{admin.id}", data=account(role="coordinator", is_active="y")).status_code == 302
    db.session.refresh(admin)
    assert admin.role == Role.COORDINATOR
    assert client.get("/users/").status_code == 403


def test_only_the_codes_hash_is_stored_and_a_new_code_voids_the_older_one(client, admin, make_user):
    user, _password = make_user(Role.TRAINER, "forgetful")
    first = CODE.search(client.post(f"/users/{user.id}/reset-code").text).group(1)
    response = client.post(f"/users/{user.id}/reset-code")
    assert response.headers["Cache-Control"] == "no-store"
    second = CODE.search(response.text).group(1)
    assert first != second
    [stored] = db.session.scalars(select(PasswordReset).filter_by(user_id=user.id)).all()
    assert stored.code_hash == hashlib.sha256(second.replace("-", "").encode()).hexdigest()
    assert stored.created_by_id == admin.id
    assert 23.9 * 3600 < (stored.expires_at - stored.created_at).total_seconds() <= 24 * 3600
    issued = audit_events("issue_reset_code")
    assert len(issued) == 2 and all(first not in str(e.details) and second not in str(e.details) for e in issued)


def test_no_code_is_made_for_a_deactivated_user(client, admin, make_user):
    user, _password = make_user(Role.TRAINER, "gone")
    user.is_active = False
    db.session.commit()
    response = client.post(f"/users/{user.id}/reset-code")
    assert response.status_code == 409 and "gone is deactivated" in response.text
    assert db.session.scalar(select(PasswordReset)) is None


def test_a_missing_user_is_a_404(client, admin):
    assert client.get("/users/999").status_code == 404
    assert client.post("/users/999/reset-code").status_code == 404


def test_the_command_line_gives_a_trainer_a_territory(runner, app_context, territory):
    result = runner.invoke(args=["users", "create", "cli-trainer", "--role", "trainer", "--territory", "T1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).filter_by(username="cli-trainer")).territory_id == territory.id


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "trainer", "--territory", "T99"], "No territory has the code T99."),
        (["--role", "viewer", "--territory", "T1"], "Only trainers and psychologists"),
    ],
)
def test_the_command_line_refuses_a_wrong_territory(runner, app_context, territory, arguments, message):
    result = runner.invoke(args=["users", "create", "cli-user", *arguments])
    assert result.exit_code != 0 and message in result.output
    assert db.session.scalar(select(User).filter_by(username="cli-user")) is None


@pytest.mark.parametrize(
    ("role", "label", "links", "hidden"),
    [
        (Role.ADMIN, "Administrator", ["/users/", "/trainings/", "/activities/", "/respondents/", "/alerts/"], []),
        (
            Role.TRAINER,
            "Trainer",
            ["/sessions/", "/trainings/", "/activities/"],
            ["/users/", "/respondents/", "/alerts/"],
        ),
        (
            Role.VIEWER,
            "Viewer (reports only)",
            ["/reports/", "/activities/"],
            ["/users/", "/sessions/", "/trainings/", "/instruments/"],
        ),
    ],
)
def test_the_menu_shows_each_role_its_own_pages_and_the_role_in_words(client, login, role, label, links, hidden):
    login(role)
    page = client.get("/reports/").text
    menu = page[page.index("<nav>") : page.index("</nav>")]
    assert [link for link in links if f'href="{link}"' not in menu] == []
    assert [link for link in hidden if f'href="{link}"' in menu] == []
    assert len(re.findall("<a ", menu)) == len(set(re.findall(r'href="([^"]+)"', menu)))  # each link once
    assert f"({label})" in page and 'href="/auth/password">Change password<' in page
