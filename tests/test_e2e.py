"""End-to-end in Debian's Chromium: `streamlit run`, sign in as bestuurder, see Overzicht."""

from __future__ import annotations

import pytest

from dashboard.roles import Role, pages_for
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_until_idle(page) -> None:
    """Wait for the app to finish running: the stApp state and the status widget."""
    page.wait_for_selector(DONE, timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def test_bestuurder_signs_in_and_sees_overzicht(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    assert page.get_by_role("heading", name="Geleerde lessen", level=1).is_visible()
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.count() == 0  # one public page: no navigation menu at all

    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_text("Benutte capaciteit").wait_for()
    assert page.get_by_text("Voorbeelddata").first.is_visible()
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    titles = sorted(text.splitlines()[-1] for text in links.all_inner_texts())  # after the icon
    assert titles == sorted(p.title for p in pages_for(Role.BESTUURDER))
    assert {"Geleerde lessen", "Overzicht"} <= set(titles)
    page.screenshot(path=str(ARTIFACTS / "overzicht-bestuurder.png"), full_page=True)

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="Geleerde lessen", level=1).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Inloggen").is_visible()
    context.close()
