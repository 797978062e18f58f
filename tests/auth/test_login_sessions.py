"""Staff log-ins end (issue 15): a copied cookie dies at log-out, after the idle timeout and the absolute lifetime;
wrong passwords lock an account out for a while and are audited; an unknown user name costs a password check."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from surveyapp.audit.models import AuditEvent
from surveyapp.auth import login_sessions, services
from surveyapp.auth.models import LoginSession, Role, User
from surveyapp.db import utc_now
from surveyapp.extensions import db

STAFF_PAGE = "/sessions/"


def copy_of_cookie(app, client):
    """A second browser holding the same session cookie, as an attacker who copied it would."""
    other = app.test_client()
    with client.session_transaction() as cookie:
        copied = dict(cookie)
    with other.session_transaction() as cookie:
        cookie.update(copied)
    return other


def sent_to_log_in(client) -> bool:
    response = client.get(STAFF_PAGE)
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def refusals() -> list[tuple[str, dict]]:
    db.session.expire_all()
    return [
        (event.action, event.details)
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(("login_refused", "lock_out"))).order_by(AuditEvent.id)
        )
    ]


def test_a_copied_cookie_is_dead_after_log_out(app, client, login):
    login(Role.PSYCHOLOGIST)
    copy = copy_of_cookie(app, client)
    assert copy.get(STAFF_PAGE).status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert sent_to_log_in(copy)
    assert sent_to_log_in(client)


def test_the_cookie_holds_a_random_token_not_the_user_id(client, login):
    login(Role.COORDINATOR)
    with client.session_transaction() as cookie:
        token = cookie["_user_id"]
    assert len(token) >= 40
    stored = db.session.scalar(select(LoginSession.token_hash))
    assert stored != token and len(stored) == 64  # only the token's hash is kept


@pytest.mark.parametrize(("idle_minutes", "still_in"), [(29, True), (31, False)])
def test_an_idle_log_in_ends_after_30_minutes(client, login, idle_minutes, still_in):
    login(Role.TRAINER)
    with client.session_transaction() as cookie:
        cookie[login_sessions.SEEN_AT_KEY] -= idle_minutes * 60
    assert sent_to_log_in(client) is not still_in


@pytest.mark.parametrize(("hours", "still_in"), [(11.9, True), (12.1, False)])
def test_a_log_in_ends_after_12_hours_however_busy(client, login, hours, still_in):
    login(Role.COORDINATOR)
    db.session.execute(update(LoginSession).values(created_at=utc_now() - timedelta(hours=hours)))
    db.session.commit()
    assert sent_to_log_in(client) is not still_in


def test_a_deactivated_users_log_ins_end(client, login):
    user = login(Role.PSYCHOLOGIST)
    user.is_active = False
    db.session.commit()
    assert sent_to_log_in(client)


def test_ten_wrong_passwords_lock_the_account_and_each_refusal_is_audited(app, client, make_user):
    user, password = make_user(Role.PSYCHOLOGIST, "targeted")
    for _attempt in range(services.MAX_FAILED_LOGINS):
        response = client.post("/auth/login", data={"username": "targeted", "password": "guess"})
        assert response.status_code == 401
    right = client.post("/auth/login", data={"username": "targeted", "password": password})
    assert right.status_code == 401  # locked out: the right password is refused too
    assert [action for action, _details in refusals()] == ["login_refused"] * 10 + ["lock_out", "login_refused"]
    assert refusals()[-1][1] == {"reason": "locked_out", "client": "127.0.0.1"}
    assert password not in str(refusals())

    db.session.execute(update(User).values(locked_until=utc_now() - timedelta(seconds=1)))
    db.session.commit()
    assert client.post("/auth/login", data={"username": "targeted", "password": password}).status_code == 302


def test_a_right_password_resets_the_count_of_wrong_ones(client, make_user):
    _user, password = make_user(Role.TRAINER, "forgetful")
    for _round in range(2):
        for _attempt in range(services.MAX_FAILED_LOGINS - 1):
            client.post("/auth/login", data={"username": "forgetful", "password": "nearly"})
        assert client.post("/auth/login", data={"username": "forgetful", "password": password}).status_code == 302
        client.post("/auth/logout")
    assert "lock_out" not in [action for action, _details in refusals()]


def test_an_unknown_user_name_costs_a_password_check_and_is_audited_without_the_name(app_context, client, monkeypatch):
    checked = []
    real_check = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: checked.append(1) or real_check(*args))
    response = client.post("/auth/login", data={"username": "my secret password", "password": "x"})
    assert response.status_code == 401 and checked == [1]
    assert refusals() == [("login_refused", {"reason": "unknown_user", "client": "127.0.0.1"})]


def test_a_new_password_keeps_this_log_in_and_ends_the_others(app, client, login, make_user):
    _user, password = make_user(Role.TRAINER, "two-laptops")
    client.post("/auth/login", data={"username": "two-laptops", "password": password})
    other_laptop = app.test_client()
    other_laptop.post("/auth/login", data={"username": "two-laptops", "password": password})
    new = "a long new sentence"
    response = client.post(
        "/auth/password", data={"current_password": password, "new_password": new, "confirm_password": new}
    )
    assert response.status_code == 302
    assert not sent_to_log_in(client)
    assert sent_to_log_in(other_laptop)
