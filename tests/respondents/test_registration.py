"""A coordinator registers a respondent on the respondents page (issue 17: the POST never ran): a fresh
well-formed code is shown once in the flash, the respondent is stored with what was given, audited, and a form
with a wrong value registers nobody."""

import re

from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory


def test_a_coordinator_registers_a_child_and_is_shown_the_code(client, login):
    coordinator = login(Role.COORDINATOR)
    ensure_territories()
    db.session.commit()
    territory = db.session.scalar(select(Territory).order_by(Territory.code.desc()))
    response = client.post(
        "/respondents/",
        data={"kind": "child", "sex": "male", "birth_year": "2013", "territory_id": str(territory.id)},
        follow_redirects=True,
    )
    respondent = db.session.scalar(select(Respondent))
    assert (respondent.kind, respondent.sex, respondent.birth_year, respondent.territory_id) == (
        RespondentKind.CHILD,
        Sex.MALE,
        2013,
        territory.id,
    )
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{3}", respondent.code)
    assert f"code is {respondent.code}." in response.text  # shown once, in the flash
    event = db.session.scalar(select(AuditEvent).filter_by(action="register_respondent"))
    assert (event.user_id, event.object_id) == (coordinator.id, str(respondent.id))


def test_a_wrong_year_registers_nobody_and_shows_the_form_again(client, login):
    login(Role.COORDINATOR)
    response = client.post(
        "/respondents/", data={"kind": "child", "sex": "", "birth_year": "1850", "territory_id": "0"}
    )
    assert response.status_code == 422 and "Number must be between 1930 and 2030." in response.text
    assert db.session.scalar(select(func.count(Respondent.id))) == 0
