"""Reading the work-plan file: the shipped plan as the terms of reference give it, every problem of a malformed
file named."""

import copy

import pytest
import yaml

from surveyapp.activities.workplan import WORKPLAN_FILE, WorkplanError, parse_workplan

ENTRY = {
    "code": "staff_training",
    "planned_participants": 15,
    "title": {"ky": "Окутуу", "ru": "Обучение", "en": "Training"},
    "period": {"ky": "Октябрь 2019", "ru": "Октябрь 2019", "en": "October 2019"},
}


def problems_of(data) -> list[str]:
    with pytest.raises(WorkplanError) as refused:
        parse_workplan(data)
    return refused.value.problems


def test_the_shipped_work_plan_is_the_programmes():
    # Section 5 of programme-terms-of-reference.ky.txt (work plan, September-December 2019), in its order.
    activities = parse_workplan(yaml.safe_load(WORKPLAN_FILE.read_text(encoding="utf-8")))
    assert [(a.code, a.planned_participants, a.period["en"]) for a in activities] == [
        ("launch_meeting", 25, "September 2019"),
        ("information_training", 25, "September 2019"),
        ("child_support", 150, "September–December 2019"),
        ("staff_training", 15, "October 2019"),
        ("parent_training", 100, "October 2019"),
        ("children_events", 500, "November 2019"),
    ]
    assert [a.position for a in activities] == [1, 2, 3, 4, 5, 6]
    by_code = {a.code: a for a in activities}
    assert by_code["children_events"].title["ky"] == "Балдар менен атайын пландаштырылган 4 иш-чараларды өткөрүү"
    assert by_code["staff_training"].title["ky"] == (
        "Тиешелүү кызматкерлерге жардамга муктаж балдар менен иштөө ыкмаларын үйрөтүү"
    )
    assert all(set(a.title) == set(a.period) == {"ky", "ru", "en"} for a in activities)


@pytest.mark.parametrize("data", [None, [], {"activities": []}, {"activities": "staff"}, {"other": [ENTRY]}])
def test_a_file_without_a_list_of_activities_is_refused(data):
    assert problems_of(data) == ["the file must have a non-empty list 'activities'"]


def test_every_problem_of_an_entry_is_named_with_its_place():
    wrong = copy.deepcopy(ENTRY)
    wrong.update(code="Staff Training", planned_participants="fifteen", place="Osh")
    wrong["title"] = {"ky": "Окутуу", "ru": " ", "de": "Schulung"}
    del wrong["period"]
    assert problems_of({"activities": [ENTRY, wrong, "launch"]}) == [
        "activity 2: unknown field 'place'",
        "activity 2: 'period' is missing",
        "activity 2: 'code' must be 1-40 lower-case letters, digits or _, starting with a letter",
        "activity 2: 'planned_participants' must be a whole number, 0 or more",
        "activity 2: 'title' has no ru text",
        "activity 2: 'title' has no en text",
        "activity 2: 'title' has an unknown language 'de'",
        "activity 3: must be a mapping with code, planned_participants, title and period",
    ]


@pytest.mark.parametrize("planned", [-1, True, 2.5])
def test_planned_participants_are_a_whole_number(planned):
    assert problems_of({"activities": [{**ENTRY, "planned_participants": planned}]}) == [
        "activity 1: 'planned_participants' must be a whole number, 0 or more"
    ]


def test_a_code_given_twice_is_refused():
    assert problems_of({"activities": [ENTRY, ENTRY]}) == ["the code 'staff_training' is given twice"]
