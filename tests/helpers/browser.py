"""Chromium helpers for the end-to-end tests (Playwright pages)."""

from __future__ import annotations

from playwright.sync_api import expect

DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_until_idle(page) -> None:
    """Wait for the app to finish running: the stApp state and the status widget."""
    page.wait_for_selector(DONE, timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def signed_in(browser, url: str, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    page.goto(url)
    wait_until_idle(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    return context, page


def search_rows(page, code: str) -> None:
    """Narrow Gegevens beheren to one project and wait until its form has replaced the
    previous row's form (the caption renders before the form, so it alone is not enough)."""
    search = page.get_by_label("Zoeken")
    search.fill(code)
    search.press("Enter")
    page.get_by_text("1 van 12 rijen").wait_for(timeout=60_000)
    wait_until_idle(page)
    expect(page.get_by_test_id("stForm").first.get_by_label("Naam", exact=True)).to_have_count(
        1, timeout=60_000)
    wait_until_idle(page)
