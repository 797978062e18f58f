"""Item-level data of a form in the style of a KoboToolbox XLSForm (issue 16): text choice names, a numeric list
with `other`, a multi with text names, a date, a calculate, languages other than ky/ru/en. The expected cells
and labels are written here by hand from the answers below; the calculate's value is worked by hand with the
XPath rules (number("") is NaN, NaN + 1 is NaN, shown as "NaN")."""

import csv
import io
import math
import uuid
from datetime import date, datetime
from typing import Any

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import Wave
from tests.reports.test_item_export import T0, _session, exported

MEALS: dict[str, Any] = {
    "id": "meals",
    "version": "1.0",
    "respondent_kind": "child",
    "title": {"en": "Meals", "fr": "Repas"},
    "languages": ["en", "fr"],
    "language_names": {"en": "English (en)", "fr": "Français"},
    "source": "Written for surveyapp's tests in the style of a KoboToolbox form (issue 16).",
    "licence": "Test use.",
    "translation_status": {"en": "original", "fr": "draft"},
    "items": [
        {
            "id": "likes",
            "type": "choice",
            "text": {"en": "Do you like the school meals?", "fr": "Aimes-tu la cantine ?"},
            "options": [
                {"value": "yes", "label": {"en": "Yes", "fr": "Oui"}},
                {"value": "no", "label": {"en": "No", "fr": "Non"}},
                {"value": "dont_know", "label": {"en": "Don't know", "fr": "Je ne sais pas"}, "missing": True},
            ],
        },
        {
            "id": "meals",
            "type": "choice",
            "text": {"en": "Meals a day", "fr": "Repas par jour"},
            "options": [
                {"value": 1, "label": {"en": "One", "fr": "Un"}},
                {"value": 2, "label": {"en": "Two", "fr": "Deux"}},
                {"value": 3, "label": {"en": "Three", "fr": "Trois"}},
                {"value": "other", "label": {"en": "Other", "fr": "Autre"}},
            ],
        },
        {
            "id": "fruits",
            "type": "multi",
            "text": {"en": "Fruits you ate", "fr": "Fruits mangés"},
            "options": [
                {"value": "apple", "label": {"en": "Apple", "fr": "Pomme"}},
                {"value": "pear", "label": {"en": "Pear", "fr": "Poire"}},
                {"value": "wild.berry", "label": {"en": "Wild berries", "fr": "Baies sauvages"}},
            ],
        },
        {"id": "born", "type": "date", "text": {"en": "Date of birth", "fr": "Date de naissance"}},
        {"id": "age", "type": "integer", "text": {"en": "Age", "fr": "Âge"}},
        {"id": "age_next", "type": "calculate", "calculation": "${age} + 1"},
        {"id": "comment", "type": "text", "text": {"en": "Anything else?", "fr": "Autre chose ?"}},
    ],
}
NAMES = [
    "pseudonym",
    "session",
    "wave",
    "territory",
    "date",
    "language",
    "likes",
    "meals",
    "fruits_apple",
    "fruits_pear",
    "fruits_wild_berry",
    "born",
    "age",
    "age_next",
    "comment",
]
SESSION = "Baseline at school 5 (2026-11-20)"
# the answers as the respondents gave them, then the row expected after the six context cells
A = {"likes": "yes", "meals": "other", "fruits": ["apple", "wild.berry"], "born": "2015-04-30", "age": 10}
B = {"likes": "dont_know", "meals": 2, "fruits": [], "comment": "Très bien"}
A_CSV = ["yes", "other", "1", "0", "1", "2015-04-30", "10", "11", ""]
B_CSV = ["dont_know", "2", "0", "0", "0", "", "", "NaN", "Très bien"]
# SPSS and Stata: yes, no, dont_know are 1, 2, 3 (no number among them); other is 4 (after 1, 2, 3)
A_CODED = [1.0, 4.0, 1.0, 0.0, 1.0, date(2015, 4, 30), 10.0, "11", ""]
B_CODED = [3.0, 2.0, 0.0, 0.0, 0.0, None, None, "NaN", "Très bien"]


