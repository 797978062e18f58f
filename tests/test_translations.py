"""Every UI string is translated into Kyrgyz and Russian, with the same placeholders as the English source.

A missing translation would silently show English on a child's tablet (peers.md: pyxform 583, 157)."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import surveyapp

TRANSLATIONS = Path(surveyapp.__file__).parent / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def source_messages():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        return {message.id for message in read_po(pot) if message.id}


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
