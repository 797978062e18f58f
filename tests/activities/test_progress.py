"""Participants reached per activity: distinct respondents with a stored submission at a session linked to it."""

from surveyapp.activities.queries import activity_progress
from surveyapp.extensions import db
from tests.statements import counted_statements


def test_each_respondent_counts_once_per_activity_and_only_for_its_sessions(programme):
    # The hand count is in the docstring of conftest.programme.
    progress = activity_progress()
    assert [
        (row.activity.code, row.session_count, row.reached, row.activity.planned_participants) for row in progress
    ] == [
        ("launch_meeting", 0, 0, 25),
        ("child_support", 1, 1, 10),
        ("children_events", 3, 3, 4),
    ]
    assert [row.reached_share for row in progress] == [0, 0.1, 0.75]


def test_the_counts_take_one_query_however_many_sessions(programme):
    db.session.expire_all()
    with counted_statements() as statements:
        [(row.activity.title, row.activity.period) for row in activity_progress()]
    selects = [statement for statement in statements if statement.startswith("SELECT")]
    assert len(selects) == 1 and "GROUP BY" in selects[0]


def test_an_activity_planned_for_no_one_has_no_percentage(make_activity):
    make_activity("final_reports", 0, position=1)
    (row,) = activity_progress()
    assert (row.reached, row.reached_share) == (0, None)
