"""The inbox's order - new alerts first, then the most severe, then the newest (ties: the later alert first) -
kept by the rank the database computes, as alerts are acknowledged and closed and a level is corrected after they
were raised; pages of 50 without counting every alert (issue 14, target 2)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from surveyapp.alerts.models import Alert, AlertLevel, Outcome
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from tests.alerts.conftest import WORRIED, WORRIED_NOW
from tests.statements import counted_statements

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def psychologist(login):
    return login(Role.PSYCHOLOGIST, "nurlan")


@pytest.fixture
def story(psychologist, on_duty, raise_alert) -> dict[str, Alert]:
    """Seven alerts raised in the order of their names (so ids grow a to g), then taken through their states.
    Hours after MONDAY in brackets; a and g were raised at the same moment.

    a acute, new (0)              e acute, closed (2)
    b non-acute, new (5)          f non-acute, acknowledged (4)
    c acute, acknowledged (3)     g acute, new (0)
    d raised non-acute, new; its level corrected to referral afterwards (6)
    """
    raised = {
        "a": (WORRIED_NOW, 0),
        "b": (WORRIED, 5),
        "c": (WORRIED_NOW, 3),
        "d": (WORRIED, 6),
        "e": (WORRIED_NOW, 2),
        "f": (WORRIED, 4),
        "g": (WORRIED_NOW, 0),
    }
    alerts = {}
    for name, (answers, hours) in raised.items():
        alerts[name] = raise_alert(answers)
        alerts[name].created_at = MONDAY + timedelta(hours=hours)
    db.session.commit()
    later = MONDAY + timedelta(days=1)
    for name in "cef":
        alerts[name].acknowledge(psychologist, later)
    alerts["e"].close(Outcome.SUPPORTED, "", psychologist, later)
    alerts["d"].level = AlertLevel.REFERRAL
    db.session.commit()
    return alerts


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("open", "gabdcf"),
        ("all", "gabdcef"),
        ("new", "gabd"),
        ("acknowledged", "cf"),
        ("closed", "e"),
    ],
)
def test_the_inbox_lists_new_alerts_first_then_the_most_severe_then_the_newest(client, story, shown, expected):
    listed = _alert_ids(client.get(f"/alerts/?state={shown}").text)
    assert listed == [story[name].id for name in expected]


def test_an_alert_moves_down_the_open_inbox_when_it_is_acknowledged(client, psychologist, story):
    story["a"].acknowledge(psychologist, MONDAY + timedelta(days=2))
    db.session.commit()
    listed = _alert_ids(client.get("/alerts/").text)
    assert listed == [story[name].id for name in "gbdcaf"]


@pytest.mark.parametrize(("shown", "expected"), [("open", "gbcf"), ("all", "gbcef")])
def test_a_coordinator_sees_the_escalated_alerts_in_the_same_order(client, login, story, shown, expected):
    for name in "bcefg":
        story[name].escalation_level = 1
    db.session.commit()
    login(Role.COORDINATOR)
    listed = _alert_ids(client.get(f"/alerts/?state={shown}").text)
    assert listed == [story[name].id for name in expected]


def test_the_inbox_shows_50_alerts_a_page_and_an_older_page_costs_what_the_first_does(
    app, client, psychologist, on_duty, raise_alert
):
    raised = [raise_alert(WORRIED_NOW).id for _ in range(50)]
    assert "Older</a>" not in client.get("/alerts/").text
    raised.append(raise_alert(WORRIED_NOW).id)
    first = client.get("/alerts/").text
    assert _alert_ids(first) == raised[:0:-1] and "Newer</a>" not in first
    older_url = _link(first, "Older")
    older = client.get(older_url).text
    assert _alert_ids(older) == raised[:1] and "Older</a>" not in older
    assert _alert_ids(client.get(_link(older, "Newer")).text) == raised[:0:-1]
    assert len(_statements_of(app, client, older_url)) == len(_statements_of(app, client, "/alerts/"))


def test_the_migration_ranks_the_alerts_a_database_already_has_and_is_undone(app, client, story):
    ids = {name: alert.id for name, alert in story.items()}
    db.session.close()
    try:
        downgrade(revision="1a2b3c4d5e63")
        assert "inbox_rank" not in [column["name"] for column in inspect(db.engine).get_columns("alert")]
        assert not {"ix_alert_inbox", "ix_alert_inbox_escalated"} & {
            index["name"] for index in inspect(db.engine).get_indexes("alert")
        }
    finally:
        upgrade()
    ranks = dict(db.session.execute(select(Alert.id, Alert.inbox_rank)).all())
    assert ranks == {ids["a"]: 0, ids["b"]: 1, ids["c"]: 3, ids["d"]: 2, ids["e"]: 3, ids["f"]: 4, ids["g"]: 0}
    assert _alert_ids(client.get("/alerts/?state=all").text) == [ids[name] for name in "gabdcef"]


def _alert_ids(page: str) -> list[int]:
    """The alerts listed in the inbox's table, in its order."""
    return [int(alert_id) for alert_id in re.findall(r'<td><a href="/alerts/(\d+)">', page)]


def _link(page: str, text: str) -> str:
    return re.search(rf'<a href="([^"]+)">{text}</a>', page).group(1).replace("&amp;", "&")


def _statements_of(app, client, url: str) -> list[str]:
    with app.app_context(), counted_statements() as statements:
        assert client.get(url).status_code == 200
    return statements
