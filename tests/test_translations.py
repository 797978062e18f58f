"""Every UI string is translated into Kyrgyz and Russian, with the same placeholders as the English source.

A missing translation would silently show English on a child's tablet (peers.md: pyxform 583, 157)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import surveyapp

TRANSLATIONS = Path(surveyapp.__file__).parent / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def message_ids(pot_path: Path) -> set:
    with open(pot_path, "rb") as pot:
        return {message.id for message in read_po(pot) if message.id}


def source_messages():
    return message_ids(TRANSLATIONS / "messages.pot")


def test_the_committed_template_holds_every_string_of_the_source(tmp_path):
    """A string added to the code but never extracted would show English on a Kyrgyz or Russian page."""
    extracted = tmp_path / "messages.pot"
    root = Path(surveyapp.__file__).parent.parent
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(extracted),
            "--no-location",
            ".",
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    assert message_ids(extracted) == source_messages()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_message_is_translated_without_fuzzy_entries(language):
    messages = [m for m in catalog(language) if m.id]
    untranslated = [m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not untranslated
    assert not [m.id for m in messages if m.fuzzy]
    assert {m.id for m in messages} == source_messages()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_translations_keep_the_placeholders(language):
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= expected | set(PLACEHOLDER.findall(ids[0])), message.id
            assert expected <= set(PLACEHOLDER.findall(string)) | {"%(num)d"}, message.id
