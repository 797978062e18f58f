"""`flask demo seed`: what a new installation needs to be tried at once - territories, a first admin, demo
psychologists and a demo trainer, a demo session with the shipped children's questionnaires (counted for the
work plan's events with children when the work plan is loaded), and a few respondent codes to answer it with."""

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from surveyapp.activities.queries import activities_by_code
from surveyapp.alerts.roster import put_on_duty
from surveyapp.auth.models import Role, User
from surveyapp.auth.services import create_user
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.queries import newest_version
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.sessions.services import plan_session
from surveyapp.transactions import run_in_transaction

demo_cli = AppGroup("demo", help="Demo data for trying the service.")

TERRITORY_COUNT = 7
DEMO_TRAINER = "trainer"
CHILDREN_EVENTS = "children_events"
"""The work-plan activity (workplan.yaml) whose participants the children's sessions count."""
DEMO_SESSION_TITLE = "Demo: children's baseline survey"
DEMO_CHILDREN = 5
CHILDREN_ORDER = ("rses", "who5", "cyrmr", "asq", "violence", "satisfaction")


@demo_cli.command("seed")
def seed_command() -> None:
    """Idempotent: only what is missing is created; the admin password is printed only when it is created."""
    run_in_transaction(_seed_what_is_missing)


def _seed_what_is_missing() -> None:
    ensure_territories()
    if db.session.scalar(select(func.count(User.id)).filter_by(role=Role.ADMIN)) == 0:
        _admin, admin_password = create_user("admin", Role.ADMIN, full_name="Administrator")
        click.echo(f"First admin account: user 'admin', password (shown once): {admin_password}")
    if db.session.scalar(select(User.id).filter_by(username="psychologist")) is None:
        _demo_duty()
    _trainer, password = demo_trainer()
    if password:
        echo_trainer_password(password)
    session = db.session.scalar(select(SurveySession).filter_by(title=DEMO_SESSION_TITLE))
    if session is None:
        territory = db.session.execute(select(Territory).order_by(Territory.code).limit(1)).scalar_one()
        session = _demo_session(territory)
        codes = [_demo_child(i, territory).code for i in range(DEMO_CHILDREN)]
        click.echo(f"Demo session join code: {session.join_code_shown}; demo children's codes: {', '.join(codes)}")


def ensure_territories() -> None:
    """The seven territorial administrations of Osh; an admin gives them their real names."""
    existing = set(db.session.scalars(select(Territory.code)))
    for number in range(1, TERRITORY_COUNT + 1):
        code = f"T{number}"
        if code not in existing:
            db.session.add(Territory(code=code, name=f"Аймактык башкармалык {number}"))
    db.session.flush()


def demo_trainer() -> tuple[User, str | None]:
    """The demo trainer, who runs the demo programme's staff training; the password only when the account is
    created now (it is shown once)."""
    trainer = db.session.scalar(select(User).filter_by(username=DEMO_TRAINER))
    if trainer is not None:
        return trainer, None
    return create_user(DEMO_TRAINER, Role.TRAINER, full_name="Demo trainer")


def echo_trainer_password(password: str) -> None:
    click.echo(f"Demo trainer: user '{DEMO_TRAINER}', password (shown once): {password}")


def _newest_version(code: str) -> InstrumentVersion:
    version = newest_version(code)
    assert version is not None, "an instrument is stored with its first version"
    return version


def _demo_session(territory: Territory) -> SurveySession:
    """The newest version of each children's instrument, in the order a child meets them."""
    codes = db.session.scalars(select(Instrument.code).filter_by(respondent_kind="child")).all()
    if not codes:
        raise click.ClickException("No children's instrument is published: run `flask instruments load` first.")
    ordered = sorted(codes, key=lambda code: (CHILDREN_ORDER + (code,)).index(code))
    events = activities_by_code().get(CHILDREN_EVENTS)
    return plan_session(
        title=DEMO_SESSION_TITLE,
        held_on=date.today(),
        place="School 1, Osh",
        wave=Wave.BASELINE,
        territory_id=territory.id,
        trainer_id=None,
        instrument_version_ids=[_newest_version(code).id for code in ordered],
        respondent_kind=RespondentKind.CHILD,
        activity_id=events.id if events else None,
    )


def _demo_duty() -> None:
    """A psychologist on duty for the whole city and a backup, so that a positive screen is e-mailed at once and
    escalated when ignored (the e-mails go to the development SMTP server, see the README)."""
    for username, is_backup in (("psychologist", False), ("backup", True)):
        user, password = create_user(
            username, Role.PSYCHOLOGIST, full_name=f"Demo {username}", email=f"{username}@example.org"
        )
        put_on_duty(user, None, is_backup)
        role = "backup psychologist" if is_backup else "psychologist on duty"
        click.echo(f"Demo {role}: user '{username}', password (shown once): {password}")


def _demo_child(index: int, territory: Territory) -> Respondent:
    sex = Sex.FEMALE if index % 2 == 0 else Sex.MALE
    return respondents.register(RespondentKind.CHILD, sex, date.today().year - 11 - index % 5, territory)
