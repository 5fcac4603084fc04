import os

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django
# would otherwise refuse the ORM calls that set up data for the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# How long a browser action, navigation or `expect` waits before failing. Two
# test processes and Chromium share the cores: under load a page may take
# seconds, so the default is generous; a failing test only takes longer to say so.
BROWSER_TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "30000"))

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def fill_date(scope, selector: str, iso: str) -> None:
    """Type a date (given as yyyy-mm-dd) into a date field as a user does: as
    dd/mm/yyyy, in the text input static/js/date-picker.js shows right after
    the real, hidden one (which keeps the ISO value the server reads)."""
    year, month, day = iso.split("-")
    shown = scope.locator(f"{selector} + input")
    shown.fill(f"{day}/{month}/{year}")
    shown.press("Tab")


def pick_unit(scope, selector: str, typed: str, option_text: str | None = None) -> None:
    """Choose a unit in a unit picker (static/js/unit-picker.js) as a user does:
    type part of its name or code into the search box, click the proposal
    (the one that shows ``option_text``, e.g. its parent, when given)."""
    from playwright.sync_api import expect

    wrapper = scope.locator(f"{selector} + .ts-wrapper")
    wrapper.locator(".ts-control").click()  # a single picker hides its box behind the item
    box = wrapper.locator(".ts-control input")
    box.press_sequentially(typed, delay=20)
    option = wrapper.locator(".ts-dropdown .option", has_text=option_text or "").first
    expect(option).to_be_visible()
    option.click()
    box.press("Escape")
