"""Publishing instrument versions: immutable once published, refused with a clear message otherwise."""

import pytest
import yaml
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.instruments.services import (
    LIBRARY_DIR,
    InvalidDefinition,
    PublishedVersionChanged,
    publish_version,
)
from tests.factories import mood_instrument


def version_count() -> int:
    return db.session.scalar(select(func.count(InstrumentVersion.id)))


def test_publishing_stores_the_canonical_content_and_its_hash(app_context):
    version, created = publish_version(mood_instrument())
    assert created and len(version.content_hash) == 64
    assert version.content == mood_instrument()
    assert version.definition.scale("total").range == (0, 12)


def test_publishing_the_same_content_again_changes_nothing(app_context):
    first, _ = publish_version(mood_instrument())
    again, created = publish_version(mood_instrument())
    assert again.id == first.id and not created and version_count() == 1


def test_editing_a_published_version_without_a_new_number_is_refused(app_context):
    publish_version(mood_instrument())
    db.session.commit()
    edited = mood_instrument()
    edited["items"][0]["text"]["en"] = "I feel very calm."
    with pytest.raises(PublishedVersionChanged, match="give the edited file a new version number"):
        publish_version(edited)
    db.session.rollback()
    assert db.session.scalar(select(InstrumentVersion)).content["items"][0]["text"]["en"] == "I feel calm."


def test_an_edited_instrument_is_published_under_a_new_version(app_context):
    publish_version(mood_instrument())
    edited = mood_instrument(version="1.1")
    edited["items"][0]["text"]["en"] = "I feel very calm."
    version, created = publish_version(edited)
    assert created and version.version == "1.1" and version_count() == 2


def test_an_invalid_file_is_refused_with_every_problem_listed(app_context):
    broken = mood_instrument()
    broken["items"][1]["options"] = "agree5"
    del broken["licence"]
    with pytest.raises(InvalidDefinition) as refused:
        publish_version(broken)
    problems = "\n".join(refused.value.problems)
    assert "agree5" in problems and "licence" in problems


def test_the_cli_publishes_every_shipped_instrument(runner, app_context):
    result = runner.invoke(args=["instruments", "load"])
    assert result.exit_code == 0, result.output
    shipped = sorted(LIBRARY_DIR.glob("*.yaml"))
    assert version_count() == len(shipped) >= 10
    assert all(" published" in line for line in result.output.splitlines())
    again = runner.invoke(args=["instruments", "load"])
    assert again.exit_code == 0 and all(" unchanged" in line for line in again.output.splitlines())


def test_the_cli_refuses_a_bad_file_and_still_publishes_the_good_one(runner, app_context, tmp_path):
    good = tmp_path / "mood-1.0.yaml"
    good.write_text(yaml.safe_dump(mood_instrument(), allow_unicode=True), encoding="utf-8")
    edited = mood_instrument()
    edited["title"]["en"] = "Changed"
    (tmp_path / "edited").mkdir()
    changed = tmp_path / "edited" / "mood-1.0.yaml"
    changed.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")
    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("id: [unclosed", encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(good), str(changed), str(not_yaml)])
    assert result.exit_code != 0
    assert "mood 1.0 published" in result.output
    assert "already published with different content" in result.output
    assert "not valid YAML" in result.output
    assert "2 file(s) refused" in result.output
    assert version_count() == 1
