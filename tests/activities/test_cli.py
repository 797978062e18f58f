"""`flask activities load`: the work plan published by code, again without change, refused whole when malformed."""

import yaml
from sqlalchemy import func, select

from surveyapp.activities.models import Activity
from surveyapp.activities.workplan import WORKPLAN_FILE
from surveyapp.audit.models import AuditEvent
from surveyapp.extensions import db


def load(runner, *paths):
    return runner.invoke(args=["activities", "load", *map(str, paths)])


def activities() -> dict[str, Activity]:
    db.session.expire_all()
    return {activity.code: activity for activity in db.session.scalars(select(Activity))}


def test_the_shipped_work_plan_is_published_once(runner, app_context):
    first = load(runner)
    assert first.exit_code == 0, first.output
    assert "6 activities created, 0 updated, 0 unchanged" in first.output
    published = activities()
    assert {code: a.planned_participants for code, a in published.items()} == {
        "launch_meeting": 25,
        "information_training": 25,
        "child_support": 150,
        "staff_training": 15,
        "parent_training": 100,
        "children_events": 500,
    }
    assert published["parent_training"].title["ru"] == "Обучение родителей и опекунов методам позитивного воспитания"
    audited = db.session.scalar(select(func.count(AuditEvent.id)))

    again = load(runner)
    assert again.exit_code == 0 and "0 activities created, 0 updated, 6 unchanged" in again.output
    assert db.session.scalar(select(func.count(AuditEvent.id))) == audited


def test_a_changed_entry_updates_its_activity_by_code(runner, app_context, tmp_path):
    assert load(runner).exit_code == 0
    staff_training_id = activities()["staff_training"].id
    plan = yaml.safe_load(WORKPLAN_FILE.read_text(encoding="utf-8"))
    staff = next(entry for entry in plan["activities"] if entry["code"] == "staff_training")
    staff["planned_participants"] = 20
    edited = tmp_path / "plan.yaml"
    edited.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")

    result = load(runner, edited)
    assert result.exit_code == 0 and "0 activities created, 1 updated, 5 unchanged" in result.output
    updated = activities()["staff_training"]
    assert (updated.id, updated.planned_participants) == (staff_training_id, 20)
    event = db.session.scalar(select(AuditEvent).filter_by(action="update_activity"))
    assert event.object_id == str(staff_training_id) and event.details["changed"] == ["planned_participants"]


def test_a_malformed_file_is_refused_with_its_problems_and_changes_nothing(runner, app_context, tmp_path):
    assert load(runner).exit_code == 0
    plan = yaml.safe_load(WORKPLAN_FILE.read_text(encoding="utf-8"))
    plan["activities"][0]["planned_participants"] = 30
    plan["activities"][1]["planned_participants"] = "many"
    malformed = tmp_path / "plan.yaml"
    malformed.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")

    result = load(runner, malformed)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "plan.yaml: refused, nothing was changed: The work-plan file is not valid." in result.output
    assert "- activity 2: 'planned_participants' must be a whole number, 0 or more" in result.output
    assert activities()["launch_meeting"].planned_participants == 25


def test_a_file_that_is_not_yaml_is_refused(runner, app_context, tmp_path):
    broken = tmp_path / "plan.yaml"
    broken.write_text("activities: [unclosed\n", encoding="utf-8")
    result = load(runner, broken)
    assert result.exit_code == 1 and "plan.yaml: refused: not a valid YAML text file" in result.output
    assert not isinstance(result.exception, yaml.YAMLError) and activities() == {}