@pytest.fixture(autouse=True)
def _own_instance_folder(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.fixture
def meals(app_context, publish, make_respondent):
    version = publish(MEALS)
    session = _session("Baseline at school 5", date(2026, 11, 20), Wave.BASELINE, version)
    for minutes, answers in enumerate((A, B)):
        db.session.add(
            Submission(
                client_uuid=uuid.uuid4(),
                session_id=session.id,
                respondent_id=make_respondent().id,
                instrument_version_id=version.id,
                language="en",
                answers=answers,
                received_at=T0.replace(minute=minutes),
                scores=[],
            )
        )
    db.session.commit()
    return version


def test_the_csv_keeps_choice_names_dates_and_calculated_values(client, login, meals, tmp_path):
    login(Role.COORDINATOR)
    response, _path = exported(client, tmp_path, meals.id, "csv", "en")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == NAMES
    assert [row[1:6] for row in rows[1:]] == [[SESSION, "baseline", row[3], "2026-11-20", "en"] for row in rows[1:]]
    assert [row[6:] for row in rows[1:]] == [A_CSV, B_CSV]


def test_the_workbook_has_a_date_cell_and_the_choice_names(client, login, meals, tmp_path):
    login(Role.COORDINATOR)
    response, _path = exported(client, tmp_path, meals.id, "xlsx", "en")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][6:8] == ("yes", "other") and rows[1][6:8] == ("dont_know", 2)
    assert rows[0][11] == datetime(2015, 4, 30) and rows[0][13] == "11"


@pytest.mark.parametrize("file_format", ["sav", "dta"])
def test_spss_and_stata_number_the_choice_names_and_label_them(client, login, meals, tmp_path, file_format):
    login(Role.COORDINATOR)
    _response, path = exported(client, tmp_path, meals.id, file_format, "en")
    if file_format == "sav":
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    else:
        frame, meta = pyreadstat.read_dta(str(path))
    assert list(frame.columns) == NAMES
    assert [[_plain(cell) for cell in row[6:]] for row in frame.itertuples(index=False)] == [A_CODED, B_CODED]
    assert meta.variable_value_labels["likes"] == {1: "Yes", 2: "No", 3: "Don't know"}
    assert meta.variable_value_labels["meals"] == {1: "One", 2: "Two", 3: "Three", 4: "Other"}
    assert meta.column_names_to_labels["fruits_wild_berry"] == "Fruits you ate: Wild berries"
    assert meta.column_names_to_labels["age_next"] == "age_next"


def test_spss_marks_a_named_missing_choice_by_its_number(client, login, meals, tmp_path):
    login(Role.COORDINATOR)
    _response, path = exported(client, tmp_path, meals.id, "sav", "en")
    _frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.missing_ranges == {"likes": [{"lo": 3.0, "hi": 3.0}]}


def test_labels_in_a_language_the_form_lacks_fall_back_to_its_first(client, login, meals, tmp_path):
    """The form has English and French; Kyrgyz asked, Russian absent too: its first language, English."""
    login(Role.COORDINATOR)
    _response, path = exported(client, tmp_path, meals.id, "sav", "ky")
    _frame, meta = pyreadstat.read_sav(str(path))
    assert meta.column_names_to_labels["likes"] == "Do you like the school meals?"


def test_the_forms_own_language_can_be_chosen_and_others_not(client, login, meals, tmp_path):
    login(Role.COORDINATOR)
    page = client.get("/reports/exports/items").text
    assert '<option value="fr">fr</option>' in page and f"/reports/exports/items/{meals.id}/codebook?lang=fr" in page
    response, path = exported(client, tmp_path, meals.id, "dta", "fr")
    assert response.headers["Content-Disposition"] == "attachment; filename=items-meals-1.0-fr.dta"
    _frame, meta = pyreadstat.read_dta(str(path))
    assert meta.column_names_to_labels["likes"] == "Aimes-tu la cantine ?"
    assert meta.variable_value_labels["likes"] == {1: "Oui", 2: "Non", 3: "Je ne sais pas"}
    assert client.post(f"/reports/exports/items/{meals.id}", data={"format": "csv", "lang": "de"}).status_code == 400


def test_the_codebook_gives_each_name_its_number_and_the_calculation(client, login, meals):
    login(Role.COORDINATOR)
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/exports/items/{meals.id}/codebook?lang=en").data))
    variables = {row[0]: row for row in workbook["Variables"].iter_rows(min_row=2, values_only=True)}
    assert variables["likes"][2:] == (
        "text; numbers in SPSS and Stata",
        "yes = Yes; no = No; dont_know = Don't know",
        "item likes",
    )
    assert variables["age_next"][4] == "calculated: ${age} + 1"
    assert variables["born"][2] == "date"
    values = list(workbook["Values"].iter_rows(min_row=2, values_only=True))
    assert ("likes", "dont_know", "Don't know", "yes", 3) in values
    assert ("meals", "other", "Other", None, 4) in values and ("meals", 2, "Two", None, 2) in values
    instrument = dict(workbook["Instrument"].iter_rows(min_row=2, values_only=True))
    assert instrument["Languages"] == "en (English (en), original), fr (Français, draft)"


def _plain(cell):
    if isinstance(cell, float) and math.isnan(cell):
        return None
    return cell.date() if isinstance(cell, datetime) else cell
