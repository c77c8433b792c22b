"""axe-core (npm) in Chromium against the public pages; a keyboard-only walkthrough."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.domain.roles import DEFAULT_PAGE, Role, pages_for
from tests.helpers import ARTIFACTS, IN_CI
from tests.helpers.browser import wait_until_idle

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE.exists():
        if IN_CI:
            pytest.fail("axe-core missing: run `npm ci` (make test does)", pytrace=False)
        pytest.skip("axe-core not installed (npm ci)")
    return str(AXE)


def open_settled(browser, url: str):
    # axe-core is injected as a script: the test's own tooling, outside the app's
    # Content-Security-Policy (which tests/e2e/test_e2e_sessions.py checks).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                  bypass_csp=True)
    tab = context.new_page()
    tab.goto(url)
    wait_until_idle(tab)
    # Elements fade in; contrast can only be judged once the animations have finished.
    tab.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    assert tab.get_by_role("dialog").count() == 0, "a dialog (e.g. 'Page not found') covers the page"
    return context, tab


@pytest.mark.parametrize("page", pages_for(Role.PUBLIEK), ids=lambda p: p.url_path)
def test_public_pages_have_no_serious_accessibility_violations(live_app, browser, axe_script, page):
    path = "" if page == DEFAULT_PAGE else page.url_path
    context, tab = open_settled(browser, f"{live_app}/{path}")
    tab.add_script_tag(path=axe_script)
    result = tab.evaluate(f"async () => await axe.run(document, {WCAG_AA})")
    context.close()
    assert len(result["passes"]) >= 20, "axe checked too little: is the page rendered?"
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def test_public_page_works_with_the_keyboard_only(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context, tab = open_settled(browser, live_app)
    # Tab through the page: focus reaches the sign-in form.
    reached = []
    for _ in range(30):
        tab.keyboard.press("Tab")
        reached.append(tab.evaluate("""() => { const e = document.activeElement;
            return e ? (e.getAttribute('aria-label') || e.innerText || e.tagName).trim() : '' }"""))
    assert any("Inloggen" in r for r in reached), reached
    # Sign in with the keyboard only: type, Tab to the password, Enter submits the form.
    tab.get_by_label("Gebruikersnaam").focus()
    tab.keyboard.type("bestuurder")
    tab.keyboard.press("Tab")
    tab.keyboard.type("demo")
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    tab.screenshot(path=str(ARTIFACTS / "keyboard-signed-in.png"))
    context.close()
