from functools import partial
from pathlib import Path

import click
import yaml
from flask.cli import AppGroup

from surveyapp.activities.services import InvalidWorkplan, load_workplan_file
from surveyapp.activities.workplan import WORKPLAN_FILE
from surveyapp.transactions import run_in_transaction

activities_cli = AppGroup("activities", help="The programme's work-plan activities.")


@activities_cli.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(path: Path | None) -> None:
    """Publish the work plan (default: the shipped workplan.yaml); activities are matched by their code."""
    path = path or WORKPLAN_FILE
    try:
        result = run_in_transaction(partial(load_workplan_file, path))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name}: refused: not a valid YAML text file: {error}") from error
    except InvalidWorkplan as error:
        problems = "".join(f"\n  - {problem}" for problem in error.problems)
        raise click.ClickException(f"{path.name}: refused, nothing was changed: {error.message}{problems}") from error
    click.echo(
        f"{path.name}: {len(result.created)} activities created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged."
    )
