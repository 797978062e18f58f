"""The de-identified data as an export job: asked for on the page, made by the export worker, downloaded by its
requester; hand-made rows, so that every expected cell is known."""

import csv
import io
import stat
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.reports import data_export, export_jobs
from surveyapp.reports.models import ExportJob, ExportState, IndicatorDefinition
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.indicators import Statistic
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from tests.factories import mood_instrument

HEADER = ["pseudonym", "kind", "sex", "age_group", "territory", "session", "wave", "instrument", "scale", "value"]
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _own_instance_folder(app, tmp_path, monkeypatch):
    """Each test's export files apart (job ids start again at 1 in every test)."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.fixture
def mood_data(app_context, publish, make_respondent):
    """Child A (female, born 2012) answers the mood check at baseline (5), again at a second baseline session
    (7: the second submission of the wave, not counted), and after (9); child B (male, born 2010) at baseline
    only (8); child C's baseline has no score (too many items missing). One indicator counts the mood total from
    baseline to post. Age groups by the session's year: A is 14 in 2026 and 15 in 2027, B 16 in 2026."""
    version = publish(mood_instrument())
    a = make_respondent(sex=Sex.FEMALE, birth_year=2012)
    b = make_respondent(sex=Sex.MALE, birth_year=2010)
    c = make_respondent()
    territory = db.session.get(Territory, a.territory_id).name
    baseline = _session("Baseline at school 5", date(2026, 11, 20), Wave.BASELINE, version)
    baseline_again = _session("Baseline at school 7", date(2026, 11, 21), Wave.BASELINE, version)
    post = _session("Post at school 5", date(2027, 3, 2), Wave.POST, version)
    for minutes, (respondent, session, value) in enumerate(
        [(a, baseline, 5.0), (b, baseline, 8.0), (a, baseline_again, 7.0), (c, baseline, None), (a, post, 9.0)]
    ):
        _submit(respondent, session, version, value, T0 + timedelta(minutes=minutes))
    db.session.add(
        IndicatorDefinition(
            code="mood",
            title={"en": "Mood"},
            method={"en": "Survey"},
            target=2,
            respondent_kind=RespondentKind.CHILD,
            pre_instrument="mood",
            post_instrument="mood",
            scale="total",
            statistic=Statistic.MEAN_CHANGE,
        )
    )
    db.session.commit()
    baseline_label, post_label = "Baseline at school 5 (2026-11-20)", "Post at school 5 (2027-03-02)"
    return [
        ["child", "female", "13-14", territory, baseline_label, "baseline", "mood", "total", "5.0"],
        ["child", "male", "15-16", territory, baseline_label, "baseline", "mood", "total", "8.0"],
        ["child", "female", "15-16", territory, post_label, "post", "mood", "total", "9.0"],
    ]


def _session(title, held_on, wave, version):
    return plan_session(
        title=title,
        held_on=held_on,
        place="School 5",
        wave=wave,
        territory_id=None,
        trainer_id=None,
        instrument_version_ids=[version.id],
    )


def _submit(respondent: Respondent, session, version, value: float | None, at: datetime) -> None:
    db.session.add(
        Submission(
            client_uuid=uuid.uuid4(),
            session_id=session.id,
            respondent_id=respondent.id,
            instrument_version_id=version.id,
            language="en",
            answers={},
            received_at=at,
            scores=[Score(scale="total", value=value, band=None, n_answered=4 if value is not None else 1, n_items=4)],
        )
    )


def ask(client, file_format: str = "data-csv") -> int:
    response = client.post("/reports/exports/", data={"format": file_format, "lang": "en"})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def run_worker() -> None:
    export_jobs.run_pass(datetime.now(timezone.utc))
    db.session.expire_all()


def fetch(client, path: str):
    """GET, the body read and the response closed (a file download keeps its file open until then)."""
    with client.get(path) as response:
        response.get_data()
        return response


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_data_is_asked_for_made_by_the_worker_then_downloaded(client, login, mood_data):
    user = login(Role.COORDINATOR)
    job_id = ask(client)
    waiting = client.get(f"/reports/exports/{job_id}").text
    assert "Waiting for the export worker" in waiting and '<meta http-equiv="refresh"' in waiting
    assert fetch(client, f"/reports/exports/{job_id}/file").status_code == 404

    run_worker()
    page = client.get(f"/reports/exports/{job_id}").text
    assert "Ready to download" in page and "3 rows." in page and 'http-equiv="refresh"' not in page
    response = fetch(client, f"/reports/exports/{job_id}/file")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=indicator-data-en.csv"
    rows = csv_rows(response.data)
    assert rows[0] == HEADER and [row[1:] for row in rows[1:]] == mood_data
    a_baseline, b_baseline, a_post = (row[0] for row in rows[1:])
    assert a_baseline == a_post != b_baseline and a_baseline.startswith("P-")

    job = db.session.get(ExportJob, job_id)
    assert stat.S_IMODE(export_jobs.file_path(job).stat().st_mode) == 0o600
    audited = db.session.execute(
        select(AuditEvent.action, AuditEvent.user_id, AuditEvent.details)
        .where(AuditEvent.action.contains("indicator_data"))
        .order_by(AuditEvent.id)
    ).all()
    assert [(action, user_id) for action, user_id, _ in audited] == [
        ("export_indicator_data", user.id),
        ("download_indicator_data", user.id),
    ]
    assert audited[0].details == {"format": "data-csv", "language": "en", "job": job_id}


