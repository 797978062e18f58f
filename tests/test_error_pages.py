"""An unexpected error is a 500 that speaks the page's language: on the kiosk the tablet's, in the kiosk layout
with no link to staff pages; JSON on /api/; and nothing half-done is kept."""

from contextlib import suppress

import pytest
from flask import request, request_started
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.i18n import KIOSK_LANGUAGE_KEY
from surveyapp.respondents.models import Territory

STAFF_PAGES = ("/sessions/", "/reports/", "/respondents/", "/instruments/", "/alerts/", "/auth/")


@pytest.fixture
def crash_on(app, monkeypatch):
    """Make requests to ``path`` fail with an unexpected exception, after a failed statement and an unsaved row."""

    def fail(_sender, **_extra):
        if request.path in paths:
            db.session.add(Territory(code="TX", name="Half-done"))
            db.session.flush()
            with suppress(DBAPIError):
                db.session.execute(text("SELECT * FROM no_such_table"))  # on PostgreSQL: transaction aborted
            raise RuntimeError("simulated bug")

    paths = []
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    request_started.connect(fail, app)
    yield paths.append
    request_started.disconnect(fail, app)


def test_on_the_kiosk_a_500_is_in_the_tablets_language_and_links_to_no_staff_page(client, login, crash_on):
    login(Role.TRAINER)  # the trainer who set up the tablet is still logged in on it
    with client.session_transaction() as cookie:
        cookie[KIOSK_LANGUAGE_KEY] = "ru"
    crash_on("/kiosk/")
    response = client.get("/kiosk/")
    page = response.text
    assert response.status_code == 500
    assert '<html lang="ru">' in page
    assert "Что-то пошло не так." in page
    assert "Пожалуйста, верни планшет взрослому, который проводит опрос." in page
    assert 'href="/kiosk/"' in page
    assert not [link for link in STAFF_PAGES if f'"{link}' in page]
    assert db.session.scalar(select(func.count(Territory.id)).filter_by(code="TX")) == 0


def test_on_a_staff_page_a_500_keeps_the_staff_layout_in_the_users_language(client, login, crash_on):
    login(Role.COORDINATOR)
    crash_on("/sessions/")
    response = client.get("/sessions/")
    assert response.status_code == 500
    assert '<html lang="en">' in response.text and "Something went wrong." in response.text
    assert 'href="/sessions/"' in response.text, "the staff navigation, for the logged-in user"


def test_on_the_api_a_500_is_json(client, app_context, crash_on):
    crash_on("/api/submissions")
    response = client.post("/api/submissions", json={})
    assert response.status_code == 500
    assert response.json["error"] == "Internal Server Error" and "simulated" not in response.text
    assert db.session.scalar(select(func.count(Territory.id)).filter_by(code="TX")) == 0
