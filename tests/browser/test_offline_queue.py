"""The tablet's outbox: answers given without network, or while the server fails, are kept on the tablet
(IndexedDB) through reloads and a restarted browser, and reach the server exactly once when it can be reached."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import (
    ACUTE_RUN,
    CALM_RUN,
    INSTRUMENTS,
    VIOLENCE_SAFE,
    WHO5_WELL,
    answer_run,
    answer_screen_by_screen,
    answers_stored,
    choose_language,
    expect_questionnaire,
    give_assent,
    join,
    outbox,
    stored_submissions,
    wait_until_stored,
)
from tests.browser.network import TabletNetwork


@pytest.fixture
def network(kiosk_server):
    with TabletNetwork(kiosk_server.url) as network:
        yield network


@pytest.fixture
def page(open_tablet, network) -> Page:
    """A tablet that reaches the server through ``network``."""
    network.context = open_tablet(base_url=network.url)
    return network.context.new_page()


def start_run_ready_offline(page: Page, kiosk_server) -> str:
    """The next child joins and assents, once the tablet keeps the session's pages (as the adult checks before an
    event); returns the child's code."""
    child = kiosk_server.next_child()
    page.goto("/kiosk/")
    choose_language(page, "ru")
    join(page, kiosk_server.join_code, child)
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))
    wait_until_ready_offline(page)
    give_assent(page)
    expect_questionnaire(page, INSTRUMENTS[0])
    return child


def wait_until_ready_offline(page: Page) -> None:
    """Until the service worker controls the page and keeps every page and file of the session's list."""
    page.wait_for_function(
        """async () => {
        if (!navigator.serviceWorker.controller) { return false; }
        const urls = JSON.parse(document.body.dataset.kiosk).precache;
        return (await Promise.all(urls.map((url) => caches.match(url)))).every(Boolean);
    }""",
        polling=200,
    )


def waiting_instruments(page: Page) -> list[str]:
    entries = outbox(page)
    assert {entry["state"] for entry in entries} <= {"waiting"}
    return sorted(entry["body"]["instrument"] for entry in entries)


def wait_until_outbox_is_empty(page: Page) -> None:
    page.wait_for_function("async () => (await window.SurveyKiosk.queue.entries()).length === 0", polling=100)


def wait_until_delivered(page: Page, kiosk_server, child: str, run: dict) -> float:
    """Until the server holds the child's ``run`` (each questionnaire once) and the outbox is empty; returns the
    seconds until the answers were stored."""
    seconds = wait_until_stored(page, kiosk_server.database, child, len(run))
    wait_until_outbox_is_empty(page)
    assert answers_stored(kiosk_server.database, child) == run
    return seconds


def test_a_network_cut_mid_questionnaire_and_at_send_loses_nothing(
    page, network, kiosk_server, screenshot, record_timing
):
    child = start_run_ready_offline(page, kiosk_server)

    answer_screen_by_screen(page, WHO5_WELL, stop_after=2)
    network.cut()
    answer_screen_by_screen(page, WHO5_WELL)
    expect_questionnaire(page, "asq")  # the service worker's copy
    answer_screen_by_screen(page, CALM_RUN["asq"])
    expect_questionnaire(page, "violence")
    screenshot(page, "offline-two-waiting")
    assert waiting_instruments(page) == ["asq", "who5"]
    assert stored_submissions(kiosk_server.database, child) == []

    answer_screen_by_screen(page, VIOLENCE_SAFE, stop_after=2)
    network.restore()
    record_timing(
        "network back mid-questionnaire, 2 questionnaires stored after",
        wait_until_stored(page, kiosk_server.database, child, 2),
    )
    answer_screen_by_screen(page, VIOLENCE_SAFE, before_send=network.cut)
    expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=ru$"))
    expect(page.locator("#done-status")).to_have_class(re.compile(r"\bsaved-offline\b"))
    expect(page.locator("#support")).to_be_visible()  # a calm run, but the last result is unknown
    screenshot(page, "done-offline")
    assert waiting_instruments(page) == ["violence"]

    network.restore()
    record_timing(
        "network back on the done page, last questionnaire stored after",
        wait_until_delivered(page, kiosk_server, child, CALM_RUN),
    )


def test_queued_answers_survive_a_reload(page, network, kiosk_server):
    child = start_run_ready_offline(page, kiosk_server)
    network.cut()
    answer_screen_by_screen(page, WHO5_WELL)
    expect_questionnaire(page, "asq")

    page.reload()
    expect_questionnaire(page, "asq")
    assert waiting_instruments(page) == ["who5"]
    network.restore()
    wait_until_delivered(page, kiosk_server, child, {"who5": WHO5_WELL})


def test_queued_answers_survive_closing_and_reopening_the_browser(
    open_persistent_tablet, network, kiosk_server, tmp_path, record_timing
):
    profile = tmp_path / "tablet-profile"
    context = network.context = open_persistent_tablet(profile, network.url)
    page = context.pages[0]
    child = start_run_ready_offline(page, kiosk_server)
    network.cut()
    answer_run(page, ACUTE_RUN)
    expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=ru$"))
    assert waiting_instruments(page) == sorted(INSTRUMENTS)
    context.close()
    network.context = None
    network.restore()
    assert stored_submissions(kiosk_server.database, child) == []

    context = open_persistent_tablet(profile, network.url)
    page = context.pages[0]
    page.goto("/kiosk/")
    record_timing(
        "browser reopened, 3 questionnaires stored after", wait_until_delivered(page, kiosk_server, child, ACUTE_RUN)
    )


def test_answers_are_kept_while_the_server_fails_and_sent_when_it_recovers(
    page, network, kiosk_server, screenshot, record_timing
):
    child = start_run_ready_offline(page, kiosk_server)
    network.fail()
    answer_run(page, ACUTE_RUN)
    expect(page).to_have_url(re.compile(r"/kiosk/done\?lang=ru$"))
    expect(page.locator("#support")).to_be_visible()
    expect(page.locator("#done-status")).to_have_class(re.compile(r"\bsaved-offline\b"))
    screenshot(page, "done-server-failing")
    assert waiting_instruments(page) == sorted(INSTRUMENTS)
    assert set(network.answered) == {503, 500}
    assert stored_submissions(kiosk_server.database, child) == []

    network.recover()
    record_timing(
        "server recovered, 3 questionnaires stored after (back-off retry)",
        wait_until_delivered(page, kiosk_server, child, ACUTE_RUN),
    )


def test_a_refused_questionnaire_is_kept_on_the_tablet_for_the_adult(page, network, kiosk_server):
    child = start_run_ready_offline(page, kiosk_server)
    network.refuse()
    answer_screen_by_screen(page, WHO5_WELL)
    expect_questionnaire(page, "asq")
    expect(page.locator("#queue-status")).to_have_class(re.compile(r"\bhas-refused\b"))
    assert [(entry["state"], entry["body"]["answers"]) for entry in outbox(page)] == [("refused", WHO5_WELL)]
    assert child not in page.locator("#queue-status").text_content()
    assert 422 in network.answered
    assert stored_submissions(kiosk_server.database, child) == []
