"""The duty roster, set by an admin on a page or with `flask alerts duty ...`."""

from sqlalchemy import select

from surveyapp.alerts.models import Duty
from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db


def duties() -> list[tuple[str, int | None, bool]]:
    db.session.expire_all()
    return [(d.user.username, d.territory_id, d.is_backup) for d in db.session.scalars(select(Duty).order_by(Duty.id))]


def test_an_admin_puts_staff_on_duty_and_takes_them_off(client, login, make_user, territory):
    login(Role.ADMIN)
    psychologist, _ = make_user(Role.PSYCHOLOGIST, "dilnoza")
    coordinator, _ = make_user(Role.COORDINATOR, "aigul")
    page = client.get("/alerts/duty").text
    assert "dilnoza (Psychologist)" in page and "aigul (Coordinator)" in page  # roles in words, not "psychologist"

    client.post("/alerts/duty", data={"user_id": psychologist.id, "territory_id": territory.id})
    client.post("/alerts/duty", data={"user_id": coordinator.id, "territory_id": 0, "is_backup": "y"})
    assert duties() == [("dilnoza", territory.id, False), ("aigul", None, True)]
    page = client.get("/alerts/duty").text
    assert "Whole city" in page and territory.name in page

    duty = db.session.scalar(select(Duty).filter_by(is_backup=True))
    assert client.post(f"/alerts/duty/{duty.id}/remove").status_code == 302
    assert duties() == [("dilnoza", territory.id, False)]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%duty"))).all()
    assert actions == ["put_on_duty", "put_on_duty", "take_off_duty"]


def test_only_psychologists_are_on_duty_and_the_same_duty_is_not_given_twice(client, login, make_user):
    login(Role.ADMIN)
    coordinator, _ = make_user(Role.COORDINATOR, "aigul")
    response = client.post("/alerts/duty", data={"user_id": coordinator.id, "territory_id": 0})
    assert response.status_code == 422 and "Only psychologists are on duty" in response.text
    psychologist, _ = make_user(Role.PSYCHOLOGIST, "dilnoza")
    client.post("/alerts/duty", data={"user_id": psychologist.id, "territory_id": 0})
    assert client.post("/alerts/duty", data={"user_id": psychologist.id, "territory_id": 0}).status_code == 409
    assert duties() == [("dilnoza", None, False)]


def test_only_an_admin_edits_the_roster(client, login):
    login(Role.PSYCHOLOGIST)
    assert client.get("/alerts/duty").status_code == 403


def test_the_roster_on_the_command_line(runner, make_user, territory):
    make_user(Role.PSYCHOLOGIST, "dilnoza")
    result = runner.invoke(args=["alerts", "duty", "add", "dilnoza", "--territory", territory.code])
    assert result.exit_code == 0, result.output
    assert f"dilnoza is on duty for {territory.code}." in result.output
    assert "no e-mail address" in result.output
    listing = runner.invoke(args=["alerts", "duty", "list"]).output
    assert f"on duty\t{territory.code}\tdilnoza" in listing

    assert runner.invoke(args=["alerts", "duty", "add", "dilnoza", "--territory", territory.code]).exit_code == 1
    assert runner.invoke(args=["alerts", "duty", "add", "nobody"]).exit_code == 1
    assert runner.invoke(args=["alerts", "duty", "remove", "dilnoza"]).exit_code == 1, "not on city duty"
    assert runner.invoke(args=["alerts", "duty", "remove", "dilnoza", "--territory", territory.code]).exit_code == 0
    assert duties() == []


def test_a_trainer_cannot_be_a_backup(runner, make_user):
    make_user(Role.TRAINER, "timur")
    result = runner.invoke(args=["alerts", "duty", "add", "timur", "--backup"])
    assert result.exit_code == 1 and "backups are psychologists or coordinators" in result.output


def test_the_demo_puts_a_psychologist_on_duty_and_a_backup(runner, app_context):
    assert runner.invoke(args=["instruments", "load"]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "user 'psychologist', password (shown once)" in first.output
    assert "user 'backup', password (shown once)" in first.output
    assert duties() == [("psychologist", None, False), ("backup", None, True)]
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "psychologist" not in again.output
