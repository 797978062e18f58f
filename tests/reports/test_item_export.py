"""Item-level data (issue 16): every answer and score of one instrument version, one row per submission, as CSV,
XLSX, SPSS and Stata with labels in the chosen language, and its codebook. The instrument, the answers and the
scores are written here by hand, so that every expected cell and label is known without the code under test;
the .sav and .dta files are read back with pyreadstat."""

import copy
import csv
import io
import math
import stat
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyreadstat
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.reports import export_jobs, item_data
from surveyapp.reports.models import ExportJob
from surveyapp.respondents.models import Respondent, Territory
from surveyapp.responses.models import Score, Submission
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SLEEP = {"ky": "Кандай уктайсың?", "ru": "Как ты спишь?", "en": "How do you sleep?"}
SPORTS = {"ky": "Кайсы спорт менен машыгасың?", "ru": "Каким спортом ты занимаешься?", "en": "Which sports do you do?"}
HOURS = {"ky": "Канча саат уктайсың?", "ru": "Сколько часов ты спишь?", "en": "How many hours do you sleep?"}
COMMENT = {"ky": "Дагы эмне?", "ru": "Что ещё?", "en": "Anything else?"}
SCALE = {"ky": "Уйку", "ru": "Сон", "en": "Sleep"}
HABITS: dict[str, Any] = {
    "id": "habits",
    "version": "1.0",
    "respondent_kind": "child",
    "title": {"ky": "Адаттар", "ru": "Привычки", "en": "Habits"},
    "languages": ["ky", "ru", "en"],
    "source": "Written for surveyapp's tests (issue 16).",
    "licence": "Test use.",
    "translation_status": {"ky": "draft", "ru": "draft", "en": "original"},
    "items": [
        {"id": "intro", "type": "note", "text": {"ky": "Салам", "ru": "Привет", "en": "Hello"}},
        {
            "id": "sleep",
            "type": "choice",
            "text": SLEEP,
            "options": [
                {"value": 1, "label": {"ky": "Жакшы", "ru": "Хорошо", "en": "Well"}},
                {"value": 2, "label": {"ky": "Начар", "ru": "Плохо", "en": "Badly"}},
                {
                    "value": 9,
                    "label": {"ky": "Айткым келбейт", "ru": "Не хочу отвечать", "en": "Rather not say"},
                    "missing": True,
                },
            ],
        },
        {
            "id": "sports",
            "type": "multi",
            "text": SPORTS,
            "options": [
                {"value": 1, "label": {"ky": "Футбол", "ru": "Футбол", "en": "Football"}},
                {"value": 2, "label": {"ky": "Шахмат", "ru": "Шахматы", "en": "Chess"}},
                {"value": 3, "label": {"ky": "Сүзүү", "ru": "Плавание", "en": "Swimming"}},
            ],
        },
        {"id": "hours", "type": "integer", "text": HOURS, "min": 0, "max": 24},
        {"id": "comment", "type": "text", "text": COMMENT},
    ],
    "scales": [
        {
            "id": "sleep",
            "label": SCALE,
            "items": ["sleep", "hours"],
            "method": "sum",
            "range": [1, 26],
            "missing": {"max_missing": 1, "rule": "prorate"},
        }
    ],
}
NAMES = [
    "pseudonym",
    "session",
    "wave",
    "territory",
    "date",
    "language",
    "sleep",
    "sports_1",
    "sports_2",
    "sports_3",
    "hours",
    "comment",
    "score_sleep",
]
BASELINE, POST = "Baseline at school 5 (2026-11-20)", "Post at school 5 (2027-03-02)"


