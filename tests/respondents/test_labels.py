"""Staff read respondent kinds and the territory column in words of their language, never stored values.

(Each test shows its pages in one language: the requests of a test share one app context, where Flask-Babel
keeps the first request's language.)"""

import pytest

from surveyapp.auth.models import Role
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind


@pytest.mark.parametrize(
    ("language", "staff", "parent"),
    [
        ("en", "Staff member", "Parent or guardian"),
        ("ru", "Сотрудник", "Родитель или опекун"),  # the ru catalog, as shipped
    ],
)
def test_the_respondents_list_names_each_kind_in_the_users_language(
    client, login, make_respondent, language, staff, parent
):
    make_respondent(RespondentKind.STAFF)
    make_respondent(RespondentKind.PARENT)
    login(Role.COORDINATOR).language = language
    db.session.commit()
    page = client.get("/respondents/").text
    assert f'<html lang="{language}">' in page
    assert f"<td>{staff}</td>" in page and f"<td>{parent}</td>" in page
    assert "<td>staff</td>" not in page and "<td>parent</td>" not in page


def test_the_territory_name_column_has_its_own_words(client, login, app_context):
    ensure_territories()
    login(Role.ADMIN)
    assert "<th>Name of the territorial administration</th>" in client.get("/respondents/territories").text


def test_in_russian_the_territory_name_column_is_not_headed_as_a_persons_name(client, login, app_context):
    ensure_territories()
    login(Role.ADMIN).language = "ru"
    db.session.commit()
    page = client.get("/respondents/territories").text
    assert '<html lang="ru">' in page and "ФИО" not in page
