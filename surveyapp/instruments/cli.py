from functools import partial
from pathlib import Path

import click
from flask.cli import AppGroup

from surveyapp.definitions.documents import DefinitionError, load_definition_file
from surveyapp.errors import DomainError
from surveyapp.instruments.queries import find_version
from surveyapp.instruments.services import LIBRARY_DIR, InvalidDefinition, draft_from_xlsform, publish_version
from surveyapp.instruments.xlsform import export_xlsform
from surveyapp.transactions import run_in_transaction

instruments_cli = AppGroup("instruments", help="Load and publish instrument versions.")


@instruments_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Publish instrument files (default: every shipped file). Each file is stored or refused on its own."""
    failures = sum(not _publish_file(path) for path in paths or sorted(LIBRARY_DIR.glob("*.yaml")))
    if failures:
        raise click.ClickException(f"{failures} file(s) refused; nothing was changed for them.")


def _publish_file(path: Path) -> bool:
    """Through load_definition_file, as the tests of the shipped files: a repeated key or a file named after
    another version is refused, never published under the last key's value."""
    try:
        data, _definition = load_definition_file(path)
        version, created = run_in_transaction(partial(publish_version, data, source_file=path.name))
    except DefinitionError as error:
        click.echo(f"{path.name}: refused:", err=True)
        for message in error.messages:
            click.echo(f"  - {message}", err=True)
        return False
    except DomainError as error:
        click.echo(f"{path.name}: refused: {error.message}", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        return False
    click.echo(f"{path.name}: {version.instrument.code} {version.version} {'published' if created else 'unchanged'}")
    return True


@instruments_cli.command("import-xlsform")
@click.argument("xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the draft (default: <id>-<version>.yaml here).",
)
def import_xlsform_command(xlsx: Path, output: Path | None) -> None:
    """Turn an XLSForm (KoboToolbox / ODK) into an instrument draft to review, then publish with `load`."""
    try:
        draft = draft_from_xlsform(xlsx.read_bytes())
    except InvalidDefinition as error:
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.ClickException(f"{xlsx.name} was not imported; nothing was written.") from error
    output = output or Path(draft.filename)
    if output.exists():
        raise click.ClickException(f"{output} exists already; choose another --output.")
    output.write_text(draft.as_yaml(), encoding="utf-8")
    click.echo(
        f"Draft written to {output}. Review its source, licence, scoring and translations, "
        f"then publish it with `flask instruments load {output}`."
    )


@instruments_cli.command("export-xlsform")
@click.argument("code")
@click.argument("version")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def export_xlsform_command(code: str, version: str, output: Path | None) -> None:
    """Write a published instrument version as an XLSForm that KoboToolbox and ODK open."""
    published = find_version(code, version)
    if published is None:
        raise click.ClickException(f"{code} version {version} is not published.")
    output = output or Path(f"{code}-{version}.xlsx")
    output.write_bytes(export_xlsform(published.content))
    click.echo(f"Written {output}.")
