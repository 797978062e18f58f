"""Need-to-know (issue 15, item 4): a psychologist of one territorial administration sees the alerts and the
children's identities of that territory only; one of the whole city sees all."""

import pytest
from sqlalchemy import select

from surveyapp.alerts.models import Alert
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory
from surveyapp.respondents.services import save_identity
from tests.alerts.conftest import WORRIED_NOW
from tests.factories import mood_instrument


@pytest.fixture
def alerts_in_two_territories(publish, make_session, make_respondent, submit, territory):
    """An acute alert at a session in territory 1 and one at a session in territory 2."""
    version = publish(mood_instrument())
    territories = list(db.session.scalars(select(Territory).order_by(Territory.code)))[:2]
    alerts = {}
    for place in territories:
        session = make_session([version])
        session.territory_id = place.id
        child = make_respondent()
        child.territory_id = place.id
        db.session.commit()
        submission = submit(session, child, WORRIED_NOW)
        alerts[place.code] = db.session.scalar(select(Alert).filter_by(submission_id=submission.id))
    return territories, alerts


def psychologist_of(login, territory):
    user = login(Role.PSYCHOLOGIST, f"psychologist-{territory.code if territory else 'city'}")
    user.territory_id = territory.id if territory else None
    db.session.commit()
    return user


def test_a_psychologist_of_one_territory_sees_its_alerts_and_children_only(client, login, alerts_in_two_territories):
    (own, other), alerts = alerts_in_two_territories
    psychologist_of(login, own)
    own_alert, other_alert = alerts[own.code], alerts[other.code]
    inbox = client.get("/alerts/").text
    assert f'/alerts/{own_alert.id}"' in inbox and f'/alerts/{other_alert.id}"' not in inbox
    assert client.get(f"/alerts/{own_alert.id}").status_code == 200
    assert client.get(f"/alerts/{other_alert.id}").status_code == 404
    assert client.post(f"/alerts/{other_alert.id}/acknowledge").status_code == 404
    other_child = other_alert.submission.respondent
    assert client.get(f"/respondents/{other_child.id}/identity").status_code == 404
    assert client.get(f"/respondents/{own_alert.submission.respondent.id}/identity").status_code == 200


def test_a_psychologist_of_the_whole_city_sees_every_alert_and_child(client, login, alerts_in_two_territories):
    _territories, alerts = alerts_in_two_territories
    user = psychologist_of(login, None)
    inbox = client.get("/alerts/").text
    for alert in alerts.values():
        assert f'/alerts/{alert.id}"' in inbox
        assert client.get(f"/alerts/{alert.id}").status_code == 200
        save_identity(
            alert.submission.respondent, full_name="Name", guardian_name="", guardian_phone="", address="", by=user
        )
        db.session.commit()
        assert "Name" in client.get(f"/respondents/{alert.submission.respondent.id}/identity").text
