import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from surveyapp.backup.services import BackupError, create_backup, new_key, restore_backup

backup_cli = AppGroup("backup", help="Backups of the whole database, and restoring one into an empty database.")
KEY_HELP = "Encrypt with this Fernet key (default: the BACKUP_KEY environment variable; none: not encrypted)."


@backup_cli.command("create")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="The file to write (default: instance/backups/surveyapp-<UTC time>.backup).",
)
@click.option("--key", default=lambda: os.environ.get("BACKUP_KEY"), help=KEY_HELP)
def create_command(output: Path | None, key: str | None) -> None:
    """A consistent backup, taken while the service runs."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    output = output or Path(current_app.instance_path) / "backups" / f"surveyapp-{stamp}.backup"
    _run(lambda: create_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], output, key))
    click.echo(f"{output} ({'encrypted' if key else 'not encrypted'})")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", default=lambda: os.environ.get("BACKUP_KEY"), help="The key of an encrypted backup.")
def restore_command(source: Path, key: str | None) -> None:
    """Restore SOURCE into the (empty) database of DATABASE_URL; then run `flask db upgrade`."""
    _run(lambda: restore_backup(source, current_app.config["SQLALCHEMY_DATABASE_URI"], key))
    click.echo(f"restored {source}; now run: flask --app wsgi db upgrade")


@backup_cli.command("new-key")
def new_key_command() -> None:
    """A new random key for encrypted backups: keep it apart from the backups (a password manager, a safe)."""
    click.echo(new_key())


def _run(action: Callable[[], object]) -> None:
    try:
        action()
    except BackupError as error:
        raise click.ClickException(str(error)) from None