def test_the_data_as_a_workbook_has_the_same_rows(client, login, mood_data):
    login(Role.PSYCHOLOGIST)
    job_id = ask(client, "data-xlsx")
    run_worker()
    response = fetch(client, f"/reports/exports/{job_id}/file")
    assert response.headers["Content-Disposition"] == "attachment; filename=indicator-data-en.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "De-identified data (long form)"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [list(row[1:9]) for row in rows[1:]] == [row[:8] for row in mood_data]
    assert [row[9] for row in rows[1:]] == [5, 8, 9]


def test_each_export_draws_new_pseudonyms(client, login, mood_data):
    login(Role.COORDINATOR)
    first, second = ask(client), ask(client)
    run_worker()
    pseudonyms = [
        {row[0] for row in csv_rows(fetch(client, f"/reports/exports/{job_id}/file").data)[1:]}
        for job_id in (first, second)
    ]
    assert len(pseudonyms[0]) == len(pseudonyms[1]) == 2 and pseudonyms[0].isdisjoint(pseudonyms[1])


@pytest.mark.parametrize("role", [Role.VIEWER, Role.TRAINER])
def test_who_may_not_see_individual_rows_cannot_ask_for_them(client, login, mood_data, role):
    login(role)
    assert client.post("/reports/exports/", data={"format": "data-csv", "lang": "en"}).status_code == 403
    assert client.get("/reports/exports/").status_code == 403
    assert "De-identified data" not in client.get("/reports/").text
    assert db.session.scalar(select(ExportJob)) is None


def test_an_export_belongs_to_its_requester_and_is_open_to_admins(app, client, login, mood_data):
    login(Role.COORDINATOR)
    job_id = ask(client)
    run_worker()
    login(Role.PSYCHOLOGIST, "another-psychologist")
    assert client.get(f"/reports/exports/{job_id}").status_code == 403
    assert fetch(client, f"/reports/exports/{job_id}/file").status_code == 403
    assert client.post(f"/reports/exports/{job_id}/retry").status_code == 403
    assert f"/reports/exports/{job_id}" not in client.get("/reports/exports/").text
    login(Role.ADMIN)
    assert fetch(client, f"/reports/exports/{job_id}/file").status_code == 200


def test_a_failed_export_says_so_leaves_no_file_and_can_be_tried_again(client, login, mood_data, monkeypatch):
    login(Role.COORDINATOR)
    job_id = ask(client)
    working_rows = data_export.data_rows

    def broken(_connection):
        yield ("P-00000000",) + tuple(mood_data[0])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(data_export, "data_rows", broken)
    run_worker()
    page = client.get(f"/reports/exports/{job_id}").text
    assert "Failed" in page and "The export failed." in page and "Try again" in page
    assert fetch(client, f"/reports/exports/{job_id}/file").status_code == 404
    assert not list(export_jobs.exports_folder().iterdir())

    monkeypatch.setattr(data_export, "data_rows", working_rows)
    assert client.post(f"/reports/exports/{job_id}/retry").status_code == 302
    assert "Waiting for the export worker" in client.get(f"/reports/exports/{job_id}").text
    run_worker()
    assert [row[1:] for row in csv_rows(fetch(client, f"/reports/exports/{job_id}/file").data)[1:]] == mood_data
    assert client.post(f"/reports/exports/{job_id}/retry").status_code == 409


def test_an_export_whose_worker_stopped_is_marked_interrupted(client, login, mood_data):
    login(Role.COORDINATOR)
    job_id = ask(client)
    job = db.session.get(ExportJob, job_id)
    job.start(datetime.now(timezone.utc) - timedelta(minutes=11))
    db.session.commit()
    run_worker()
    assert db.session.get(ExportJob, job_id).state == ExportState.FAILED
    assert "interrupted before it finished" in client.get(f"/reports/exports/{job_id}").text


def test_a_file_is_deleted_after_the_retention_period(client, login, mood_data):
    login(Role.COORDINATOR)
    job_id = ask(client)
    run_worker()
    job = db.session.get(ExportJob, job_id)
    path = export_jobs.file_path(job)
    job.finished_at -= timedelta(hours=23)  # the retention period is 24 hours by default (README)
    db.session.commit()
    run_worker()
    assert path.exists()
    job.finished_at -= timedelta(hours=2)
    db.session.commit()
    run_worker()
    assert not path.exists() and db.session.get(ExportJob, job_id).state == ExportState.EXPIRED
    assert fetch(client, f"/reports/exports/{job_id}/file").status_code == 404


def test_a_text_a_spreadsheet_would_run_as_a_formula_stays_text(client, login, mood_data):
    """OWASP "CSV Injection": names typed by staff (a session's title, a territory's) are never formulas."""
    territory = db.session.scalar(select(Territory).join(Respondent, Respondent.territory_id == Territory.id))
    territory.name = '=HYPERLINK("http://evil.example","x")'
    db.session.commit()
    login(Role.COORDINATOR)
    as_csv, as_xlsx = ask(client), ask(client, "data-xlsx")
    run_worker()
    rows = csv_rows(fetch(client, f"/reports/exports/{as_csv}/file").data)
    assert {row[4] for row in rows[1:]} == {'\'=HYPERLINK("http://evil.example","x")'}
    sheet = load_workbook(io.BytesIO(fetch(client, f"/reports/exports/{as_xlsx}/file").data)).active
    cells = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.value, cell.data_type) for cell in cells} == {('=HYPERLINK("http://evil.example","x")', "s")}


def test_the_rows_are_read_in_batches(app_context, mood_data, monkeypatch):
    """A batch smaller than the data: the same rows, in the same order, as in one batch."""
    monkeypatch.setattr(data_export, "BATCH_ROWS", 1)
    with db.engine.connect() as connection:
        assert [list(row[1:]) for row in data_export.data_rows(connection)] == [
            row[:8] + [float(row[8])] for row in mood_data
        ]
        assert data_export.count_data_rows(connection) == 3