@pytest.fixture(autouse=True)
def _own_instance_folder(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.fixture
def habits(app_context, publish, make_respondent):
    """Child A answers at baseline and after; child B at baseline ("rather not say", no sport, a comment a
    spreadsheet would run); child C has withdrawn; a second version's submission belongs to another export.
    Returns the version and the rows expected (without pseudonyms), written from the answers below."""
    version = publish(HABITS)
    other = publish({**copy.deepcopy(HABITS), "version": "2.0"})
    a, b, c = make_respondent(), make_respondent(), make_respondent()
    c.withdrawn_at = T0
    territory = db.session.get_one(Territory, a.territory_id).name
    baseline = _session("Baseline at school 5", date(2026, 11, 20), Wave.BASELINE, version)
    elsewhere = _session("Baseline at school 7", date(2026, 11, 21), Wave.BASELINE, other)
    post = _session("Post at school 5", date(2027, 3, 2), Wave.POST, version)
    _submit(a, baseline, version, "ru", {"sleep": 1, "sports": [1, 3], "hours": 8, "comment": "Всё хорошо"}, 9.0, 0)
    _submit(b, baseline, version, "ky", {"sleep": 9, "hours": 7, "comment": "=1+2"}, 14.0, 1)
    _submit(c, baseline, version, "en", {"sleep": 2, "sports": [2], "hours": 5}, 7.0, 2)
    _submit(a, elsewhere, other, "en", {"sleep": 2, "hours": 6}, 8.0, 3)
    _submit(a, post, version, "en", {"sleep": 2, "sports": [2], "hours": 10}, 12.0, 4)
    db.session.commit()
    return version, [
        [BASELINE, "baseline", territory, "2026-11-20", "ru", 1, 1, 0, 1, 8, "Всё хорошо", 9.0],
        [BASELINE, "baseline", territory, "2026-11-20", "ky", 9, None, None, None, 7, "=1+2", 14.0],
        [POST, "post", territory, "2027-03-02", "en", 2, 0, 1, 0, 10, None, 12.0],
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


def _submit(respondent, session, version, language, answers, score, minutes):
    db.session.add(
        Submission(
            client_uuid=uuid.uuid4(),
            session_id=session.id,
            respondent_id=respondent.id,
            instrument_version_id=version.id,
            language=language,
            answers=answers,
            received_at=T0 + timedelta(minutes=minutes),
            scores=[Score(scale="sleep", value=score, band=None, n_answered=2, n_items=2)],
        )
    )


def ask(client, version_id: int, file_format: str, language: str) -> int:
    response = client.post(f"/reports/exports/items/{version_id}", data={"format": file_format, "lang": language})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def exported(client, tmp_path, version_id: int, file_format: str, language: str):
    """Ask, let the worker make it, download it: (response, path of the downloaded copy)."""
    job_id = ask(client, version_id, file_format, language)
    export_jobs.run_pass(datetime.now(UTC))
    db.session.expire_all()
    with client.get(f"/reports/exports/{job_id}/file") as response:
        response.get_data()
    assert response.status_code == 200, db.session.get_one(ExportJob, job_id).error
    path = tmp_path / f"download.{file_format}"
    path.write_bytes(response.data)
    return response, path


def without_pseudonyms(rows):
    return [list(row[1:]) for row in rows]


def same_respondent(rows):
    """A's baseline and post rows share a pseudonym, B's differs."""
    pseudonyms = [row[0] for row in rows]
    return pseudonyms[0] == pseudonyms[2] != pseudonyms[1] and pseudonyms[0].startswith("P-")


def test_the_spss_file_has_russian_labels_and_every_answer(client, login, habits, tmp_path):
    version, expected = habits
    login(Role.COORDINATOR)
    response, path = exported(client, tmp_path, version.id, "sav", "ru")
    assert response.headers["Content-Disposition"] == "attachment; filename=items-habits-1.0-ru.sav"
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert list(frame.columns) == NAMES
    labels = meta.column_names_to_labels
    assert [labels[name] for name in NAMES[6:]] == [
        "Как ты спишь?",
        "Каким спортом ты занимаешься?: Футбол",
        "Каким спортом ты занимаешься?: Шахматы",
        "Каким спортом ты занимаешься?: Плавание",
        "Сколько часов ты спишь?",
        "Что ещё?",
        "Сон",
    ]
    assert meta.variable_value_labels["sleep"] == {1: "Хорошо", 2: "Плохо", 9: "Не хочу отвечать"}
    assert set(meta.variable_value_labels["sports_2"]) == {0, 1}
    assert meta.missing_ranges["sleep"] == [{"lo": 9.0, "hi": 9.0}]
    rows = [[_plain(value) for value in row] for row in frame.itertuples(index=False)]
    assert without_pseudonyms(rows) == [[_plain(cell) for cell in row] for row in expected]
    assert same_respondent(rows)
    stored = export_jobs.file_path(db.session.scalars(select(ExportJob)).one())
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_the_stata_file_has_kyrgyz_labels_and_every_answer(client, login, habits, tmp_path):
    version, expected = habits
    login(Role.PSYCHOLOGIST)
    _response, path = exported(client, tmp_path, version.id, "dta", "ky")
    frame, meta = pyreadstat.read_dta(str(path))
    assert list(frame.columns) == NAMES
    assert [meta.column_names_to_labels[name] for name in ("sleep", "sports_3", "hours", "score_sleep")] == [
        "Кандай уктайсың?",
        "Кайсы спорт менен машыгасың?: Сүзүү",
        "Канча саат уктайсың?",
        "Уйку",
    ]
    assert meta.variable_value_labels["sleep"] == {1: "Жакшы", 2: "Начар", 9: "Айткым келбейт"}
    rows = [[_plain(value) for value in row] for row in frame.itertuples(index=False)]
    assert without_pseudonyms(rows) == [[_plain(cell) for cell in row] for row in expected]
    assert same_respondent(rows)


def test_the_csv_has_a_row_per_submission_and_no_formula(client, login, habits, tmp_path):
    version, expected = habits
    login(Role.ADMIN)
    response, _path = exported(client, tmp_path, version.id, "csv", "en")
    assert response.headers["Content-Disposition"] == "attachment; filename=items-habits-1.0-en.csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == NAMES
    as_text = [["" if cell is None else str(cell) for cell in row] for row in expected]
    as_text[1][10] = "'=1+2"
    assert without_pseudonyms(rows[1:]) == as_text
    assert same_respondent(rows[1:])


def test_the_workbook_has_the_same_rows_and_texts_stay_texts(client, login, habits, tmp_path):
    version, expected = habits
    login(Role.COORDINATOR)
    response, _path = exported(client, tmp_path, version.id, "xlsx", "en")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == NAMES
    assert [[_plain(cell) for cell in row] for row in without_pseudonyms(rows[1:])] == [
        [_plain(cell) for cell in row] for row in expected
    ]
    comment = next(sheet.iter_rows(min_row=3, max_row=3, min_col=12, max_col=12))[0]
    assert (comment.value, comment.data_type) == ("=1+2", "s")


def test_each_export_draws_new_pseudonyms_and_never_shows_a_code(client, login, habits, tmp_path):
    version, _expected = habits
    login(Role.COORDINATOR)
    files = [exported(client, tmp_path, version.id, "csv", "en")[0].data.decode("utf-8-sig") for _ in range(2)]
    pseudonyms = [{row[0] for row in list(csv.reader(io.StringIO(text)))[1:]} for text in files]
    assert len(pseudonyms[0]) == len(pseudonyms[1]) == 2 and pseudonyms[0].isdisjoint(pseudonyms[1])
    codes = db.session.scalars(select(Respondent.code)).all()
    assert not any(code in text for code in codes for text in files)


def test_a_withdrawn_child_is_absent_and_the_job_counts_the_rows(client, login, habits, tmp_path):
    version, _expected = habits
    login(Role.COORDINATOR)
    exported(client, tmp_path, version.id, "csv", "en")
    job = db.session.scalars(select(ExportJob)).one()
    assert (job.rows_total, job.rows_written) == (3, 3)
    page = client.get(f"/reports/exports/{job.id}").text
    assert "3 rows." in page and "Item-level data of Habits (1.0)" in page and "Codebook (XLSX)" in page
    assert "Habits (1.0) (en)" in client.get("/reports/exports/").text


def test_every_export_and_codebook_is_audited(client, login, habits, tmp_path):
    version, _expected = habits
    user = login(Role.COORDINATOR)
    exported(client, tmp_path, version.id, "dta", "ru")
    assert client.get(f"/reports/exports/items/{version.id}/codebook?lang=ru").status_code == 200
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.user_id, AuditEvent.details)
        .where(AuditEvent.action.contains("item"))
        .order_by(AuditEvent.id)
    ).all()
    assert [(action, user_id) for action, user_id, _ in events] == [
        ("export_item_data", user.id),
        ("download_item_data", user.id),
        ("download_item_codebook", user.id),
    ]
    job = db.session.scalars(select(ExportJob)).one()
    assert events[0].details == {
        "version": version.id,
        "instrument": "habits-1.0",
        "format": "dta",
        "language": "ru",
        "job": job.id,
    }


