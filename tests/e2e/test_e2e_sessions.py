"""Sign-in sessions in Chromium against ``streamlit run app.py``: the sign-in survives a reload
and a new tab, Uitloggen ends it in every tab, a deactivated user's open tab cannot save, a
second browser presenting the first one's Streamlit session id is not signed in, the security
headers hold (no CSP violation on charts and the map), /_stcore/metrics is gone, and an
internal link opened anonymously shows a Dutch prompt and opens its view after signing in."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from dashboard.store.auth import hash_password
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog, Project, User
from data_loaders.models import Role as StoredRole
from tests.helpers import ARTIFACTS, copy_of_demo, running_app
from tests.helpers.browser import search_rows, wait_until_idle

pytestmark = pytest.mark.browser
PASSWORD = "Sessie2026proef"
RECHECK_WAIT_MS = 3_500  # a little over ui.RECHECK_SECONDS
COLLECT_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def session_app(demo_sqlite_url, tmp_path_factory):
    """Its own server and database: these tests deactivate accounts."""
    work = tmp_path_factory.mktemp("sessions")
    db_url = copy_of_demo(demo_sqlite_url, work)
    with running_app(db_url, work / "streamlit.log") as url:
        yield url, make_engine(db_url)


def add_account(engine, username: str, role: str) -> None:
    with transaction(engine) as s:
        s.add(User(username=username, password_hash=hash_password(PASSWORD),
                   role=StoredRole(role)))


def audit(engine, actor: str) -> list[tuple[str, str, str]]:
    with transaction(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.object_id, AuditLog.result).where(
            AuditLog.actor == actor).order_by(AuditLog.id)).all()


def new_page(browser, **options):
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1100},
                                     "locale": "nl-NL", **options})
    context.add_init_script(COLLECT_CSP_VIOLATIONS)
    return context, context.new_page()


def submit_sign_in(page, username: str, password: str, lands_on: str) -> None:
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=lands_on, level=1).wait_for(timeout=60_000)
    wait_until_idle(page)


def sign_in(page, url: str, username: str, password: str = PASSWORD,
            lands_on: str = "Overzicht") -> None:
    page.goto(url)
    wait_until_idle(page)
    submit_sign_in(page, username, password, lands_on)


def new_account_signed_in(browser, session_app, username: str, role: str):
    """A new account of ``role``, signed in in a browser of its own: (context, page)."""
    url, engine = session_app
    add_account(engine, username, role)
    context, page = new_page(browser)
    sign_in(page, url, username)
    return context, page


def open_page(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for(timeout=60_000)
    wait_until_idle(page)


def signed_in_as(page, username: str) -> bool:
    """The sidebar shows ``username`` and Uitloggen (waited for: a page that rewrites its
    address reruns once more, and the sidebar is drawn after the page's heading)."""
    try:
        expect(page.get_by_role("button", name="Uitloggen")).to_have_count(1, timeout=20_000)
        expect(page.get_by_text(username, exact=False).first).to_be_visible(timeout=5_000)
    except AssertionError:
        return False
    return True


def test_sign_in_survives_reload_and_new_tab_and_uitloggen_ends_it_in_every_tab(
        session_app, browser):
    url, engine = session_app
    context, page = new_account_signed_in(browser, session_app, "sessie.lezer", "bestuurder")
    cookie = next(c for c in context.cookies() if c["name"] == "ln_sessie")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "ln_sessie" not in page.evaluate("document.cookie")  # out of reach of scripts

    page.reload()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert signed_in_as(page, "sessie.lezer")
    other = context.new_page()
    other.goto(f"{url}/kaart?gebied=limmel")
    other.get_by_role("heading", name="Kaart", level=1).wait_for(timeout=60_000)
    wait_until_idle(other)
    assert signed_in_as(other, "sessie.lezer")

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="Geleerde lessen", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert page.get_by_role("button", name="Inloggen").is_visible()
    assert not any(c["name"] == "ln_sessie" for c in context.cookies())
    other.wait_for_timeout(RECHECK_WAIT_MS)
    other.get_by_test_id("stSidebarNav").get_by_role("link", name="Toegankelijkheid").click()
    other.get_by_text("Je bent uitgelogd.").wait_for(timeout=60_000)
    wait_until_idle(other)
    assert other.get_by_role("button", name="Uitloggen").count() == 0
    assert "Kaart" not in other.get_by_test_id("stSidebarNav").inner_text()
    assert ("uitloggen", "uitgelogd", "ok") in audit(engine, "sessie.lezer")
    context.close()


def test_a_deactivated_users_open_tab_cannot_save(session_app, browser):
    _, engine = session_app
    context, page = new_account_signed_in(browser, session_app, "sessie.team", "programmateam")
    open_page(page, "Gegevens beheren")
    search_rows(page, "PW-4")
    with transaction(engine) as s:  # the beheerder deactivates the account meanwhile
        before = s.scalar(select(Project.name).where(Project.code == "PW-4"))
        s.get(User, s.scalar(select(User.id).where(User.username == "sessie.team"))).active = False
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Naam", exact=True).fill("Na deactivering opgeslagen")
    form.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Je account is gedeactiveerd").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "sessie-gedeactiveerd.png"))
    assert page.get_by_text("Opgeslagen.").count() == 0
    assert page.get_by_role("button", name="Uitloggen").count() == 0
    with transaction(engine) as s:
        assert s.scalar(select(Project.name).where(Project.code == "PW-4")) == before
    assert any(result == "geweigerd" for _, _, result in audit(engine, "sessie.team"))
    assert not any(action == "wijzigen" and result == "ok"
                   for action, _, result in audit(engine, "sessie.team"))
    context.close()


TAKE_SESSION = """
(() => {
  const Original = window.WebSocket;
  function Hijacked(url, protocols) {
    if (Array.isArray(protocols) && protocols.length >= 2) {
      protocols = [protocols[0], protocols[1], %r];
    }
    return new Original(url, protocols);
  }
  Hijacked.prototype = Original.prototype;
  Object.assign(Hijacked, Original);
  window.WebSocket = Hijacked;
})();
"""


def test_a_second_browser_with_the_first_ones_streamlit_session_id_is_not_signed_in(
        session_app, browser):
    url, engine = session_app
    victim_context, victim = new_account_signed_in(browser, session_app, "sessie.doelwit",
                                                   "programmateam")
    open_page(victim, "Importeren")
    with victim.expect_request(lambda r: "/_stcore/upload_file/" in r.url) as upload:
        victim.locator('input[type="file"]').set_input_files(files=[{
            "name": "leeg.csv", "mimeType": "text/csv", "buffer": b"Code;Naam\n"}])
    session_id = upload.value.url.split("/_stcore/upload_file/")[1].split("/")[0]
    assert len(session_id) >= 32  # what a proxy log would show

    attacker_context, attacker = new_page(browser)
    attacker_context.add_init_script(TAKE_SESSION % session_id)
    attacker.goto(url)
    wait_until_idle(attacker)
    attacker.wait_for_timeout(1_000)
    wait_until_idle(attacker)
    attacker.screenshot(path=str(ARTIFACTS / "sessie-overgenomen.png"))
    sidebar = attacker.get_by_test_id("stSidebar").inner_text()
    assert "sessie.doelwit" not in sidebar and "Uitloggen" not in sidebar
    assert attacker.get_by_role("button", name="Inloggen").is_visible()
    assert "andere browser" in sidebar  # it did reach the victim's Streamlit session
    nav = attacker.get_by_test_id("stSidebarNav").inner_text()
    assert "Importeren" not in nav and "Overzicht" not in nav
    assert ("uitloggen", "andere browser", "geweigerd") in audit(engine, "sessie.doelwit")

    victim.reload()  # the victim's own cookie still signs the victim in
    victim.get_by_role("heading", name="Importeren", level=1).wait_for(timeout=60_000)
    wait_until_idle(victim)
    victim.screenshot(path=str(ARTIFACTS / "sessie-slachtoffer.png"))
    assert victim.get_by_role("button", name="Uitloggen").count() == 1
    attacker_context.close()
    victim_context.close()


def test_security_headers_hidden_metrics_and_no_csp_violation_on_charts_and_map(
        session_app, browser):
    url, _ = session_app
    with urllib.request.urlopen(url) as response:
        headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
    with pytest.raises(urllib.error.HTTPError) as metrics:
        urllib.request.urlopen(f"{url}/_stcore/metrics")
    assert metrics.value.code == 404

    context, page = new_page(browser, viewport={"width": 1400, "height": 3000})
    sign_in(page, f"{url}/kernteams", "bestuurder", "demo", lands_on="Kernteams")
    charts = page.locator('[data-testid="stVegaLiteChart"] canvas, '
                          '[data-testid="stVegaLiteChart"] svg')
    expect(charts).not_to_have_count(0, timeout=30_000)
    open_page(page, "Kaart")
    expect(page.locator('[data-testid="stDeckGlJsonChart"] canvas')).not_to_have_count(
        0, timeout=30_000)
    page.wait_for_timeout(2_000)
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def test_an_internal_link_opened_anonymously_asks_to_sign_in_in_dutch_then_opens(
        session_app, browser):
    url, _ = session_app
    context, page = new_page(browser)
    page.goto(f"{url}/kaart?gebied=limmel")
    page.get_by_role("heading", name="Log in om deze pagina te openen", level=1).wait_for(
        timeout=60_000)
    wait_until_idle(page)
    assert page.get_by_role("dialog").count() == 0  # no English "Page not found"
    assert page.get_by_role("heading", name="Kaart").count() == 0  # the page itself never ran
    page.goto(f"{url}/wijkprofiel?gebied=limmel")
    page.get_by_role("heading", name="Log in om deze pagina te openen", level=1).wait_for(
        timeout=60_000)
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "sessie-link-anoniem.png"))
    submit_sign_in(page, "bestuurder", "demo", lands_on="Wijkprofiel")
    assert "/wijkprofiel?gebied=limmel" in page.url  # the view the link asked for
    expect(page.get_by_role("combobox", name="Gebied")).to_have_value("Limmel")

    page.goto(f"{url}/gebruikers")  # a page the bestuurder's role may not open
    page.get_by_role("heading", name="Geen toegang", level=1).wait_for(timeout=60_000)
    assert page.get_by_text("Je rol Bestuurder mag de pagina Gebruikers niet openen.").is_visible()
    assert page.get_by_role("dialog").count() == 0
    context.close()
