"""Each user changes their own password; a forgotten one is reset with the admin's one-time code. Neither a
password nor a code ever reaches a log or the audit trail."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import PasswordReset, Role
from surveyapp.auth.services import issue_reset_code
from surveyapp.db import utc_now
from surveyapp.extensions import db

NEW_PASSWORD = "a long new sentence"
GENERIC_REFUSAL = "The user name or the code is wrong, or the code has expired or was used already."


def log_in(app, username: str, password: str):
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser, browser.post("/auth/login", data={"username": username, "password": password})


def change(client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        "/auth/password",
        data={"current_password": current, "new_password": new, "confirm_password": new if again is None else again},
    )


def audit_actions() -> list[str]:
    db.session.expire_all()
    return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def audit_text() -> str:
    return str([(e.action, e.details) for e in db.session.scalars(select(AuditEvent))])


@pytest.fixture
def user_with_code(make_user):
    """A trainer who forgot their password, and the code the admin made for them."""
    admin, _password = make_user(Role.ADMIN, "boss")
    trainer, _password = make_user(Role.TRAINER, "forgetful")
    reset, code = issue_reset_code(trainer, by=admin)
    db.session.commit()
    return trainer, reset, code


def reset(client, code: str, username: str = "forgetful", new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        "/auth/reset",
        data={
            "username": username,
            "code": code,
            "new_password": new,
            "confirm_password": new if again is None else again,
        },
    )


def test_every_user_changes_their_own_password_and_keeps_their_session(app, client, make_user):
    _user, old_password = make_user(Role.VIEWER, "mayor-office")
    client.post("/auth/login", data={"username": "mayor-office", "password": old_password})
    assert 'href="/auth/password"' in client.get("/reports/").text

    response = change(client, old_password)
    assert response.status_code == 302
    assert client.get("/auth/password").status_code == 200  # still logged in
    assert log_in(app, "mayor-office", old_password)[1].status_code == 401
    assert log_in(app, "mayor-office", NEW_PASSWORD)[1].status_code == 302
    assert audit_actions()[-3:] == ["change_password", "login_refused", "login"]


def test_a_new_password_ends_the_users_other_sessions(app, client, login):
    user = login(Role.COORDINATOR, "shared-laptop")
    other_browser = app.test_client()
    with client.session_transaction() as cookie:  # the same session cookie, as on a second computer
        session_cookie = dict(cookie)
    with other_browser.session_transaction() as cookie:
        cookie.update(session_cookie)
    assert other_browser.get("/sessions/").status_code == 200
    user.set_password(NEW_PASSWORD)
    db.session.commit()
    assert other_browser.get("/sessions/").headers["Location"].startswith("/auth/login")


def test_a_wrong_current_password_is_refused_and_audited(client, login):
    user = login(Role.TRAINER)
    response = change(client, "not my password")
    assert response.status_code == 422 and "The current password is wrong." in response.text
    db.session.refresh(user)
    assert not user.check_password(NEW_PASSWORD)
    assert audit_actions()[-1] == "change_password_refused"


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short pwd", None, "Use at least 10 characters."),
        (NEW_PASSWORD, "a long new sentencE", "The two new passwords differ."),
        ("Trainer-User", None, "The password must not be the user name."),
        ("", None, "This field is required."),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused(app, client, make_user, new, again, message):
    user, password = make_user(Role.TRAINER, "trainer-user")
    client.post("/auth/login", data={"username": "trainer-user", "password": password})
    response = change(client, password, new, again)
    assert response.status_code == 422 and message in response.text
    db.session.refresh(user)
    assert user.check_password(password)


def test_the_change_password_page_needs_a_log_in(client):
    assert client.get("/auth/password").headers["Location"].startswith("/auth/login")


def test_a_forgotten_password_is_reset_with_the_code_once(app, client, user_with_code):
    user, _reset, code = user_with_code
    assert 'href="/auth/reset"' in client.get("/auth/login").text
    assert 'value="forgetful"' in client.get("/auth/reset?username=forgetful").text
    typed = code.lower().replace("-", " ").translate(str.maketrans("abcekmhoptxy", "авсекмнортху"))
    response = reset(client, f"  {typed} ")  # as typed from the phone, maybe on a Cyrillic keyboard
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "Your new password is set. Log in with it." in client.get("/auth/login").text
    assert log_in(app, "forgetful", NEW_PASSWORD)[1].status_code == 302

    again = reset(client, code, new="another long sentence")
    assert again.status_code == 422 and GENERIC_REFUSAL in again.text
    assert log_in(app, "forgetful", NEW_PASSWORD)[1].status_code == 302
    assert db.session.scalar(select(PasswordReset)).used_at is not None


def test_an_expired_code_a_wrong_code_and_an_unknown_user_get_the_same_message(client, user_with_code):
    user, stored, code = user_with_code
    wrong_code = reset(client, "AAAA-BBBB-CCCC")
    unknown_user = reset(client, code, username="nobody")
    stored.expires_at = utc_now() - timedelta(seconds=1)
    db.session.commit()
    expired = reset(client, code)
    for response in (wrong_code, unknown_user, expired):
        assert response.status_code == 422 and GENERIC_REFUSAL in response.text
    db.session.refresh(user)
    assert not user.check_password(NEW_PASSWORD)
    refusals = db.session.scalars(select(AuditEvent).filter_by(action="reset_password_refused")).all()
    assert [(e.object_id, e.details) for e in refusals] == [
        (str(user.id), {"reason": "wrong_code"}),
        (str(user.id), {"reason": "expired_code"}),
    ]


def test_a_deactivated_users_code_no_longer_works(client, user_with_code):
    user, _stored, code = user_with_code
    user.is_active = False
    db.session.commit()
    assert reset(client, code).status_code == 422
    assert db.session.scalar(select(AuditEvent).filter_by(action="reset_password_refused")).details == {
        "reason": "inactive_user"
    }


def test_the_reset_form_checks_the_new_password_like_the_change_form(client, user_with_code):
    _user, _stored, code = user_with_code
    response = reset(client, code, new="forgetful")
    assert response.status_code == 422 and "Use at least 10 characters." in response.text
    response = reset(client, code, new="FORGETFUL1", again="FORGETFUL1")
    assert response.status_code == 302  # ten characters, not the user name


def test_no_password_or_code_reaches_the_log_or_the_audit_trail(app, client, login, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    login(Role.ADMIN, "boss")
    created = client.post(
        "/users/new",
        data={
            "username": "newcomer",
            "role": "trainer",
            "territory_id": "0",
            "language": "ru",
            "full_name": "",
            "email": "",
        },
    )
    code = created.text.split("<h2><code>")[1].split("</code>")[0]
    other = app.test_client()
    reset(other, "WRONG-CODE-0000", username="newcomer")
    reset(other, code, username="newcomer")
    _browser, response = log_in(app, "newcomer", NEW_PASSWORD)
    change(_browser, NEW_PASSWORD, "the next long sentence")
    secrets = [code, code.replace("-", ""), NEW_PASSWORD, "the next long sentence", "WRONG-CODE-0000"]
    assert [s for s in secrets if s in caplog.text or s.lower() in caplog.text.lower()] == []
    assert [s for s in secrets if s in audit_text()] == []
    assert {"create_user", "issue_reset_code", "reset_password_refused", "reset_password", "change_password"} <= set(
        audit_actions()
    )
