"""End-to-end in Chromium: one decision's evidence panel on Besluiten shows the written
evidence strength, the pilot's direction-aware verdict and its change with a 95%
interval, and the difference-in-differences against a comparison team (issue 13)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ARTIFACTS
from tests.helpers.browser import wait_until_idle

pytestmark = pytest.mark.browser


def test_a_decisions_evidence_panel_shows_the_written_verdict_and_the_interval(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    page.get_by_label("Gebruikersnaam").fill("programmateam")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Besluiten").click()
    page.get_by_role("heading", name="Besluiten", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    box = page.get_by_role("combobox", name="Toon bewijs bij besluit")
    box.click()
    page.keyboard.type("Kernteams ouderen")  # the list is long: narrow it by typing
    page.get_by_role("option").filter(has_text="Kernteams ouderen").first.click()
    wait_until_idle(page)
    assert "besluit=" in page.url  # the chosen decision is in the link

    # The written evidence strength: the level in words, then what lies behind it.
    strength = page.get_by_test_id("stMarkdown").filter(has_text="Bewijs: matig —").first
    strength.scroll_into_view_if_needed()
    assert strength.is_visible()
    text = strength.inner_text()
    assert "omlaag na de start" in text and "vergelijkingsreeksen bleven gelijk" in text
    page.get_by_text("Wat betekent bewijskracht?").click()  # the explanation, one click away
    page.get_by_text("Alle begrippen uitgelegd").wait_for(timeout=10_000)
    page.get_by_test_id("stVerticalBlock").filter(has_text="Onderbouwing.").filter(
        has_text="Bewijs: matig —").last.screenshot(path=str(ARTIFACTS / "besluit-bewijskracht.png"))

    # The pilot's chart with beside it the verdict (icon and text) and the change with its
    # 95% interval.
    heading = page.get_by_role("heading", name="Pilotgebieden en -teams")
    heading.scroll_into_view_if_needed()
    verdict = page.get_by_test_id("stMarkdown").filter(has_text="Oordeel:").first
    assert verdict.is_visible() and "Verbetering" in verdict.inner_text()
    assert verdict.get_by_role("img", name="thumb_up icon").is_visible()
    change = page.get_by_test_id("stMarkdown").filter(has_text="Verandering na de start:").first
    assert change.is_visible()
    # a fall with its 95% interval, below zero on both ends (the demo's size may change)
    assert re.search(r"−\d+% \(95%-BI −\d+% tot −\d+%\)", change.inner_text())
    did = page.get_by_test_id("stMarkdown").filter(has_text="Verschil-in-verschillen t.o.v.")
    assert did.count() == 2 and "95%-BI" in did.first.inner_text()
    note = page.get_by_text("95%-interval (BI): De marge").first
    assert note.is_visible()
    panel = page.get_by_test_id("stVerticalBlock").filter(
        has_text="Verandering na de start:").filter(has_text="Verbetering").filter(
        has=page.get_by_test_id("stVegaLiteChart")).last
    panel.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)  # let vega finish drawing
    panel.screenshot(path=str(ARTIFACTS / "besluit-bewijs-kernteams.png"))
    context.close()
