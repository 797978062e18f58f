"""Staff pages of the instrument library: languages side by side, versions compared, XLSForm in and out."""

import io

import openpyxl
import pytest
import yaml
from markupsafe import escape
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from surveyapp.auth.models import Role
from surveyapp.instruments.xlsform import import_xlsform
from tests.factories import mood_instrument
from tests.instruments import hostile_workbooks as hostile
from tests.instruments import xlsforms
from tests.instruments.test_workbook_limits import EXPECTED_PROBLEM


def test_a_version_is_shown_in_every_language_side_by_side(client, login, publish):
    login(Role.PSYCHOLOGIST)
    version = publish(mood_instrument())
    page = client.get(f"/instruments/versions/{version.id}").text
    assert all(text in page for text in ("I feel calm. (ky)", "I feel calm. (ru)", "I feel calm."))
    assert "reversed" in page and "prorate" in page and "non_acute" in page


def test_the_notes_for_staff_are_on_the_staff_page(client, login, publish):
    login(Role.TRAINER)
    version = publish(
        {
            **mood_instrument(),
            "staff_notes": {
                "ky": "Окуп бериңиз (ky)",
                "ru": "Прочитайте (ru)",
                "en": "Read the questions aloud if asked.",
            },
        }
    )
    page = client.get(f"/instruments/versions/{version.id}").text
    assert "Notes for staff" in page and "Read the questions aloud if asked." in page


def test_two_versions_are_compared(client, login, publish):
    login(Role.COORDINATOR)
    publish(mood_instrument("1.0"))
    changed = mood_instrument("1.1")
    changed["items"][0]["text"]["en"] = "I feel very calm."
    publish(changed)
    assert "Compare versions" in client.get("/instruments/").text
    page = client.get("/instruments/mood/compare").text
    assert "m1" in page and "I feel calm." in page and "I feel very calm." in page
    assert client.get("/instruments/mood/compare?old=999").status_code == 404


def test_a_version_downloads_as_an_xlsform_that_imports_back_the_same(client, login, publish):
    login(Role.TRAINER)
    version = publish(mood_instrument())
    response = client.get(f"/instruments/versions/{version.id}/xlsform")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert set(openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames) >= {"survey", "choices", "settings"}
    assert import_xlsform(response.data) == mood_instrument()


def test_an_uploaded_xlsform_comes_back_as_a_draft(client, login, publish):
    login(Role.COORDINATOR)
    version = publish(mood_instrument())
    xlsx = client.get(f"/instruments/versions/{version.id}/xlsform").data
    response = client.post("/instruments/xlsform", data={"xlsform": (io.BytesIO(xlsx), "mood.xlsx")})
    assert response.status_code == 200
    assert yaml.safe_load(response.data) == mood_instrument()


def test_a_wrong_file_is_refused_with_a_clear_message(client, login):
    login(Role.COORDINATOR)
    not_xlsx = client.post("/instruments/xlsform", data={"xlsform": (io.BytesIO(b"hello"), "form.xlsx")})
    assert not_xlsx.status_code == 422 and "xlsx" in not_xlsx.text.lower()
    wrong_type = client.post("/instruments/xlsform", data={"xlsform": (io.BytesIO(b"a,b"), "form.csv")})
    assert wrong_type.status_code == 422 and "Choose an .xlsx or .xls file." in wrong_type.text


def test_the_cli_round_trips_an_instrument_through_xlsform(runner, publish, tmp_path):
    publish(mood_instrument())
    xlsx, draft = tmp_path / "mood.xlsx", tmp_path / "mood-draft.yaml"
    assert runner.invoke(args=["instruments", "export-xlsform", "mood", "1.0", "-o", str(xlsx)]).exit_code == 0
    result = runner.invoke(args=["instruments", "import-xlsform", str(xlsx), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(draft.read_text(encoding="utf-8")) == mood_instrument()
    again = runner.invoke(args=["instruments", "import-xlsform", str(xlsx), "-o", str(draft)])
    assert again.exit_code != 0 and "exists already" in again.output


def test_the_cli_refuses_a_bad_xlsform_naming_row_and_column(runner, app_context, tmp_path):
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Russian (ru)", "calculation"])
    survey.append(["calculate", "total", "", "${a} + ${b}"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::Russian (ru)"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["instruments", "import-xlsform", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code != 0
    assert "survey" in result.output and "row 2" in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_an_xls_form_from_kobo_comes_back_as_a_draft(client, login):
    login(Role.COORDINATOR)
    response = upload(client, xlsforms.xls(xlsforms.SCHOOL), "school.xls")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"] == "attachment; filename=school-1.2.yaml"
    draft = yaml.safe_load(response.data)
    assert (draft["languages"], draft["items"][1]["options"]) == (["ru", "ky"], "often")


def test_a_form_with_a_repeat_is_refused_naming_its_row(client, login):
    login(Role.COORDINATOR)
    form = {**xlsforms.SCHOOL, "survey": [*xlsforms.SCHOOL["survey"], ["begin repeat", "kids", "Дети"], ["end repeat"]]}
    response = upload(client, xlsforms.xlsx(form))
    assert response.status_code == 422
    assert "survey sheet, row 6, column &#39;type&#39;: repeats are not supported by surveyapp" in response.text


def upload(client, content: bytes, filename: str = "form.xlsx"):
    """The form as a browser posts it, encoded here: the test client spools a body over 500 KB to a temporary file
    that it never closes."""
    boundary, body = encode_multipart({"xlsform": FileStorage(io.BytesIO(content), filename)})
    return client.post("/instruments/xlsform", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("name", hostile.HOSTILE)
def test_every_bad_file_of_issue_15_gets_a_short_page_naming_its_problem(client, login, name):
    login(Role.COORDINATOR)
    content = hostile.HOSTILE[name]()
    response = upload(client, content)
    assert response.status_code == 422
    assert "The file was not imported:" in response.text
    assert str(escape(EXPECTED_PROBLEM[name])) in response.text
    assert len(response.data) < 50_000  # 83 MB before, for the million rows


def test_a_page_of_problems_lists_fifty_and_counts_the_rest(client, login):
    login(Role.COORDINATOR)
    content = hostile.many_refused_rows(1_000)
    response = upload(client, content)
    assert response.status_code == 422
    assert (
        response.text.count("geo questions (&#39;geopoint&#39;)") == 50 and "... and 950 more problems" in response.text
    )


def test_the_upload_form_says_the_limits(client, login):
    login(Role.COORDINATOR)
    assert "An .xlsx or .xls file of at most 2 MB and 10,000 rows per sheet." in client.get("/instruments/").text


def test_a_file_over_2_mb_is_answered_413_on_the_upload_page(client, login):
    login(Role.COORDINATOR)
    response = upload(client, bytes(3_000_000))
    assert response.status_code == 413
    assert "an XLSForm can be at most 2.0 MB" in response.text and "Check and make a draft" in response.text


def test_a_request_over_5_mb_is_answered_413_before_it_is_read(client, login):
    login(Role.COORDINATOR)
    response = upload(client, bytes(6_000_000))
    assert response.status_code == 413 and "The file or form is too large." in response.text
