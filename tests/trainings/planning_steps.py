"""The questionnaires a session or a training is planned with in these tests, and the forms as a browser posts
them (the planning forms of surveyapp/templates/sessions/new.html and trainings/new.html)."""

from surveyapp.activities.models import Activity
from surveyapp.extensions import db
from tests.factories import knowledge_instrument


def staff_test(code: str = "staff_quiz", title: str = "Staff quiz") -> dict:
    """A two-question staff test (tests/factories.py) under another code and title."""
    return {**knowledge_instrument(), "id": code, "title": {"ky": f"{title} (ky)", "ru": f"{title} (ru)", "en": title}}


def parent_test() -> dict:
    return {**staff_test("parent_quiz", "Parent quiz"), "respondent_kind": "parent"}


def order_numbers(field: str, numbers: dict[int, int]) -> dict:
    """{instrument version id: its place in the order} as the form posts it; versions left out are not given."""
    return {f"{field}-{version_id}": str(number) for version_id, number in numbers.items()}


def session_form(numbers: dict[int, int], **changes) -> dict:
    return {
        "title": "Baseline, school 12",
        "held_on": "2026-11-27",
        "place": "School 12",
        "territory_id": "0",
        "wave": "baseline",
        "trainer_id": "0",
        "activity_id": "0",
        **order_numbers("questionnaires", numbers),
        **changes,
    }


def training_form(pre_test: dict[int, int], post_test: dict[int, int], **changes) -> dict:
    return {
        "title": "Child protection for staff",
        "held_on": "2026-12-10",
        "place": "Mayor's office, Osh",
        "territory_id": "0",
        "activity_id": "0",
        **order_numbers("pre_test", pre_test),
        **order_numbers("post_test", post_test),
        **changes,
    }


def add_activity(code: str, position: int, title_en: str) -> Activity:
    activity = Activity(
        code=code,
        position=position,
        planned_participants=15,
        period={},
        title={"ky": f"{title_en} (ky)", "ru": f"{title_en} (ru)", "en": title_en},
    )
    db.session.add(activity)
    db.session.commit()
    return activity
