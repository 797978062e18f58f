"""A child's name and contacts live apart from the answers; only psychologists and admins read them, each read
audited."""

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentIdentity

IDENTITY = {
    "full_name": "Aibek Toktogulov",
    "guardian_name": "Gulnara Toktogulova",
    "guardian_phone": "+996 555 123 456",
    "address": "Osh, Lenin street 1",
}


def audit_actions() -> list[tuple[str, int]]:
    return [
        (e.action, e.user_id)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("%identity")).order_by(AuditEvent.id)
        )
    ]


@pytest.mark.parametrize("role", [Role.PSYCHOLOGIST, Role.ADMIN])
def test_a_psychologist_or_admin_enters_the_identity_and_every_read_is_audited(client, login, make_respondent, role):
    child = make_respondent()
    user = login(role)
    path = f"/respondents/{child.id}/identity"
    assert "No name or contact has been entered" in client.get(path).text
    assert audit_actions() == [], "nothing to read yet"

    assert client.post(path, data=IDENTITY).status_code == 302
    identity = db.session.scalar(select(RespondentIdentity))
    assert (identity.respondent_id, identity.full_name, identity.guardian_phone, identity.updated_by_id) == (
        child.id,
        "Aibek Toktogulov",
        "+996 555 123 456",
        user.id,
    )

    for _ in range(2):
        page = client.get(path).text
        assert "Aibek Toktogulov" in page and "Osh, Lenin street 1" in page
    assert audit_actions() == [("edit_identity", user.id), ("view_identity", user.id), ("view_identity", user.id)]


def test_a_correction_replaces_the_identity(client, login, make_respondent):
    child = make_respondent()
    login(Role.PSYCHOLOGIST)
    client.post(f"/respondents/{child.id}/identity", data=IDENTITY)
    client.post(f"/respondents/{child.id}/identity", data={**IDENTITY, "guardian_phone": "+996 700 000 000"})
    [identity] = db.session.scalars(select(RespondentIdentity)).all()
    db.session.refresh(identity)
    assert identity.guardian_phone == "+996 700 000 000"


def test_a_name_is_required(client, login, make_respondent):
    child = make_respondent()
    login(Role.ADMIN)
    response = client.post(f"/respondents/{child.id}/identity", data={**IDENTITY, "full_name": ""})
    assert response.status_code == 422 and db.session.scalar(select(RespondentIdentity)) is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TRAINER, Role.VIEWER])
def test_other_roles_can_neither_read_nor_write_it(client, login, make_respondent, role):
    child = make_respondent()
    login(role)
    assert client.get(f"/respondents/{child.id}/identity").status_code == 403
    assert client.post(f"/respondents/{child.id}/identity", data=IDENTITY).status_code == 403
    assert db.session.scalar(select(RespondentIdentity)) is None


def test_the_coordinator_registers_children_without_seeing_their_names(client, login, make_user, make_respondent):
    child = make_respondent()
    admin, _ = make_user(Role.ADMIN, "admin")
    db.session.add(RespondentIdentity(respondent_id=child.id, full_name="Aibek Toktogulov", updated_by_id=admin.id))
    db.session.commit()
    login(Role.COORDINATOR)
    page = client.get("/respondents/").text
    assert child.code in page and "Aibek" not in page and "/identity" not in page
