"""Chromium helpers for the end-to-end tests (Playwright pages)."""

from __future__ import annotations

import os
import re

from playwright.sync_api import expect

from tests.helpers import ARTIFACTS

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


# ---------------------------------------------------------------- what a reader sees
# A metric whose label or value is wider than its box (Streamlit cuts it with "…").
CUT_OFF = """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
  .filter(m => m.offsetParent !== null && [...m.querySelectorAll('*')].some(
      e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible'))
  .map(m => m.innerText.replace(/\\s+/g, ' ').trim())"""
READ = "() => document.querySelector('[data-testid=\"stApp\"]').innerText"
VERSIONS = re.compile(r"\b(CC BY|WCAG) \d+(\.\d+)*")  # names, not numbers
ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|May|June|July|August|October|Mar|Oct)\b|"
    r"\b\d{1,2} (Jan|Feb|Apr|Jun|Jul|Aug|Sep|Nov|Dec) \d{4}\b")
# 19.2 or 0.25 reads as English; Dutch thousands (1.234, 12.345.678) have groups of three.
DECIMAL_POINT = re.compile(r"(?<![\w.,/:-])\d+\.\d{1,2}(?![\d\w.])")


def reading_problems(page, title: str, width: int) -> list[str]:
    """A cut-off metric, an English month or a decimal point on the page in view. A page
    with a problem leaves a screenshot (walk-<width>-<page>.png in test-artifacts/);
    LN_SCREENSHOTS=1 keeps every page's, for a review of the screens."""
    page.wait_for_timeout(300)  # charts and tables settle their widths
    found = [f"{title}: metric cut off: {t!r}" for t in page.evaluate(CUT_OFF)]
    text = VERSIONS.sub("", page.evaluate(READ))
    found += [f"{title}: English month {m.group(0)!r}" for m in ENGLISH_MONTH.finditer(text)]
    found += [f"{title}: decimal point in {text[max(m.start() - 30, 0):m.end() + 10]!r}"
              for m in DECIMAL_POINT.finditer(text)]
    if found or os.environ.get("LN_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^a-z]+", "-", title.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"walk-{width}-{slug}.png"), full_page=True)
    return found
