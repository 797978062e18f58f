from pathlib import Path

import click
import yaml
from flask.cli import AppGroup

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments.services import DEFINITIONS_DIR, publish_version

instruments_cli = AppGroup("instruments", help="Load and publish instrument versions.")


@instruments_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Publish instrument files (default: every shipped file). Each file is stored or refused on its own."""
    failures = sum(not _publish_file(path) for path in paths or sorted(DEFINITIONS_DIR.glob("*.yaml")))
    if failures:
        raise click.ClickException(f"{failures} file(s) refused; nothing was changed for them.")


def _publish_file(path: Path) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        version, created = publish_version(data, source_file=path.name)
    except yaml.YAMLError as error:
        click.echo(f"{path.name}: refused: not valid YAML: {error}", err=True)
        return False
    except DomainError as error:
        db.session.rollback()
        click.echo(f"{path.name}: refused: {error.message}", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        return False
    db.session.commit()
    click.echo(f"{path.name}: {version.label} {'published' if created else 'unchanged'}")
    return True
