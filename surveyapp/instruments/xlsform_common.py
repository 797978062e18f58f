"""Names shared by the XLSForm export and import (see xlsform.py for the public API)."""

import re

LANGUAGE_NAMES = {"ky": "Kyrgyz", "ru": "Russian", "en": "English"}
# FORMAT.md's ids and versions, checked here to name the cell; parse_definition checks them again. Items and
# sections keep their XLSForm names as written (`Q1`, `childAge`); instrument and option-set ids are stricter.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
VERSION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")
METADATA_TYPES = ("start", "end", "today", "deviceid", "username")  # FORMAT.md's `metadata`: kept, not recorded

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
EXTRA_ITEM_COLUMNS = {
    REVERSE_COLUMN,
    CORRECT_COLUMN,
    CONDITION_COLUMN,
    IF_NOT_RELEVANT_COLUMN,
    ROLE_COLUMN,
    SECTION_COLUMN,
}

PLACEHOLDER = "imported from XLSForm: fill in"


class XLSFormError(ValueError):
    """An XLSForm that surveyapp cannot import; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
