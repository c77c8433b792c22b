"""Every page in Chromium at 1400 px (the beheerder, whose pages include every role's) and on
a phone (390 px, the bestuurder): no metric cut off with an ellipsis, no English month name
and no number with a decimal point in what a reader sees. A page with a problem leaves a
screenshot in test-artifacts/ (walk-<width>-<page>.png); LN_SCREENSHOTS=1 keeps every page's
(the set for a review of the screens)."""

from __future__ import annotations

import os
import re

import pytest

from dashboard.domain.roles import Role, pages_for
from tests.helpers import ARTIFACTS
from tests.helpers.browser import wait_until_idle

pytestmark = pytest.mark.browser

VERSIONS = re.compile(r"\b(CC BY|WCAG) \d+(\.\d+)*")  # names, not numbers
# A metric's label or value whose text is wider than its box (Streamlit cuts it with "…").
CUT_OFF = """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
  .filter(m => m.offsetParent !== null && [...m.querySelectorAll('*')].some(
      e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible'))
  .map(m => m.innerText.replace(/\\s+/g, ' ').trim())"""
# What a reader sees (main area and sidebar), without code blocks or tooltips.
READ = "() => document.querySelector('[data-testid=\"stApp\"]').innerText"
ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|May|June|July|August|October|Mar|Oct)\b|"
    r"\b\d{1,2} (Jan|Feb|Apr|Jun|Jul|Aug|Sep|Nov|Dec) \d{4}\b")
# 19.2 or 0.25 reads as English; Dutch thousands (1.234, 12.345.678) have groups of three.
DECIMAL_POINT = re.compile(r"(?<![\w.,/:-])\d+\.\d{1,2}(?![\d\w.])")


def sign_in(browser, url: str, username: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
    page = context.new_page()
    page.goto(url)
    wait_until_idle(page)
    if width < 640:  # the phone's sidebar starts closed
        page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    return context, page


def open_page(page, url: str, spec) -> None:
    """Through the sidebar at 1400 px; on the phone by its address (the sign-in survives
    a page load), as a phone user follows a shared link rather than the folded sidebar."""
    if url:
        page.goto(f"{url}/{spec.url_path}")
    else:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=spec.title).click()
    page.get_by_role("heading", name=spec.title, level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(300)  # charts and tables settle their widths


@pytest.mark.parametrize(("role", "width", "height"), [
    (Role.BEHEERDER, 1400, 1000), (Role.BESTUURDER, 390, 844)], ids=["1400px", "390px"])
def test_every_page_reads_in_dutch_and_cuts_off_no_metric(live_app, browser, role, width,
                                                          height):
    ARTIFACTS.mkdir(exist_ok=True)
    phone = width < 640
    context, page = sign_in(browser, live_app, role.value, width, height)
    problems: list[str] = []
    for spec in pages_for(role):
        open_page(page, live_app if phone else "", spec)
        found = [f"{spec.title}: metric cut off: {t!r}" for t in page.evaluate(CUT_OFF)]
        text = VERSIONS.sub("", page.evaluate(READ))
        found += [f"{spec.title}: English month {m.group(0)!r}"
                  for m in ENGLISH_MONTH.finditer(text)]
        found += [f"{spec.title}: decimal point in {text[max(m.start() - 30, 0):m.end() + 10]!r}"
                  for m in DECIMAL_POINT.finditer(text)]
        if found or os.environ.get("LN_SCREENSHOTS"):
            slug = re.sub(r"[^a-z]+", "-", spec.title.lower()).strip("-")
            page.screenshot(path=str(ARTIFACTS / f"walk-{width}-{slug}.png"), full_page=True)
        problems += found
    context.close()
    assert not problems, "\n".join(problems)
