from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from surveyapp.activities.models import Activity
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SurveySession


@dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    session_count: int
    reached: int
    """Distinct respondents with at least one stored submission at a session linked to the activity."""

    @property
    def reached_share(self) -> float | None:
        planned = self.activity.planned_participants
        return self.reached / planned if planned else None


def activities_by_code() -> dict[str, Activity]:
    return {activity.code: activity for activity in db.session.scalars(select(Activity))}


def activity_progress() -> list[ActivityProgress]:
    """Every activity in the work plan's order with its linked sessions and participants reached: one query."""
    rows = db.session.execute(
        select(Activity, func.count(distinct(SurveySession.id)), func.count(distinct(Submission.respondent_id)))
        .outerjoin(SurveySession, SurveySession.activity_id == Activity.id)
        .outerjoin(Submission, Submission.session_id == SurveySession.id)
        .group_by(Activity.id)
        .order_by(Activity.position, Activity.id)
    )
    return [ActivityProgress(activity, session_count, reached) for activity, session_count, reached in rows]


def work_plan_activities() -> list[Activity]:
    return list(db.session.scalars(select(Activity).order_by(Activity.position, Activity.id)))
