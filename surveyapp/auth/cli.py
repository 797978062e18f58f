import click
from flask.cli import AppGroup

from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.errors import DomainError
from surveyapp.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "full_name", default="")
@click.option("--email", default="")
@click.option("--language", type=click.Choice(["ky", "ru", "en"]), default="ru")
def create_command(username, role, full_name, email, language):
    """Create an account; its generated password is printed once, here."""
    try:
        user, password = create_user(username, Role(role), full_name, email, language)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} '{user.username}'. Password (shown once): {password}")
