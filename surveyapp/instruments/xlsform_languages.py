"""XLSForm language names (`English (en)`, `Русский`, `fr`, `default`) <-> surveyapp language tags (FORMAT.md).

An XLSForm names a language in its column headers however its author wrote it; pyxform keeps that name. surveyapp
keys texts by a tag: the code in `Name (xx)`, else a known name of the language, else the name itself when it is
a tag, else a tag derived from the name (`und-` and its letters, "undetermined" in BCP 47). The name is kept in
`language_names` when it is not the one the export would write anyway, so the export writes the same headers back.
"""

import re

from surveyapp.instruments.xlsform_common import LANGUAGE_NAMES

TAG_PATTERN = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")
CODE_IN_NAME = re.compile(r".*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*\)\s*")
PYXFORM_DEFAULT = "default"  # pyxform's name for the language of a column without one (plain `label`)
UNDETERMINED = "und"
KNOWN_NAMES = {
    "ky": ("kyrgyz", "kirghiz", "kirgiz", "кыргызча", "кыргыз тили", "кыргызский", "киргизский"),
    "ru": ("russian", "русский", "русский язык", "орусча", "орус тили"),
    "en": ("english", "английский", "англисче", "англис тили"),
    "uz": ("uzbek", "oʻzbek", "o'zbek", "o‘zbekcha", "ўзбек", "ўзбекча", "узбекский"),
    "tg": ("tajik", "тоҷикӣ", "таджикский"),
    "kk": ("kazakh", "қазақ", "қазақша", "казахский"),
    "fr": ("french", "français", "francais"),
    "de": ("german", "deutsch"),
    "es": ("spanish", "español", "espanol"),
    "pt": ("portuguese", "português", "portugues"),
    "ar": ("arabic", "العربية"),
    "tr": ("turkish", "türkçe", "turkce"),
    "zh": ("chinese", "中文"),
    "sw": ("swahili", "kiswahili"),
}
TAG_OF_NAME = {name: tag for tag, names in KNOWN_NAMES.items() for name in names}


def default_name(tag: str) -> str:
    """The header suffix the export writes for a tag without a kept name: `Kyrgyz (ky)`, else the tag."""
    return f"{LANGUAGE_NAMES[tag]} ({tag})" if tag in LANGUAGE_NAMES else tag


def language_tag(name: str) -> str:
    """The tag of a language as an XLSForm names it; see the module docstring."""
    if name == PYXFORM_DEFAULT:
        return UNDETERMINED
    if match := CODE_IN_NAME.fullmatch(name):
        return match.group(1).lower()
    lowered = " ".join(name.lower().split())
    if lowered in TAG_OF_NAME:
        return TAG_OF_NAME[lowered]
    if TAG_PATTERN.fullmatch(lowered):
        return lowered
    letters = re.sub(r"[^a-z0-9]", "", lowered)[:8]
    return f"{UNDETERMINED}-{letters or 'x'}"


def language_tags(names: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Tag of each language name, and the names that clash with an earlier one on the same tag."""
    tags: dict[str, str] = {}
    clashes = []
    for name in names:
        tag = language_tag(name)
        earlier = next((known for known, known_tag in tags.items() if known_tag == tag), None)
        if earlier is not None:
            clashes.append((name, earlier))
        else:
            tags[name] = tag
    return tags, clashes


def column_name(tag: str, language_names: dict[str, str]) -> str:
    """The language's part of a column header: `label::<this>`, or None-like "" for pyxform's default."""
    return language_names.get(tag, default_name(tag))