@pytest.mark.parametrize("role", [Role.VIEWER, Role.TRAINER])
def test_the_mayors_office_and_trainers_get_no_item_data(client, login, habits, role):
    version, _expected = habits
    login(role)
    assert client.get("/reports/exports/items").status_code == 403
    assert client.post(f"/reports/exports/items/{version.id}", data={"format": "sav", "lang": "en"}).status_code == 403
    assert client.get(f"/reports/exports/items/{version.id}/codebook").status_code == 403
    assert db.session.scalar(select(ExportJob)) is None


def test_an_unknown_version_is_not_found(client, login, habits):
    login(Role.COORDINATOR)
    assert client.post("/reports/exports/items/999", data={"format": "csv", "lang": "en"}).status_code == 404
    assert client.get("/reports/exports/items/999/codebook").status_code == 404
    assert db.session.scalar(select(ExportJob)) is None


def test_an_unknown_format_or_language_is_refused(client, login, habits):
    version, _expected = habits
    login(Role.COORDINATOR)
    assert client.post(f"/reports/exports/items/{version.id}", data={"format": "sas", "lang": "en"}).status_code == 400
    assert client.post(f"/reports/exports/items/{version.id}", data={"format": "csv", "lang": "de"}).status_code == 400


def test_the_page_lists_each_version_with_its_exports(client, login, habits):
    version, _expected = habits
    login(Role.COORDINATOR)
    page = client.get("/reports/exports/items").text
    assert "Habits (1.0)" in page and "Habits (2.0)" in page
    assert f'action="/reports/exports/items/{version.id}"' in page and 'value="sav"' in page


