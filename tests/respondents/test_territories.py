"""The admin gives the seven territorial administrations their real names; every rename is audited."""

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory


@pytest.fixture
def territory(app_context):
    ensure_territories()
    db.session.commit()
    return db.session.scalar(select(Territory).filter_by(code="T1"))


def test_an_admin_renames_a_territorial_administration(client, login, territory):
    admin = login(Role.ADMIN)
    assert "Аймактык башкармалык 1" in client.get("/respondents/territories").text
    response = client.post(f"/respondents/territories/{territory.id}", data={"name": "  Test name  "})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Territory, territory.id).name == "Test name"
    event = db.session.scalar(select(AuditEvent).filter_by(action="rename_territory"))
    assert (event.user_id, event.details) == (admin.id, {"from": "Аймактык башкармалык 1", "to": "Test name"})


def test_an_empty_name_is_refused_and_the_old_one_kept(client, login, territory):
    login(Role.ADMIN)
    response = client.post(f"/respondents/territories/{territory.id}", data={"name": ""})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Territory, territory.id).name == "Аймактык башкармалык 1"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PSYCHOLOGIST, Role.TRAINER, Role.VIEWER])
def test_only_an_admin_renames(client, login, territory, role):
    login(role)
    assert client.get("/respondents/territories").status_code == 403
    assert client.post(f"/respondents/territories/{territory.id}", data={"name": "X"}).status_code == 403
