from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy import select

from surveyapp.alerts import roster
from surveyapp.alerts.models import Duty
from surveyapp.alerts.worker import run_pass, work
from surveyapp.auth.models import User
from surveyapp.db import utc_now
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory
from surveyapp.transactions import run_in_transaction
from surveyapp.workers import run_until_stopped

alerts_cli = AppGroup("alerts", help="Risk alerts: the worker that sends e-mails and escalates, the duty roster.")
duty_cli = AppGroup("duty", help="Who is told about alerts.")
alerts_cli.add_command(duty_cli)


@alerts_cli.command("tick")
def tick_command() -> None:
    """One pass: escalate overdue alerts, send the e-mails that are due."""
    click.echo(str(run_pass(utc_now())))


@alerts_cli.command("work")
@click.option("--interval", type=float, default=None, help="Seconds between passes (default WORKER_INTERVAL_SECONDS).")
def work_command(interval: float | None) -> None:
    """Pass after pass until stopped with SIGTERM or Ctrl-C; the current pass is finished first."""
    run_until_stopped("alerts worker", work, interval)


@duty_cli.command("list")
def list_duty_command() -> None:
    for duty in roster.roster():
        where = duty.territory.code if duty.territory else "whole city"
        email = duty.user.email or "NO E-MAIL: sees alerts only in the service"
        click.echo(f"{'backup' if duty.is_backup else 'on duty'}\t{where}\t{duty.user.username}\t{email}")


@duty_cli.command("add")
@click.argument("username")
@click.option("--territory", "territory_code", help="Territory code (T1 ... T7); default: the whole city.")
@click.option("--backup", is_flag=True, help="Told when an alert is not acknowledged in time.")
def add_duty_command(username: str, territory_code: str | None, backup: bool) -> None:
    user, territory = _user(username), _territory(territory_code)
    try:
        run_in_transaction(partial(roster.put_on_duty, user, territory, backup))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(
        f"{username} is {'a backup' if backup else 'on duty'} for {territory.code if territory else 'the whole city'}."
    )
    if not user.email:
        click.echo(f"Warning: {username} has no e-mail address and will see alerts only in the service.", err=True)


@duty_cli.command("remove")
@click.argument("username")
@click.option("--territory", "territory_code")
@click.option("--backup", is_flag=True)
def remove_duty_command(username: str, territory_code: str | None, backup: bool) -> None:
    user, territory = _user(username), _territory(territory_code)
    duty = db.session.scalar(
        select(Duty).filter_by(user_id=user.id, territory_id=territory.id if territory else None, is_backup=backup)
    )
    if duty is None:
        raise click.ClickException(f"{username} has no such duty.")
    run_in_transaction(partial(roster.take_off_duty, duty))
    click.echo(f"{username} is off this duty.")


def _user(username: str) -> User:
    user = db.session.scalar(select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"No user is called {username}.")
    return user


def _territory(code: str | None) -> Territory | None:
    if code is None:
        return None
    territory = db.session.scalar(select(Territory).filter_by(code=code))
    if territory is None:
        raise click.ClickException(f"No territory has the code {code}.")
    return territory