def test_the_codebook_names_every_variable_its_values_the_scoring_and_the_source(client, login, habits):
    version, _expected = habits
    login(Role.COORDINATOR)
    response = client.get(f"/reports/exports/items/{version.id}/codebook?lang=en")
    assert response.headers["Content-Disposition"] == "attachment; filename=codebook-habits-1.0-en.xlsx"
    workbook = load_workbook(io.BytesIO(response.data))
    variables = list(workbook["Variables"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in variables] == NAMES
    assert variables[6] == (
        "sleep",
        "How do you sleep?",
        "number",
        "1 = Well; 2 = Badly; 9 = Rather not say",
        "item sleep",
    )
    assert variables[8][:2] == ("sports_2", "Which sports do you do?: Chess")
    values = list(workbook["Values"].iter_rows(min_row=2, values_only=True))
    assert ("sleep", 9, "Rather not say", "yes", 9) in values and ("sports_1", 1, "chosen", None, 1) in values
    (scale,) = workbook["Scales"].iter_rows(min_row=2, values_only=True)
    assert scale[:8] == (
        "score_sleep",
        "Sleep",
        "sleep, hours",
        None,
        "sum",
        "at most 1 missing: prorated from the answered items",
        None,
        "1-26",
    )
    instrument = dict(workbook["Instrument"].iter_rows(min_row=2, values_only=True))
    assert instrument["Source"] == "Written for surveyapp's tests (issue 16)."
    assert instrument["Title"] == "Habits" and instrument["Version"] == "1.0"


def test_the_rows_are_read_in_batches(client, login, habits, tmp_path, monkeypatch):
    """A batch smaller than a submission's rows: the same file."""
    version, _expected = habits
    monkeypatch.setattr(item_data, "BATCH_ROWS", 1)
    login(Role.COORDINATOR)
    response, _path = exported(client, tmp_path, version.id, "csv", "en")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[3][1] == POST


def _plain(value):
    """A cell as the test writes it: numbers as floats, a missing number None, dates and texts as text."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int | float):
        return float(value)
    return str(value)[:10] if isinstance(value, date | datetime) else value
