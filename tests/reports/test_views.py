"""The Indicators page: who sees it, what the mayor's office (viewer) sees, and the admin's definitions."""

import pytest
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.scoring.indicators import Statistic


def test_the_indicators_page_needs_a_log_in(client):
    for path in ("/reports/", "/reports/download?format=pdf", "/reports/definitions"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.VIEWER, "/reports/", 200),
        (Role.TRAINER, "/reports/", 200),
        (Role.PSYCHOLOGIST, "/reports/", 200),
        (Role.VIEWER, "/reports/exports/", 403),
        (Role.TRAINER, "/reports/exports/", 403),
        (Role.COORDINATOR, "/reports/exports/", 200),
        (Role.COORDINATOR, "/reports/download?format=data-csv", 404),
        (Role.VIEWER, "/reports/download?format=doc", 404),
        (Role.VIEWER, "/reports/download?format=csv&lang=de", 404),
        (Role.VIEWER, "/reports/definitions", 403),
        (Role.COORDINATOR, "/reports/definitions", 403),
        (Role.ADMIN, "/reports/definitions", 200),
        (Role.VIEWER, "/sessions/", 403),
    ],
)
def test_each_role_reaches_only_its_report_pages(client, login, role, path, status):
    login(role)
    assert client.get(path).status_code == status


def test_the_mayors_office_lands_on_the_indicators_and_sees_no_other_staff_page(client, login):
    login(Role.VIEWER)
    response = client.get("/")
    assert response.headers["Location"].endswith("/reports/")
    page = client.get("/reports/").text
    assert 'href="/reports/"' in page and 'href="/sessions/"' not in page


def test_the_viewer_sees_the_table_with_small_groups_hidden_and_never_a_code(client, login, respondent_codes):
    login(Role.VIEWER)
    page = client.get("/reports/").text
    assert "Children of labour migrants in need receive social and psychological help" in page
    assert "Staff of the mayor&#39;s office grow their capacity to help children" in page
    assert "Survey" in page and "reliably improved" in page
    assert "not shown" in page and "data:image/png;base64," in page
    assert "De-identified data" not in page
    assert not [code for code in respondent_codes if code in page]


def test_staff_who_may_see_small_groups_see_them_marked(client, login, respondent_codes):
    login(Role.PSYCHOLOGIST)
    page = client.get("/reports/").text
    assert "not shown" not in page and " *</td>" in page
    assert "De-identified data (CSV)" in page
    assert not [code for code in respondent_codes if code in page]


def test_the_page_says_when_no_indicator_is_defined(client, login, shipped_instruments):
    login(Role.ADMIN)
    page = client.get("/reports/").text
    assert "No indicator is defined yet." in page


def _form(**changes) -> dict:
    form = {
        "code": "children_who5_share",
        "position": "60",
        "title_ky": "Жыргалчылык",
        "title_ru": "Благополучие",
        "title_en": "Wellbeing",
        "method_ky": "Сурамжылоо",
        "method_ru": "Опрос",
        "method_en": "Survey",
        "target": "500",
        "respondent_kind": "child",
        "pre_instrument": "who5",
        "post_instrument": "who5",
        "scale": "percent",
        "statistic": "share_reliably_improved",
        "pre_wave": "baseline",
        "post_wave": "post",
        "higher_is_better": "y",
        "cutoff": "",
        "cutoff_rule": "",
        "success_threshold": "0.3",
    }
    return form | changes


def test_an_admin_defines_edits_and_deletes_an_indicator(client, login, shipped_instruments):
    login(Role.ADMIN)
    response = client.post("/reports/definitions/new", data=_form())
    assert response.status_code == 302
    definition = db.session.scalar(select(IndicatorDefinition).filter_by(code="children_who5_share"))
    assert definition.statistic == Statistic.SHARE_RELIABLY_IMPROVED and definition.title["ky"] == "Жыргалчылык"
    assert definition.success_threshold == 0.3
    listing = client.get("/reports/definitions").text
    assert "Жыргалчылык" not in listing and "Wellbeing" in listing  # the admin reads English titles
    assert "500 children" in listing and "WHO-5 Well-Being Index" in listing
    assert "At least 500 reached, and at least 30% of those surveyed before and after reliably improved." in listing

    edited = client.post(
        f"/reports/definitions/{definition.id}", data=_form(target="450", cutoff="50", cutoff_rule="at_or_below")
    )
    assert edited.status_code == 302
    db.session.refresh(definition)
    assert (definition.target, definition.cutoff, definition.cutoff_rule) == (450, 50, "at_or_below")

    assert client.post(f"/reports/definitions/{definition.id}/delete").status_code == 302
    assert db.session.get(IndicatorDefinition, definition.id) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scale": "nonexistent"}, "who5 has no scale nonexistent."),
        ({"statistic": "hake_gain"}, "A knowledge gain needs a percent-correct scale"),
        ({"respondent_kind": "staff"}, "who5 is not answered by these respondents."),
        ({"post_wave": "baseline"}, "The waves before and after must differ."),
        ({"cutoff": "50"}, "Give a cut-off together with the side of it that counts, or neither."),
        (
            {"success_threshold": "30"},
            "For a share or a normalized gain, the success threshold is a number from 0 to 1",
        ),
        ({"success_threshold": "nan"}, "The success threshold must be a number."),
        ({"success_threshold": "a lot"}, "Not a valid float value."),
    ],
)
def test_an_indicator_that_cannot_be_computed_is_refused_with_the_reason(
    client, login, shipped_instruments, changes, message
):
    login(Role.ADMIN)
    response = client.post("/reports/definitions/new", data=_form(**changes))
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert db.session.scalar(select(IndicatorDefinition)) is None


def test_two_indicators_cannot_share_a_code(client, login, programme):
    login(Role.ADMIN)
    response = client.post("/reports/definitions/new", data=_form(code="children_resilience"))
    assert response.status_code == 409 and "Another indicator has the code children_resilience." in response.text


def test_the_definition_form_explains_the_success_threshold_and_names_questionnaires_by_title(
    client, login, shipped_instruments
):
    login(Role.ADMIN)
    page = client.get("/reports/definitions/new").text
    assert 'aria-describedby="success-threshold-help"' in page
    assert "Leave it empty to judge the target by reach alone." in page
    assert '<option value="who5">WHO-5 Well-Being Index (Child)</option>' in page
    assert "who5 (child)" not in page


def test_an_indicator_without_a_threshold_is_judged_by_reach(client, login, shipped_instruments):
    login(Role.ADMIN)
    assert client.post("/reports/definitions/new", data=_form(success_threshold="")).status_code == 302
    assert db.session.scalar(select(IndicatorDefinition.success_threshold)) is None
    assert "At least 500 reached (surveyed at least once).</td>" in client.get("/reports/definitions").text
