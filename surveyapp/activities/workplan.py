"""Reading the work-plan file (workplan.yaml): pure, every problem of a malformed file listed at once."""

import re
from dataclasses import dataclass
from pathlib import Path

WORKPLAN_FILE = Path(__file__).parent / "workplan.yaml"
LANGUAGES = ("ky", "ru", "en")
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
FIELDS = {"code", "planned_participants", "title", "period"}


class WorkplanError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlannedActivity:
    code: str
    position: int
    title: dict[str, str]
    period: dict[str, str]
    planned_participants: int


def parse_workplan(data) -> list[PlannedActivity]:
    """The activities of a loaded YAML document, in the file's order; WorkplanError lists what is wrong."""
    entries = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise WorkplanError(["the file must have a non-empty list 'activities'"])
    problems = []
    activities = []
    for position, entry in enumerate(entries, start=1):
        found = _entry_problems(entry)
        problems += [f"activity {position}: {problem}" for problem in found]
        if not found:
            activities.append(
                PlannedActivity(
                    code=entry["code"],
                    position=position,
                    title=dict(entry["title"]),
                    period=dict(entry["period"]),
                    planned_participants=entry["planned_participants"],
                )
            )
    codes = [activity.code for activity in activities]
    problems += [f"the code '{code}' is given twice" for code in sorted({c for c in codes if codes.count(c) > 1})]
    if problems:
        raise WorkplanError(problems)
    return activities


def _entry_problems(entry) -> list[str]:
    if not isinstance(entry, dict):
        return ["must be a mapping with code, planned_participants, title and period"]
    problems = [f"unknown field '{name}'" for name in sorted(set(map(str, entry)) - FIELDS)]
    problems += [f"'{name}' is missing" for name in sorted(FIELDS - set(entry))]
    code = entry.get("code")
    if "code" in entry and not (isinstance(code, str) and CODE_PATTERN.fullmatch(code)):
        problems.append("'code' must be 1-40 lower-case letters, digits or _, starting with a letter")
    planned = entry.get("planned_participants")
    if "planned_participants" in entry and (isinstance(planned, bool) or not isinstance(planned, int) or planned < 0):
        problems.append("'planned_participants' must be a whole number, 0 or more")
    for name in ("title", "period"):
        if name in entry:
            problems += _text_problems(name, entry[name])
    return problems


def _text_problems(name: str, text) -> list[str]:
    if not isinstance(text, dict):
        return [f"'{name}' must give the text in {', '.join(LANGUAGES)}"]
    problems = [
        f"'{name}' has no {language} text"
        for language in LANGUAGES
        if not (isinstance(text.get(language), str) and text[language].strip())
    ]
    problems += [
        f"'{name}' has an unknown language '{language}'" for language in sorted(set(map(str, text)) - set(LANGUAGES))
    ]
    return problems
