"""Publishing the work plan: each activity created or brought up to date by its code."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

from surveyapp.activities.models import Activity
from surveyapp.activities.queries import activities_by_code
from surveyapp.activities.workplan import WORKPLAN_FILE, PlannedActivity, WorkplanError, parse_workplan
from surveyapp.audit import services as audit
from surveyapp.errors import Invalid
from surveyapp.extensions import db


class InvalidWorkplan(Invalid):
    code = "invalid_workplan"


@dataclass
class WorkplanLoad:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_workplan_file(path: Path = WORKPLAN_FILE) -> WorkplanLoad:
    """A work-plan file (default: the shipped one); yaml.YAMLError when it is not YAML."""
    return load_workplan(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_workplan(data) -> WorkplanLoad:
    """Idempotent: an activity whose file entry did not change is left alone. Activities no longer in the file
    are kept (sessions may count for them). The caller commits."""
    try:
        planned = parse_workplan(data)
    except WorkplanError as error:
        raise InvalidWorkplan(_l("The work-plan file is not valid."), error.problems) from error
    existing = activities_by_code()
    result = WorkplanLoad()
    for plan in planned:
        activity = existing.get(plan.code)
        if activity is None:
            _create(plan)
            result.created.append(plan.code)
        elif _update(activity, plan):
            result.updated.append(plan.code)
        else:
            result.unchanged.append(plan.code)
    db.session.flush()
    return result


def _create(plan: PlannedActivity) -> None:
    activity = Activity(code=plan.code, **_fields(plan))
    db.session.add(activity)
    audit.record("create_activity", activity, {"code": plan.code})


def _update(activity: Activity, plan: PlannedActivity) -> bool:
    changed = {name: value for name, value in _fields(plan).items() if getattr(activity, name) != value}
    for name, value in changed.items():
        setattr(activity, name, value)
    if changed:
        audit.record("update_activity", activity, {"code": plan.code, "changed": sorted(changed)})
    return bool(changed)


def _fields(plan: PlannedActivity) -> dict:
    return {
        "position": plan.position,
        "title": plan.title,
        "period": plan.period,
        "planned_participants": plan.planned_participants,
    }
