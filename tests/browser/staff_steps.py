"""What a staff member does in the browser."""

import re

from playwright.sync_api import Page, expect


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button").click()
    expect(page).not_to_have_url(re.compile(r"/auth/login"))
