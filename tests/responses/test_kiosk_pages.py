"""Kiosk pages as a child meets them: the pages kept on the tablet for offline use hold no child data, the
language switch keeps the answers given, and starting over asks first."""

import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.responses.kiosk_pages import KIOSK_ASSETS, KIOSK_STATIC, script_strings
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument
from tests.responses.test_kiosk import give_assent, join
from tests.responses.test_kiosk_devices import kiosk_data


@pytest.fixture
def mood_session(publish, make_session):
    return make_session([publish(mood_instrument())])


def test_a_questionnaire_kept_for_offline_use_holds_no_child_data(client, mood_session, make_respondent):
    child = make_respondent()
    join(client, mood_session, child)
    give_assent(client)
    version = mood_session.instrument_versions[0]

    page = client.get(f"/kiosk/take/{version.id}?lang=ky").text
    assert child.code not in page and "csrf_token" not in page and "client_uuid" not in page
    assert "Mood check (ky)" in page and 'data-mode="offline"' in page
    assert re.search(r'id="q-m1"[^>]*data-screen="0"', page) and re.search(r'id="q-m2"[^>]*data-screen="1"', page)
    assert "Mood check (ru)" in client.get(f"/kiosk/take/{version.id}?lang=ru").text


@pytest.mark.parametrize("path", ["/kiosk/done", "/kiosk/offline"])
@pytest.mark.parametrize(("language", "word"), [("ky", "Рахмат|тармак"), ("ru", "Спасибо|сети")])
def test_pages_kept_for_offline_use_speak_the_tablets_language_and_link_no_staff_page(client, path, language, word):
    page = client.get(f"{path}?lang={language}").text
    assert f'<html lang="{language}">' in page and re.search(word, page)
    assert "/auth/login" not in page and "/sessions/" not in page


def test_the_assent_page_gives_the_scripts_the_childs_run(client, mood_session, make_respondent):
    child = make_respondent()
    join(client, mood_session, child)
    data = kiosk_data(client.get("/kiosk/assent").text)
    run, version = data["run"], mood_session.instrument_versions[0]
    assert {f"/kiosk/take/{version.id}?lang={language}" for language in ("ky", "ru", "en")} <= set(data["precache"])
    assert run["respondent_code"] == child.code and run["join_code"] == mood_session.join_code
    assert [entry["version_id"] for entry in run["queue"]] == [version.id]
    assert run["take_url"].replace("{version_id}", str(version.id)) == f"/kiosk/take/{version.id}"


def test_the_service_worker_is_served_for_the_kiosk_scope(client):
    with client.get("/kiosk/sw.js") as response:
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert 'addEventListener("fetch"' in response.text


def test_switching_language_in_a_questionnaire_keeps_the_answers(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="ru")
    give_assent(client)
    page = client.get("/kiosk/questionnaire").text
    client_uuid = re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)

    response = client.post(
        "/kiosk/questionnaire", data={"m1": "3", "m3": "1", "switch_language": "ky", "client_uuid": client_uuid}
    )
    assert response.headers["Location"].endswith("/kiosk/questionnaire")
    page = client.get("/kiosk/questionnaire").text
    assert "Mood check (ky)" in page
    assert 'name="m1" value="3" checked' in page and 'name="m3" value="1" checked' in page
    assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_starting_over_asks_first(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent())
    give_assent(client)
    confirmation = client.post("/kiosk/start-over")
    assert confirmation.status_code == 200 and 'name="confirm" value="yes"' in confirmation.text
    assert client.get("/kiosk/questionnaire").status_code == 200  # not confirmed: the child goes on

    assert client.post("/kiosk/start-over", data={"confirm": "yes"}).headers["Location"].endswith("/kiosk/")
    assert client.get("/kiosk/questionnaire").headers["Location"].endswith("/kiosk/")


def test_every_text_the_tablets_scripts_show_comes_translated_from_the_server(app_context, client):
    """The scripts show only texts of data-kiosk.strings (they carry no texts of their own)."""
    scripts = "".join(path.read_text() for path in KIOSK_STATIC.glob("*.js"))
    used = set(re.findall(r"""text\(["']([a-z_]+)["']""", scripts))
    with client.application.test_request_context("/kiosk/"):
        assert used and used <= set(script_strings())


def test_the_thanks_page_keeps_the_helplines_across_a_language_switch(client, mood_session, make_respondent):
    join(client, mood_session, make_respondent(), language="en")
    give_assent(client)
    page = client.get("/kiosk/questionnaire").text
    client_uuid = re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)
    worried = {"m1": "1", "m2": "2", "m3": "1", "m4": "0", "worry": "1", "worry_now": "0", "client_uuid": client_uuid}
    client.post("/kiosk/questionnaire", data=worried)
    thanks = client.get("/kiosk/thanks").text
    next_page = re.search(r'name="next" value="([^"]+)"', thanks).group(1)

    response = client.post("/kiosk/language", data={"language": "ru", "next": next_page})
    with client.session_transaction() as cookie:
        assert cookie["kiosk_language"] == "ru"
    assert "<strong>111</strong>" in client.get(response.headers["Location"]).text
    assert "<strong>111</strong>" not in client.get("/kiosk/thanks").text  # a plain reload shows nobody's


def test_the_pages_kept_offline_switch_language_by_links_to_their_kept_copies(client):
    page = client.get("/kiosk/done?lang=ky").text
    assert (
        'href="/kiosk/done?lang=ru"' in page
        and 'href="/kiosk/offline?lang=en"' in client.get("/kiosk/offline?lang=ky").text
    )


def test_the_service_worker_keeps_on_install_the_static_files_every_kiosk_page_loads():
    listed = re.search(r"var STATIC_FILES = \[([^\]]*)\]", (KIOSK_STATIC / "sw.js").read_text()).group(1)
    assert re.findall(r'"([^"]+)"', listed) == list(KIOSK_ASSETS)
