"""`flask instruments load` publishes through load_definition_file, the one reader the shipped files are tested
with (issue 17, item 2): a file with two `version:` keys under a name that is not its own was published as
"who5 7.7" when the command read YAML by itself."""

from pathlib import Path

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.instruments.services import LIBRARY_DIR


def published() -> list[tuple[str, str]]:
    db.session.rollback()
    return [(v.instrument.code, v.version) for v in db.session.scalars(select(InstrumentVersion))]


def test_a_file_with_a_repeated_key_is_refused_and_nothing_is_published(runner, app_context, tmp_path):
    shipped = (LIBRARY_DIR / "who5-1.0.yaml").read_text(encoding="utf-8")
    assert 'version: "1.0"\n' in shipped
    twice = tmp_path / "who5-1.0.yaml"
    twice.write_text(shipped.replace('version: "1.0"\n', 'version: "1.0"\nversion: "7.7"\n', 1), encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(twice)])
    assert result.exit_code != 0 and "found duplicate key 'version'" in result.output
    assert published() == []


def test_a_file_named_after_another_version_is_refused(runner, app_context, tmp_path):
    misnamed = tmp_path / "who5-7.7.yaml"
    misnamed.write_text((LIBRARY_DIR / "who5-1.0.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(misnamed)])
    assert result.exit_code != 0 and "the file must be named 'who5-1.0.yaml'" in result.output
    assert published() == []


def test_the_shipped_files_are_published_once(runner, app_context):
    first = runner.invoke(args=["instruments", "load"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["instruments", "load"])
    assert again.output.count("unchanged") == len(list(Path(LIBRARY_DIR).glob("*.yaml")))
    assert ("who5", "1.0") in published()
