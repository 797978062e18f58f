"""A questionnaire in the style of an imported XLSForm, for the kiosk's tests of form logic: text choice names, a
cascading select (choice_filter), a constraint with its message, a hint, a date, a calculate, ${item} in texts
and a section asked only for school children."""

import copy

from tests.factories import YES_NO


def _text(en: str) -> dict:
    return {"ky": f"{en} (ky)", "ru": f"{en} (ru)", "en": en}


REGIONS = [
    {"value": "osh", "label": _text("Osh region")},
    {"value": "naryn", "label": _text("Naryn region")},
]
DISTRICTS = [
    {"value": "kara_suu", "label": _text("Kara-Suu"), "filter": {"region": "osh"}},
    {"value": "uzgen", "label": _text("Uzgen"), "filter": {"region": "osh"}},
    {"value": "at_bashy", "label": _text("At-Bashy"), "filter": {"region": "naryn"}},
]


def where_i_live() -> dict:
    return copy.deepcopy(
        {
            "id": "where_i_live",
            "version": "1.0",
            "respondent_kind": "child",
            "title": _text("Where I live"),
            "languages": ["ky", "ru", "en"],
            "source": "Test instrument written for surveyapp's tests.",
            "licence": "Test use only.",
            "translation_status": {"ky": "draft", "ru": "draft", "en": "original"},
            "questions_per_screen": 2,
            "sections": [{"id": "school", "title": _text("School"), "relevant": {"expression": "${age} >= 7"}}],
            "items": [
                {
                    "id": "name",
                    "type": "text",
                    "text": _text("What is your first name?"),
                    "required": True,
                    "required_message": _text("Please write your first name."),
                },
                {
                    "id": "age",
                    "type": "integer",
                    "text": _text("How old are you, ${name}?"),
                    "hint": _text("In whole years."),
                    "constraint": ". >= 6 and . <= 18",
                    "constraint_message": _text("${name}, the age must be between 6 and 18."),
                },
                {"id": "age_next", "type": "calculate", "calculation": "${age} + 1"},
                {"id": "next_year", "type": "note", "text": _text("Next year you will be ${age_next}.")},
                {"id": "region", "type": "choice", "text": _text("Which region do you live in?"), "options": REGIONS},
                {
                    "id": "district",
                    "type": "choice",
                    "text": _text("Which district?"),
                    "options": DISTRICTS,
                    "choice_filter": "region = ${region}",
                },
                {"id": "birthday", "type": "date", "text": _text("When is your birthday?")},
                {
                    "id": "likes",
                    "type": "choice",
                    "text": _text("Do you like school?"),
                    "options": YES_NO,
                    "section": "school",
                },
            ],
        }
    )
