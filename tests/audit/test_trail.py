"""The audit trail page (issue 15, item 4): admins read who saw or changed what, filtered by who, what, when and
which child, newest first, a page at a time, and download it as CSV."""

import csv
from io import StringIO

from surveyapp.audit import services as audit
from surveyapp.audit_trail.queries import PAGE_SIZE
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.respondents.services import read_identity, save_identity


def rows_of(page: str) -> int:
    return page.count("<tr>") - 1  # the header row


def test_who_looked_at_one_child_and_nothing_about_another(client, login, make_user, make_respondent):
    admin = login(Role.ADMIN)
    psychologist, _password = make_user(Role.PSYCHOLOGIST, "on-duty")
    child, other_child = make_respondent(), make_respondent()
    for respondent in (child, other_child):
        save_identity(respondent, full_name="A child", guardian_name="", guardian_phone="", address="", by=admin)
    read_identity(child, {"reason": "alert"})
    db.session.commit()

    page = client.get(f"/audit/?respondent={child.code.lower()}").text
    assert rows_of(page) == 3  # registered, the identity entered, then read
    table = page.split("<tbody>")[1]
    assert table.index("view_identity") < table.index("edit_identity") < table.index("register_respondent")
    assert other_child.code not in page

    by_action = client.get("/audit/?action=view_identity").text
    assert rows_of(by_action) == 1 and child.code in by_action
    assert "No event matches these filters." in client.get(f"/audit/?user={psychologist.id}").text


def test_the_trail_is_read_a_page_at_a_time(client, login):
    admin = login(Role.ADMIN)
    for number in range(PAGE_SIZE + 5):
        audit.record("rename_territory", admin, {"n": number})
    db.session.commit()
    first = client.get("/audit/?action=rename_territory").text
    assert rows_of(first) == PAGE_SIZE and "n: 104" in first and "n: 4<" not in first
    older_link = first.split('href="')[-1].split('"')[0].replace("&amp;", "&")
    older = client.get(older_link).text
    assert rows_of(older) == 5 and "n: 4<" in older and "n: 0<" in older


def test_the_csv_holds_the_filtered_events_with_formulas_neutralised(client, login):
    admin = login(Role.ADMIN, "=cmd|calc")  # a user name a spreadsheet would run as a formula
    client.post("/auth/login", data={"username": "=cmd|calc", "password": "wrong"})
    response = client.get("/audit/export.csv?action=login_refused")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith("audit-trail.csv")
    rows = list(csv.reader(StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["at", "user", "action", "object_type", "object_id", "details"]
    assert [row[1:5] for row in rows[1:]] == [["'=cmd|calc", "login_refused", "User", str(admin.id)]]
    assert '"reason": "wrong_password"' in rows[1][5]


def test_only_admins_read_the_trail(client, login):
    login(Role.COORDINATOR)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
