"""The activities page and its downloads: counts for every role, the mayor's office included, never an identity."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.models import Respondent

HEADER = ("Activity", "Period", "Planned participants", "Participants reached", "Percent reached", "Sessions linked")


def in_russian(user) -> None:
    user.language = "ru"
    db.session.commit()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_planned_against_reached(client, login, programme, role):
    login(role)
    page = client.get("/activities/")
    assert page.status_code == 200
    # From the hand count in conftest.programme: events 3 of 4 (75.0%) over 3 sessions.
    assert "<td>Children events</td><td>October 2019</td><td>4</td><td>3</td><td>75%</td><td>3</td>" in (
        page.text.replace("\n", "").replace("  ", "")
    )
    codes = db.session.scalars(select(Respondent.code)).all()
    assert codes and not any(code in page.text for code in codes)


def test_the_page_says_when_no_work_plan_is_loaded(client, login):
    login(Role.VIEWER)
    assert "No activity is loaded yet" in client.get("/activities/").text


def test_the_csv_is_the_table_in_the_users_language(client, login, programme):
    in_russian(login(Role.VIEWER))
    response = client.get("/activities/download?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=activities-ru.csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows[0]) == len(HEADER)
    assert rows[1:] == [
        ["Launch meeting (ru)", "October 2019 (ru)", "25", "0", "0.0", "0"],
        ["Child support (ru)", "October 2019 (ru)", "10", "1", "10.0", "1"],
        ["Children events (ru)", "October 2019 (ru)", "4", "3", "75.0", "3"],
    ]


def test_the_workbook_keeps_numbers_as_numbers(client, login, programme):
    login(Role.COORDINATOR)
    response = client.get("/activities/download?format=xlsx")
    assert response.headers["Content-Disposition"] == "attachment; filename=activities-en.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Programme activities"
    assert list(sheet.iter_rows(values_only=True)) == [
        HEADER,
        ("Launch meeting", "October 2019", 25, 0, 0, 0),
        ("Child support", "October 2019", 10, 1, 10.0, 1),
        ("Children events", "October 2019", 4, 3, 75.0, 3),
    ]


def test_a_title_that_looks_like_a_formula_stays_text(client, login, make_activity):
    formula = '=HYPERLINK("http://example.org","x")'
    make_activity("launch_meeting", 25, position=1, title=formula)
    login(Role.VIEWER)
    cell = load_workbook(io.BytesIO(client.get("/activities/download?format=xlsx").data)).active["A2"]
    assert (cell.value, cell.data_type) == (formula, "s")
    rows = list(csv.reader(io.StringIO(client.get("/activities/download?format=csv").data.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + formula


def test_an_unknown_format_is_refused_with_a_message(client, login):
    login(Role.VIEWER)
    response = client.get("/activities/download?format=pdf")
    assert response.status_code == 404 and "choose XLSX or CSV" in response.text


def test_the_page_needs_a_log_in(client):
    for path in ("/activities/", "/activities/download?format=csv"):
        assert "/auth/login" in client.get(path).headers["Location"]
