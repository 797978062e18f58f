"""One transaction per request (surveyapp/transactions.py, run_view): a view's writes are committed after it
returns and rolled back when it raises; a GET commits nothing but the audit of what it showed.

The requests of a test share the test's app context, hence its database session (tests/conftest.py): a write
that a failed request forgot to roll back is still visible to the test's own queries, so the counts below see
both a commit that should not have happened and a rollback that did not.
"""

import pytest
from flask import render_template
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.demo import ensure_territories
from surveyapp.errors import Conflict
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import Respondent, Territory
from surveyapp.transactions import after_the_view, run_in_transaction

REGISTRATION = {"kind": "child", "sex": "female", "birth_year": "2013", "territory_id": "0"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit_actions() -> list[tuple[str, str]]:
    return list(db.session.execute(select(AuditEvent.action, AuditEvent.object_type).order_by(AuditEvent.id)))


def test_a_post_is_committed_after_its_view(client, login):
    """The respondent registration form: the child and the audit row of the registration are stored."""
    login(Role.COORDINATOR)
    response = client.post("/respondents/", data=REGISTRATION)
    assert response.status_code == 302, response.text
    db.session.rollback()  # only what was committed remains
    assert db.session.scalars(select(Respondent.birth_year)).all() == [2013]
    assert ("register_respondent", "Respondent") in _audit_actions()


def test_a_view_that_raises_after_writing_leaves_nothing_behind(client, login, monkeypatch):
    login(Role.COORDINATOR)
    audit_rows_before = _count(AuditEvent)

    def fail_after_the_write(*_arguments, **_keywords):
        raise RuntimeError("a bug after the respondent was added")

    monkeypatch.setattr("surveyapp.respondents.views.flash", fail_after_the_write)
    with pytest.raises(RuntimeError):
        client.post("/respondents/", data=REGISTRATION)
    assert _count(Respondent) == 0
    assert _count(AuditEvent) == audit_rows_before


def test_a_domain_error_after_a_write_answers_its_page_and_leaves_nothing_behind(client, login, monkeypatch):
    login(Role.COORDINATOR)
    audit_rows_before = _count(AuditEvent)

    def refuse_after_the_write(*_arguments, **_keywords):
        raise Conflict("refused after the respondent was added")

    monkeypatch.setattr("surveyapp.respondents.views.flash", refuse_after_the_write)
    response = client.post("/respondents/", data=REGISTRATION)
    assert response.status_code == 409
    assert "refused after the respondent was added" in response.text
    assert _count(Respondent) == 0
    assert _count(AuditEvent) == audit_rows_before


@pytest.fixture
def identity_page(login, make_respondent):
    """An admin, logged in, and the page of a child's name and contacts; returns the child's identity."""
    admin = login(Role.ADMIN)
    child = make_respondent()
    identity = respondents.save_identity(
        child, full_name="Aida Example", guardian_name="", guardian_phone="", address="", by=admin
    )
    db.session.commit()
    return f"/respondents/{child.id}/identity", identity


def test_a_get_writes_nothing_but_the_audit_of_what_it_showed(client, identity_page, monkeypatch):
    path, identity = identity_page
    audit_before = _audit_actions()

    def render_after_a_stray_write(*arguments, **keywords):
        db.session.add(Territory(code="T99", name="Written by a GET"))
        db.session.flush()
        return render_template(*arguments, **keywords)

    monkeypatch.setattr("surveyapp.respondents.views.render_template", render_after_a_stray_write)
    response = client.get(path)
    assert response.status_code == 200
    assert "Aida Example" in response.text
    assert db.session.scalar(select(Territory).filter_by(code="T99")) is None
    assert _audit_actions() == [*audit_before, ("view_identity", "RespondentIdentity")]
    assert db.session.scalar(select(AuditEvent.object_id).order_by(AuditEvent.id.desc()).limit(1)) == str(identity.id)


def test_a_get_that_raises_writes_no_audit_of_a_page_never_shown(client, identity_page, monkeypatch):
    path, _identity = identity_page
    audit_before = _audit_actions()

    def fail_to_render(*_arguments, **_keywords):
        raise RuntimeError("the page was never made")

    monkeypatch.setattr("surveyapp.respondents.views.render_template", fail_to_render)
    with pytest.raises(RuntimeError):
        client.get(path)
    assert _audit_actions() == audit_before


def test_outside_a_view_after_the_view_writes_at_once_in_the_current_transaction(app_context):
    ensure_territories()
    after_the_view(lambda: db.session.add(Territory(code="T99", name="Added now")))
    assert db.session.scalar(select(Territory.name).filter_by(code="T99")) == "Added now"
    db.session.rollback()
    assert db.session.scalar(select(Territory).filter_by(code="T99")) is None, "not committed on its own"


def test_a_unit_of_work_is_committed_when_it_returns(app_context):
    def add_territory() -> str:
        db.session.add(Territory(code="T99", name="Kept"))
        return "returned"

    assert run_in_transaction(add_territory) == "returned"
    db.session.rollback()
    assert db.session.scalar(select(Territory.name).filter_by(code="T99")) == "Kept"


def test_a_unit_of_work_that_raises_is_rolled_back_whole(app_context):
    def add_then_fail() -> None:
        db.session.add(Territory(code="T98", name="Lost"))
        db.session.flush()
        raise KeyboardInterrupt  # Ctrl-C in a CLI command: not an Exception, rolled back all the same

    with pytest.raises(KeyboardInterrupt):
        run_in_transaction(add_then_fail)
    assert _count(Territory) == 0
