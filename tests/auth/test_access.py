"""Least privilege: log-in on every staff page, and each role sees only what it needs."""

import pytest

from surveyapp.auth.models import Role
from tests.factories import mood_instrument

STAFF_PAGES = ["/sessions/", "/sessions/new", "/respondents/", "/instruments/"]


@pytest.mark.parametrize("path", STAFF_PAGES + ["/sessions/1", "/submissions/1", "/instruments/versions/1"])
def test_staff_pages_require_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.VIEWER, "/sessions/", 403),
        (Role.VIEWER, "/instruments/", 403),
        (Role.VIEWER, "/respondents/", 403),
        (Role.TRAINER, "/sessions/", 200),
        (Role.TRAINER, "/sessions/new", 403),
        (Role.TRAINER, "/respondents/", 403),
        (Role.PSYCHOLOGIST, "/sessions/new", 403),
        (Role.PSYCHOLOGIST, "/instruments/", 200),
        (Role.COORDINATOR, "/sessions/new", 200),
        (Role.COORDINATOR, "/respondents/", 200),
        (Role.ADMIN, "/respondents/", 200),
    ],
)
def test_each_role_reaches_only_its_pages(client, login, role, path, status):
    login(role)
    assert client.get(path).status_code == status


def test_a_trainer_sees_only_their_own_sessions_and_no_answers(client, login, publish, make_session, make_respondent):
    trainer = login(Role.TRAINER)
    theirs = make_session([publish(mood_instrument())])
    theirs.trainer_id = trainer.id
    other = make_session([theirs.instrument_versions[0]])
    from surveyapp.extensions import db

    db.session.commit()
    page = client.get(f"/sessions/{theirs.id}")
    assert page.status_code == 200 and "Submissions and scores" not in page.text
    assert client.get(f"/sessions/{other.id}").status_code == 403
    assert client.get("/submissions/1").status_code == 403


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    user, _password = make_user(Role.COORDINATOR)
    response = client.post("/auth/login", data={"username": user.username, "password": "wrong"})
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
    unknown = client.post("/auth/login", data={"username": "nobody", "password": "wrong"})
    assert unknown.status_code == 401


def test_a_deactivated_user_cannot_log_in(client, make_user):
    from surveyapp.extensions import db

    user, password = make_user(Role.COORDINATOR)
    user.is_active = False
    db.session.commit()
    assert client.post("/auth/login", data={"username": user.username, "password": password}).status_code == 401


def test_log_in_never_redirects_off_site(client, make_user):
    user, password = make_user(Role.COORDINATOR)
    response = client.post("/auth/login?next=//evil.example/x", data={"username": user.username, "password": password})
    assert response.headers["Location"] == "/"


def test_passwords_are_stored_hashed(make_user):
    user, password = make_user(Role.ADMIN)
    assert password not in user.password_hash and user.check_password(password)


def test_staff_see_pages_in_their_own_language(client, login):
    login(Role.COORDINATOR)
    client.post("/auth/language", data={"language": "ky", "next": "/sessions/"})
    assert '<html lang="ky">' in client.get("/sessions/").text
