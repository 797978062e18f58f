"""The Indicators page served from the report cache: a second view reads only the data stamp, and any change the
report depends on makes the next view compute it again."""

import re
import uuid
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.auth.models import Role
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.reports import cache, plots
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import Territory
from surveyapp.respondents.services import rename_territory
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import SurveySession, Wave
from tests.statements import counted_statements

REPORT_TABLES = (
    "score",
    "submission",
    "indicator_definition",
    "instrument_version",
    "territory",
    "respondent",
    "survey_session",
)


@pytest.fixture(autouse=True)
def empty_cache(app):
    """Tests empty the tables and restart their ids, so one test's stamp may recur in the next."""
    with app.app_context():
        cache.report_cache().clear()


def report_statements(issued: list[str]) -> list[str]:
    """The statements reading what the report is made of (not the log-in's user and roles)."""
    return [s for s in issued if any(f" {table}" in s.lower() or f'"{table}"' in s for table in REPORT_TABLES)]


def stamp_statements() -> list[str]:
    with counted_statements() as issued:
        cache.data_stamp()
    return issued


def view(client) -> tuple[str, list[str]]:
    with counted_statements() as issued:
        response = client.get("/reports/")
    assert response.status_code == 200
    return response.text, report_statements(issued)


def self_esteem():
    report, _charts = cache.report_with_charts(suppress_small=False)
    return next(entry for entry in report.entries if entry.code == "children_self_esteem").result


def test_a_second_view_reads_only_the_data_stamp(app_context, client, login, programme):
    login(Role.PSYCHOLOGIST)
    first_page, first = view(client)
    second_page, second = view(client)
    assert len(first) > 2 and any("score" in s for s in first)
    assert second == report_statements(stamp_statements()) and len(second) == 2
    assert without_csrf_tokens(second_page) == without_csrf_tokens(first_page)


def without_csrf_tokens(page: str) -> str:
    """The page with its forms' CSRF tokens blanked: a token carries the second it was signed in, so two views
    either side of a second differ there and nowhere else."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', page)


def test_a_new_submission_makes_the_next_view_count_it(app_context, client, login, programme, make_respondent):
    login(Role.PSYCHOLOGIST)
    view(client)
    matched = self_esteem().reach.n_matched
    _answer_rses_before_and_after(make_respondent())
    _page, after = view(client)
    assert len(after) > 2
    assert self_esteem().reach.n_matched == matched + 1


def test_an_edited_definition_shows_at_the_next_view(app_context, client, login, programme):
    login(Role.PSYCHOLOGIST)
    assert "Self-esteem of the children served" not in view(client)[0]
    definition = db.session.scalar(select(IndicatorDefinition).filter_by(code="children_self_esteem"))
    definition.title = definition.title | {"en": "Self-esteem of the children served"}
    db.session.commit()
    assert "Self-esteem of the children served" in view(client)[0]


def test_a_renamed_territory_shows_at_the_next_view(app_context, client, login, programme):
    login(Role.PSYCHOLOGIST)
    assert "Kara-Suu district" not in view(client)[0]
    rename_territory(db.session.scalar(select(Territory).order_by(Territory.code)), "Kara-Suu district")
    db.session.commit()
    assert "Kara-Suu district" in view(client)[0]


def test_the_viewer_and_staff_never_share_a_cached_report(app_context, client, login, programme):
    login(Role.PSYCHOLOGIST)
    staff_page = view(client)[0]
    login(Role.VIEWER)
    viewer_page, viewer_statements = view(client)
    assert len(viewer_statements) > 2
    assert "not shown" in viewer_page and "not shown" not in staff_page
    assert "De-identified data" not in viewer_page
    login(Role.PSYCHOLOGIST, "another-psychologist")
    staff_again, staff_statements = view(client)
    assert len(staff_statements) == 2
    assert "not shown" not in staff_again and "De-identified data (CSV)" in staff_again


def test_each_export_of_a_cached_report_draws_its_own_pseudonyms(app_context, client, login, programme):
    login(Role.COORDINATOR)
    view(client)
    first, second = (_changes_sheet(client) for _ in range(2))
    assert len(first) == len(second) > 1
    assert not {row["pseudonym"] for row in first} & {row["pseudonym"] for row in second}
    assert [_without_pseudonym(row) for row in first] == [_without_pseudonym(row) for row in second]


def _changes_sheet(client) -> list[dict]:
    """The workbook's "Change per respondent" rows, by column name (the first column is the pseudonym)."""
    response = client.get("/reports/download?format=xlsx&lang=en")
    assert response.status_code == 200
    header, *rows = load_workbook(BytesIO(response.data))["Change per respondent"].iter_rows(values_only=True)
    return [dict(zip(["pseudonym", *header[1:]], row)) for row in rows]


def _without_pseudonym(row: dict) -> dict:
    return {name: value for name, value in row.items() if name != "pseudonym"}


def _answer_rses_before_and_after(respondent) -> None:
    """The new child answers the RSES at baseline and after, as the first matched child of the demo did."""
    rses = (
        select(Submission)
        .join(SurveySession)
        .join(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.code == "rses")
        .order_by(Submission.id)
    )
    by_wave: dict[Wave, dict[int, Submission]] = {}
    for submission in db.session.scalars(rses):
        by_wave.setdefault(submission.session.wave, {}).setdefault(submission.respondent_id, submission)
    matched = next(code for code in by_wave[Wave.BASELINE] if code in by_wave[Wave.POST])
    for wave in (Wave.BASELINE, Wave.POST):
        source = by_wave[wave][matched]
        db.session.add(
            Submission(
                client_uuid=uuid.uuid4(),
                session_id=source.session_id,
                respondent_id=respondent.id,
                instrument_version_id=source.instrument_version_id,
                language=source.language,
                answers=source.answers,
                received_at=utc_now(),
                scores=[
                    Score(scale=s.scale, value=s.value, band=s.band, n_answered=s.n_answered, n_items=s.n_items)
                    for s in source.scores
                ],
            )
        )
    db.session.commit()


def test_the_pdf_uses_the_charts_drawn_for_the_page(app_context, client, login, programme, monkeypatch):
    login(Role.PSYCHOLOGIST)
    view(client)
    drawn = []
    monkeypatch.setattr(cache, "draw_charts", lambda report: drawn.append(report) or pytest.fail("drawn again"))
    response = client.get("/reports/download?format=pdf&lang=en")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert drawn == []


def test_the_workbook_shows_the_summary_chart_drawn_for_the_page(app_context, client, login, programme, monkeypatch):
    login(Role.PSYCHOLOGIST)
    view(client)
    monkeypatch.setattr(cache, "draw_charts", lambda report: pytest.fail("drawn again"))
    monkeypatch.setattr(plots, "_summary", lambda entries: pytest.fail("summary chart drawn again"))
    response = client.get("/reports/download?format=xlsx&lang=en")
    assert response.status_code == 200
    assert len(load_workbook(BytesIO(response.data))["Summary"]._images) == 1


def test_charts_are_drawn_once_per_language(app_context, client, login, programme, monkeypatch):
    login(Role.PSYCHOLOGIST)
    drawn = []
    draw = cache.draw_charts
    monkeypatch.setattr(cache, "draw_charts", lambda report: drawn.append(report) or draw(report))
    view(client)
    view(client)
    client.get("/reports/download?format=pdf&lang=en")
    assert len(drawn) == 1
    client.get("/reports/download?format=pdf&lang=ru")
    assert len(drawn) == 2
