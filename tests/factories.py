"""Small instrument files for tests of the core path, independent of the shipped library's content."""

import copy

AGREE = [
    {"value": 3, "label": {"ky": "Толук макулмун", "ru": "Полностью согласен", "en": "Strongly agree"}},
    {"value": 2, "label": {"ky": "Макулмун", "ru": "Согласен", "en": "Agree"}},
    {"value": 1, "label": {"ky": "Макул эмесмин", "ru": "Не согласен", "en": "Disagree"}},
    {"value": 0, "label": {"ky": "Такыр макул эмесмин", "ru": "Совсем не согласен", "en": "Strongly disagree"}},
]
YES_NO = [
    {"value": 1, "label": {"ky": "Ооба", "ru": "Да", "en": "Yes"}},
    {"value": 0, "label": {"ky": "Жок", "ru": "Нет", "en": "No"}},
]


def _text(en: str) -> dict:
    return {"ky": f"{en} (ky)", "ru": f"{en} (ru)", "en": en}


def mood_instrument(version: str = "1.0") -> dict:
    """Four 0-3 agreement items (item 2 reverse-keyed) scored as a sum 0-12, prorated when one is missing,
    then a yes/no question whose "yes" asks a follow-up and raises a flag."""
    return copy.deepcopy(
        {
            "id": "mood",
            "version": version,
            "respondent_kind": "child",
            "title": _text("Mood check"),
            "languages": ["ky", "ru", "en"],
            "source": "Test instrument written for surveyapp's tests.",
            "licence": "Test use only.",
            "translation_status": {"ky": "draft", "ru": "draft", "en": "original"},
            "option_sets": {"agree": AGREE, "yes_no": YES_NO},
            "items": [
                {"id": "m1", "type": "choice", "text": _text("I feel calm."), "options": "agree", "required": True},
                {"id": "m2", "type": "choice", "text": _text("I feel tense."), "options": "agree", "reverse": True},
                {"id": "m3", "type": "choice", "text": _text("I sleep well."), "options": "agree"},
                {"id": "m4", "type": "choice", "text": _text("I enjoy the day."), "options": "agree"},
                {
                    "id": "worry",
                    "type": "choice",
                    "text": _text("Is something worrying you a lot?"),
                    "options": "yes_no",
                    "required": True,
                },
                {
                    "id": "worry_now",
                    "type": "choice",
                    "text": _text("Is it worrying you right now?"),
                    "options": "yes_no",
                    "required": True,
                    "relevant": {"item": "worry", "equals": 1},
                },
                {"id": "comment", "type": "text", "text": _text("Anything else?")},
            ],
            "scales": [
                {
                    "id": "total",
                    "label": _text("Mood"),
                    "items": ["m1", "m2", "m3", "m4"],
                    "method": "sum",
                    "range": [0, 12],
                    "missing": {"max_missing": 1, "rule": "prorate"},
                    "bands": [
                        {"code": "low", "max": 5, "label": _text("Low")},
                        {"code": "ok", "label": _text("OK")},
                    ],
                    "band_source": "Test bands.",
                }
            ],
            "flags": [
                {
                    "id": "worry_now",
                    "level": "acute",
                    "when": {"item": "worry_now", "equals": 1},
                    "reason": _text("Worried right now"),
                },
                {
                    "id": "worry",
                    "level": "non_acute",
                    "when": {"item": "worry", "equals": 1},
                    "reason": _text("Worried"),
                },
            ],
        }
    )


def knowledge_instrument() -> dict:
    """A two-question test for staff, to check that a child cannot answer a staff questionnaire."""
    return copy.deepcopy(
        {
            "id": "staff_quiz",
            "version": "1.0",
            "respondent_kind": "staff",
            "title": _text("Quiz"),
            "languages": ["ky", "ru", "en"],
            "source": "Test.",
            "licence": "Test.",
            "translation_status": {"ky": "draft", "ru": "draft", "en": "original"},
            "items": [
                {"id": "q1", "type": "choice", "text": _text("Q1"), "options": YES_NO, "correct": 1},
                {"id": "q2", "type": "choice", "text": _text("Q2"), "options": YES_NO, "correct": 0},
            ],
            "scales": [
                {
                    "id": "percent",
                    "label": _text("Correct"),
                    "items": ["q1", "q2"],
                    "method": "percent_correct",
                    "range": [0, 100],
                    "missing": {"max_missing": 1, "rule": "zero"},
                }
            ],
        }
    )
