"""CSRF protection is on for every form; only the JSON intake, which no cookie authenticates, is exempt."""

import pytest

from surveyapp import create_app
from tests.processes import TEST_SECRET_KEY


@pytest.fixture
def csrf_client(app):
    protected = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": TEST_SECRET_KEY,
        }
    )
    client = protected.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/auth/login",
        "/kiosk/",
        "/kiosk/assent",
        "/kiosk/start-over",
        "/kiosk/language",
        "/auth/language",
        "/auth/reset",
        "/auth/password",
        "/users/new",
        "/users/1",
        "/users/1/reset-code",
    ],
)
def test_a_form_posted_without_its_token_is_refused(csrf_client, path):
    response = csrf_client.post(
        path,
        data={
            "username": "x",
            "password": "y",
            "join_code": "123456",
            "respondent_code": "K4M7-P9X",
            "answer": "yes",
            "language": "ky",
        },
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_the_log_in_form_carries_a_token(csrf_client):
    assert 'name="csrf_token"' in csrf_client.get("/auth/login").text


def test_the_json_intake_needs_no_token_but_still_validates(csrf_client):
    response = csrf_client.post("/api/submissions", json={})
    assert response.status_code == 422
