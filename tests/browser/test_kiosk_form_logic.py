"""The form logic of imported XLSForms on a tablet, by touch (tests/responses/where_i_live.py): ${item} in a
label follows the answer as it is typed, a constraint speaks with the instrument's own message, a cascading select
offers the districts of the region chosen, and text choice names and dates reach the server as given. Without
scripts, the server filters the districts once it knows the region."""

import re

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import answers_stored, start_run, tap_option, wait_until_stored
from tests.browser.server import SeededDatabase, running_server
from tests.processes import environment, flask, prepare_database, run_python, seed_session
from tests.responses.where_i_live import where_i_live

CHILDREN = 10
AIDA = {"name": "Aida", "age": 11, "region": "naryn", "district": "at_bashy", "birthday": "2014-05-01", "likes": 1}


@pytest.fixture(scope="module")
def kiosk_server(chromium_path, tmp_path_factory):
    """A server whose open session asks where_i_live only."""
    folder = tmp_path_factory.mktemp("form-logic")
    database = folder / "seeded.sqlite"
    env = environment(f"sqlite:///{database}")
    prepare_database(env)
    definition_file = folder / "where_i_live-1.0.yaml"
    definition_file.write_text(yaml.safe_dump(where_i_live(), allow_unicode=True), encoding="utf-8")
    run_python(flask(["instruments", "load", str(definition_file)]), env)
    seeded = seed_session(env, CHILDREN, ["where_i_live"])
    with running_server(SeededDatabase(database, seeded["join_code"], seeded["children"]), folder) as server:
        yield server


def next_screen(page: Page) -> None:
    page.locator("#next").tap()


def shown_districts(page: Page) -> list[str]:
    return [label.locator("input").get_attribute("value") for label in page.locator("#q-district label:visible").all()]


def fill_first_screen(page: Page, name: str, age: str) -> None:
    expect(page.locator("form#questionnaire[data-screens-ready]")).to_be_attached()
    page.locator("#q-name textarea").fill(name)
    page.locator("#q-age input").fill(age)


def test_a_label_shows_the_name_as_it_is_typed_and_checks_speak_the_instruments_messages(
    open_tablet, kiosk_server, screenshot
):
    page = open_tablet().new_page()
    start_run(page, kiosk_server.join_code, kiosk_server.next_child(), language="en")
    expect(page.locator("form#questionnaire[data-screens-ready]")).to_be_attached()
    next_screen(page)
    expect(page.locator("#q-name .problem")).to_have_text("Please write your first name.")  # required_message
    fill_first_screen(page, "Aida", "30")
    expect(page.locator("#q-age legend")).to_contain_text("How old are you, Aida?")
    next_screen(page)
    expect(page.locator("#q-age .problem")).to_have_text("Aida, the age must be between 6 and 18.")
    expect(page.locator("#q-region")).to_be_hidden()  # held on the screen until the age is possible
    screenshot(page, "constraint")

    page.locator("#q-age input").fill("11")
    next_screen(page)
    # The calculate age_next = ${age} + 1 = 12, in the note's ${age_next}.
    expect(page.locator("#q-next_year")).to_have_text("Next year you will be 12.")


def test_a_cascading_select_offers_the_districts_of_the_region_chosen(open_tablet, kiosk_server, screenshot):
    page = open_tablet().new_page()
    child = kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, child, language="en")
    fill_first_screen(page, "Aida", "11")
    next_screen(page)
    expect(page.locator("#q-district")).to_be_visible()
    assert shown_districts(page) == []  # no region yet: no district fits (ODK shows none either)

    tap_option(page, "region", "osh")
    expect(page.locator("#q-district label:visible")).to_have_count(2)
    assert shown_districts(page) == ["kara_suu", "uzgen"]
    tap_option(page, "district", "uzgen")
    tap_option(page, "region", "naryn")
    assert shown_districts(page) == ["at_bashy"]
    expect(page.locator('#q-district input[value="uzgen"]')).not_to_be_checked()
    expect(page.locator(".kiosk-notice")).to_contain_text("no longer fits your other answers")
    screenshot(page, "districts-of-naryn")

    tap_option(page, "district", "at_bashy")
    next_screen(page)
    page.locator("#q-birthday input").fill("2014-05-01")
    tap_option(page, "likes", 1)
    page.locator("#send").tap()
    wait_until_stored(page, kiosk_server.database, child, 1)
    assert answers_stored(kiosk_server.database, child) == {"where_i_live": AIDA}


def test_without_scripts_the_server_filters_the_districts_once_it_knows_the_region(open_tablet, kiosk_server):
    page = open_tablet(java_script_enabled=False).new_page()
    child = kiosk_server.next_child()
    start_run(page, kiosk_server.join_code, child, language="en")
    expect(page.locator("#q-district label:visible")).to_have_count(3)  # the region is not known yet
    page.locator("#q-name textarea").fill("Aida")
    page.locator("#q-age input").fill("11")
    page.locator("#q-birthday input").fill("2014-05-01")
    for item, value in {"region": "naryn", "district": "uzgen", "likes": "1"}.items():
        page.locator(f'#q-{item} input[value="{value}"]').tap()
    page.locator("#send").tap()

    expect(page.locator("#q-district .problem")).to_have_text(
        "This choice does not fit your other answers; please choose again."
    )
    assert shown_districts(page) == ["at_bashy"]
    expect(page.locator("#q-age legend")).to_contain_text("How old are you, Aida?")
    page.locator('#q-district input[value="at_bashy"]').tap()
    page.locator("#send").tap()
    expect(page).to_have_url(re.compile(r"/kiosk/thanks$"))
    assert answers_stored(kiosk_server.database, child) == {"where_i_live": AIDA}
