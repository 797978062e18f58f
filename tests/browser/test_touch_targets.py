"""Every control a child taps on the kiosk is at least 48 x 48 CSS pixels (Android's touch-target guideline; WCAG
2.5.5 asks 44), with and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kiosk_steps import choose_language, give_assent, join

MINIMUM_PX = 48
TAPPABLE = "button, a, label:not([for]), input[type=text], input[type=number], textarea, select"
"""A label naming a field (``for``) is not a target of its own: the field is, and it is checked."""
SMALL_CONTROLS = """([selector, minimum]) => [...document.querySelectorAll(selector)]
    .map(element => [element, element.getBoundingClientRect()])
    .filter(([element, box]) => box.width > 0 && box.height > 0 && box.left >= 0
            && getComputedStyle(element).visibility !== "hidden")
    .filter(([element, box]) => Math.min(box.width, box.height) < minimum)
    .map(([element, box]) => `${element.outerHTML.slice(0, 80)} (${box.width}x${box.height})`)"""


def too_small(page: Page) -> list[str]:
    """The tappable controls shown on the page that are smaller than the minimum (read in one go, as the page's
    scripts may change it meanwhile); off-screen ones (left < 0) are not shown."""
    page.wait_for_load_state()
    return page.evaluate(SMALL_CONTROLS, [TAPPABLE, MINIMUM_PX])


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_every_control_a_child_taps_is_big_enough(open_tablet, kiosk_server, scripts):
    page = open_tablet(java_script_enabled=scripts).new_page()
    page.goto("/kiosk/")
    choose_language(page, "ru")  # not the default (ky): the wait for it is a wait for the new page
    assert too_small(page) == [], "join page"
    join(page, kiosk_server.join_code, kiosk_server.next_child())
    expect(page).to_have_url(re.compile(r"/kiosk/assent$"))  # measured once the page has changed
    assert too_small(page) == [], "assent page"
    give_assent(page)
    expect(page).to_have_url(re.compile(r"/kiosk/(take/\d+\?lang=ru|questionnaire)$"))
    expect(page.locator("form#questionnaire")).to_be_visible()
    if scripts:
        expect(page.locator("form#questionnaire[data-screens-ready]")).to_be_attached()
    assert too_small(page) == [], "questionnaire page"
