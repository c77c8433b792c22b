"""End-to-end in Debian's Chromium: `streamlit run`, sign in as bestuurder, see Overzicht."""

from __future__ import annotations

import contextlib

import pytest

from dashboard.domain.roles import Role, pages_for
from tests.helpers import ARTIFACTS
from tests.helpers.browser import wait_until_idle

pytestmark = pytest.mark.browser
def test_bestuurder_signs_in_and_sees_overzicht(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    assert page.get_by_role("heading", name="Geleerde lessen", level=1).is_visible()
    nav_links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    titles = sorted(text.splitlines()[-1] for text in nav_links.all_inner_texts())
    assert titles == sorted(p.title for p in pages_for(Role.PUBLIEK))  # only the public pages

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


def test_public_lessons_page_in_the_browser_shows_suppressed_figures(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 5200}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    page.get_by_role("heading", name="Kerncijfers per gebied", level=2).wait_for()
    wait_until_idle(page)  # the page streams in; a click during a rerun is lost
    box = page.get_by_role("combobox", name="Kerncijfer")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name="Ernstig eenzaam").click()
    wait_until_idle(page)
    hidden = page.get_by_role("cell", name="<10", exact=True)
    hidden.first.wait_for()
    assert hidden.count() >= 2  # small counts read "<10", never the number itself
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
                 ).first.wait_for()
    assert page.get_by_role("link", name="Link naar deze les").count() >= 3
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "geleerde-lessen-publiek.png"))
    # the chart carries its description for screen readers
    assert page.locator('[aria-label*="Staafdiagram van Ernstig eenzaam"]').count() >= 1
    # a lesson's share link works from the keyboard and opens just that lesson
    share = page.get_by_role("link", name="Link naar deze les").first
    assert "les=" in (share.get_attribute("href") or "")
    share.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Les uit een besluit", level=2).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert "les=" in page.url, page.url
    context.close()


def test_a_fresh_server_never_runs_an_internal_page_for_an_anonymous_visitor(
        demo_sqlite_url, browser, tmp_path):
    # On a freshly started server Streamlit's legacy pages/ mode would run pages/overzicht.py
    # directly; the role-based navigation answers instead, with the Dutch sign-in prompt.
    from tests.helpers import copy_of_demo, running_app

    with running_app(copy_of_demo(demo_sqlite_url, tmp_path), tmp_path / "log") as url:
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(f"{url}/overzicht")
        page.get_by_role("heading", name="Log in om deze pagina te openen", level=1).wait_for(
            timeout=60_000)
        wait_until_idle(page)
        assert page.get_by_role("heading", name="Overzicht").count() == 0
        assert page.get_by_role("dialog").count() == 0  # no English "page not found"
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "Overzicht" not in nav and "besluiten" not in nav.lower()
        assert "AccessDenied" not in (tmp_path / "log").read_text()
        context.close()


@pytest.mark.parametrize("server", ["running", "fresh"])
def test_a_shared_map_link_opens_its_view_after_signing_in(
        live_app, browser, server, demo_sqlite_url, tmp_path):
    # A fresh server first runs the page file directly (see the test above); the link's
    # view must survive the detour through the entry script.
    from tests.helpers import copy_of_demo, running_app

    with running_app(copy_of_demo(demo_sqlite_url, tmp_path), tmp_path / "log") \
            if server == "fresh" else contextlib.nullcontext(live_app) as url:
        open_shared_map_link(browser, url)


def open_shared_map_link(browser, url: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{url}/kaart?indicator=ggz_kosten&periode=2020")
    wait_until_idle(page)
    page.get_by_role("heading", name="Log in om deze pagina te openen", level=1).wait_for()
    page.get_by_text("Log in om de pagina Kaart te openen.").wait_for()
    assert page.get_by_role("dialog").count() == 0  # no English "page not found"
    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Kaart", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert "/kaart?" in page.url and "indicator=ggz_kosten" in page.url and "periode=2020" in page.url
    assert page.get_by_text("GGZ-kosten per inwoner").first.is_visible()
    context.close()
