"""Names shared by the XLSForm export and import (see xlsform.py for the public API)."""

import re

LANGUAGE_NAMES = {"ky": "Kyrgyz", "ru": "Russian", "en": "English"}
# FORMAT.md's ids and versions, checked here to name the cell; parse_definition checks them again.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
VERSION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")

SURVEY_SHEET = "survey"
CHOICES_SHEET = "choices"
SETTINGS_SHEET = "settings"
# Extra sheet with what XLSForm cannot carry; pyxform and Kobo ignore sheets they do not know.
METADATA_SHEET = "surveyapp"

# Extra columns. No "::" in their names: pyxform and Kobo read "a::b" as column "a" translated into
# language "b", and pyxform 4.5 crashes on such a column in the choices sheet.
REVERSE_COLUMN = "surveyapp_reverse"
CORRECT_COLUMN = "surveyapp_correct"
CONDITION_COLUMN = "surveyapp_relevant"
# "keep" on a risk item (FORMAT.md): kept for the round trip only, since ODK and Kobo clear an answer whose
# relevant is false and so never send one.
IF_NOT_RELEVANT_COLUMN = "surveyapp_if_not_relevant"
ROLE_COLUMN = "surveyapp_role"  # "instructions" on the note that carries the instrument's instructions
SECTION_COLUMN = "surveyapp_section"  # on a group continuing a section whose items are not consecutive
MISSING_COLUMN = "surveyapp_missing"
INSTRUCTIONS_ROLE = "instructions"

PLACEHOLDER = "imported from XLSForm: fill in"


class XLSFormError(ValueError):
    """An XLSForm that surveyapp cannot import; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def language_suffix(language: str) -> str:
    """`ru` -> `Russian (ru)`, the XLSForm spelling of a language in column names and settings."""
    return f"{LANGUAGE_NAMES[language]} ({language})"


def label_column(language: str) -> str:
    return f"label::{language_suffix(language)}"
