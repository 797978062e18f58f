"""Hardening (issue 15, item 5): security headers, no caching of pages with children's data, private files, and
no weak secret key outside tests."""

import re
import stat
from pathlib import Path

import pytest

from surveyapp import create_app
from surveyapp.auth.models import Role
from surveyapp.security import WeakSecretKey
from tests.processes import TEST_SECRET_KEY

TEMPLATES = Path(__file__).resolve().parents[1] / "surveyapp" / "templates"


def test_every_page_carries_the_security_headers_and_is_never_cached(client, login):
    login(Role.COORDINATOR)
    for path in ("/sessions/", "/respondents/", "/reports/download?format=csv", "/kiosk/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store", path
        assert "Strict-Transport-Security" not in response.headers  # plain http: HSTS would lock users out


def test_static_files_stay_cacheable(client):
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_when_the_service_is_public_over_https(app, client):
    app.config["PUBLIC_URL"] = "https://survey.example.kg"
    try:
        assert client.get("/auth/login").headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"


def test_no_template_holds_inline_script_or_style_which_the_policy_would_block():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"")
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("weak", ["x", "changeme", "a" * 64, ""])
def test_a_weak_secret_key_is_refused_outside_tests(tmp_path, weak):
    with pytest.raises(WeakSecretKey):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": weak})


def test_the_sqlite_file_and_the_instance_folder_are_readable_by_their_owner_alone(tmp_path):
    database = tmp_path / "children.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": TEST_SECRET_KEY})
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(app.instance_path).stat().st_mode) == 0o700
