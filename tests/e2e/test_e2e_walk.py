"""Every page of the bestuurder on a phone (390 px) in Chromium: no metric cut off with an
ellipsis, no English month name and no number with a decimal point in what a reader sees
(``tests.helpers.browser.reading_problems``; the same checks run at 1400 px on every page of
the beheerder in tests/e2e/test_e2e_xss.py's walk). A page with a problem leaves a screenshot
in test-artifacts/; LN_SCREENSHOTS=1 keeps every page's."""

from __future__ import annotations

import pytest

from dashboard.domain.roles import Role, pages_for
from tests.helpers.browser import reading_problems, wait_until_idle

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844


def test_every_page_reads_in_dutch_and_cuts_off_no_metric_on_a_phone(live_app, browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    page.get_by_test_id("stExpandSidebarButton").click()  # the phone's sidebar starts closed
    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    # signed in, the sidebar the user opened to sign in is closed again: the page is readable
    page.get_by_test_id("stExpandSidebarButton").wait_for(state="visible", timeout=10_000)
    heading = page.get_by_role("heading", name="Overzicht", level=1)
    box = heading.bounding_box()
    assert box is not None
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('h1')?.textContent",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top and "Overzicht" in on_top  # nothing over the page's title
    problems: list[str] = []
    for spec in pages_for(Role.BESTUURDER):
        # the folded sidebar's link, clicked as a tap on it would (no full page load)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=spec.title).dispatch_event(
            "click")
        page.get_by_role("heading", name=spec.title, level=1).wait_for(timeout=60_000)
        wait_until_idle(page)
        problems += reading_problems(page, spec.title, WIDTH)
    context.close()
    assert not problems, "\n".join(problems)
