from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.respondents.models import Territory
from surveyapp.transactions import run_in_transaction

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "full_name", default="")
@click.option("--email", default="")
@click.option("--language", type=click.Choice(["ky", "ru", "en"]), default="ru")
@click.option(
    "--territory",
    "territory_code",
    help="Territory code (T1 ... T7) of a trainer or psychologist; default: the whole city.",
)
def create_command(username, role, full_name, email, language, territory_code):
    """Create an account; its generated password is printed once, here."""
    territory = None
    if territory_code is not None:
        territory = db.session.scalar(select(Territory).filter_by(code=territory_code))
        if territory is None:
            raise click.ClickException(f"No territory has the code {territory_code}.")
    try:
        user, password = run_in_transaction(
            partial(create_user, username, Role(role), full_name, email, language, territory)
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Created {user.role} '{user.username}'. Password (shown once): {password}")
