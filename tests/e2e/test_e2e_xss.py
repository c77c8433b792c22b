"""XSS in a real browser: script, HTML and markdown payloads saved in every free-text field
come back as literal text on every page that shows them, and nothing of them runs.

The payloads are written through ``dashboard.store.writes`` (the same audited functions the
editing forms call) into a private copy of the demo database served by its own app; the
sign-in username goes through the sign-in form itself and ends up in the audit log. Area
and programme names, which come from the registry rather than a form, are planted in the
database directly. Markdown payloads (an external image, links, bare-URL autolinks, a setext
heading, KaTeX, colour and icon directives, an emoji) get their own copy and app, and every
page is visited for every role, plus a crafted link whose URL parameter is a fake message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from dashboard.domain.roles import Role, pages_for
from dashboard.store import writes
from dashboard.store.queries import QUERIES
from data_loaders.db import make_engine, transaction
from data_loaders.models import Area, Programme
from tests.helpers import ARTIFACTS, AS_OF, copy_of_demo, running_app
from tests.helpers.browser import reading_problems, signed_in, wait_until_idle

pytestmark = pytest.mark.browser
T = TypeVar("T")

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
MD_LINK = "[klikmij](javascript:window.__xss=1)"
MD_IMAGE = "![plaatje](https://example.invalid/x.png)"
JS_URL = "javascript:alert(1)"
PARTS = (IMG, SCRIPT, MD_LINK, MD_IMAGE, JS_URL)


def payload(field: str) -> str:
    """A distinct payload per field, so a missing field is noticed: name + every attack."""
    return f"XSS-{field} {IMG} {SCRIPT} {MD_LINK} {MD_IMAGE} {JS_URL} *nadruk* # kop"


PROJECT_FIELDS = ("name", "goal", "approach", "participants", "facilities", "expected_results",
                  "resident_participation", "contact_role")
DECISION_FIELDS = ("subject", "rationale", "expected_effect")
CASE_FIELDS = ("title", "summary", "lessons")
LIMITS = {"contact_role": 120}


@dataclass
class Planted:
    url: str
    project_code: str
    decision_id: int


def _save(engine, dataset: str, row_id: int, fields: tuple[str, ...]) -> None:
    _write(engine, dataset, row_id, {
        f: payload(f)[:LIMITS.get(f, 200) if f in ("name", "subject", "title",
                                                   "contact_role") else None]
        for f in fields})


def _write(engine, dataset: str, row_id: int, new: dict[str, str]) -> None:
    row = writes.get_row(engine, Role.PROGRAMMATEAM, dataset, row_id)
    assert row is not None
    values = {k: v for k, v in row.items() if k not in ("id", "version", "public_summary",
                                                          "published")}
    values.update(new)
    result = writes.update(engine, "programmateam", Role.PROGRAMMATEAM, dataset, row_id,
                           row["version"], values)
    assert result.ok, result.message


def plant(db_url: str) -> tuple[str, int]:
    engine = make_engine(db_url)
    try:
        links = QUERIES["decision_case_links"](engine, Role.BESTUURDER)
        lessons = QUERIES["published_lessons"](engine, Role.PUBLIEK)
        linked = links[links["decision_id"].isin(lessons["id"])].iloc[0]
        decision_id, case_id = int(linked["decision_id"]), int(linked["case_id"])
        _save(engine, "decision", decision_id, DECISION_FIELDS)
        row = writes.get_row(engine, Role.PROGRAMMATEAM, "decision", decision_id)
        published = writes.publish_decision(engine, "programmateam", Role.PROGRAMMATEAM,
                                             decision_id, row["version"],
                                             payload("public_summary"))
        assert published.ok, published.message
        _save(engine, "case", case_id, CASE_FIELDS)
        projects = writes.list_rows(engine, Role.PROGRAMMATEAM, "project")
        project = projects.iloc[0]
        _save(engine, "project", int(project["id"]), PROJECT_FIELDS)
        return str(project["code"]), decision_id
    finally:
        engine.dispose()


@contextlib.contextmanager
def served(demo_sqlite_url: str, workdir: Path, plant_in: Callable[[str], T]
           ) -> Iterator[tuple[str, T]]:
    """A private copy of the demo database, ``plant_in`` it, and an app serving it."""
    db_url = copy_of_demo(demo_sqlite_url, workdir)
    planted = plant_in(db_url)
    with running_app(db_url, workdir / "streamlit.log") as url:
        yield url, planted


@pytest.fixture(scope="module")
def planted(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Planted]:
    with served(demo_sqlite_url, tmp_path_factory.mktemp("xss"), plant) as (url, found):
        yield Planted(url, *found)


CHECK = """() => ({
  xss: typeof window.__xss,
  injectedImages: [...document.querySelectorAll('img')].filter(
      i => i.getAttribute('src') === 'x' || (i.getAttribute('src') || '').includes('example.invalid')).length,
  injectedScripts: [...document.querySelectorAll('script')].filter(
      s => s.textContent.includes('__xss')).length,
  handlers: [...document.querySelectorAll('[onerror]')].length,
  jsLinks: [...document.querySelectorAll('a')].filter(
      a => (a.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript')
           || (a.textContent.includes('klikmij') && !a.textContent.includes('[klikmij]'))).length,
  text: document.body.innerText.replaceAll('\u200c', ''),  // escape_md's invisible joiners
})"""


def assert_inert(page, where: str) -> str:
    page.wait_for_timeout(500)  # let any injected handler fire
    found = page.evaluate(CHECK)
    assert found["xss"] == "undefined", f"{where}: a payload ran"
    assert found["injectedImages"] == 0, f"{where}: an injected image was rendered"
    assert found["injectedScripts"] == 0, f"{where}: an injected script element exists"
    assert found["handlers"] == 0, f"{where}: an element with an onerror handler exists"
    assert found["jsLinks"] == 0, f"{where}: a markdown payload became a link"
    return found["text"]


def assert_literal(text: str, field: str, where: str) -> None:
    expected = payload(field)[:LIMITS.get(field, 10_000)]
    for part in PARTS:
        if part in expected:
            assert part in text, f"{where}: {part!r} of {field} is not shown literally"
    assert f"XSS-{field}" in text, f"{where}: {field} is not shown"


def open_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
    wait_until_idle(page)


def navigate(page, title: str) -> None:
    """Through the sidebar: a new page load would start a new, signed-out session."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for(timeout=60_000)
    wait_until_idle(page)


def pick(page, label: str, text: str) -> None:
    """Choose the option of a select box that contains ``text`` (typed to filter the list)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    wait_until_idle(page)


def test_payloads_come_back_as_literal_text_on_every_page(planted, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    # The public page, not signed in: the published summary and the cases behind it.
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    open_page(page, f"{planted.url}/?les={planted.decision_id}")  # the default page
    assert not page.get_by_text("Page not found").is_visible()
    text = assert_inert(page, "Geleerde lessen")
    for field in ("subject", "public_summary", "title", "lessons"):
        assert_literal(text, field, "Geleerde lessen")
    page.screenshot(path=str(ARTIFACTS / "xss-geleerde-lessen.png"), full_page=True)
    context.close()

    context, page = signed_in(browser, planted.url, "beheerder")
    navigate(page, "Besluiten")
    # the decision's shareable link (?besluit=…) opens its panel; the picker itself is
    # exercised in tests/e2e/test_e2e_besluiten.py
    open_page(page, f"{planted.url}/besluiten?besluit={planted.decision_id}")
    page.get_by_role("heading", name="Besluiten", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    text = assert_inert(page, "Besluiten")
    for field in DECISION_FIELDS:
        assert_literal(text, field, "Besluiten")
    page.screenshot(path=str(ARTIFACTS / "xss-besluiten.png"), full_page=True)

    navigate(page, "Casussen")
    page.get_by_text("XSS-title").first.click()  # open the case's expander
    wait_until_idle(page)
    text = assert_inert(page, "Casussen")
    for field in CASE_FIELDS:
        assert_literal(text, field, "Casussen")
    page.screenshot(path=str(ARTIFACTS / "xss-casussen.png"), full_page=True)

    navigate(page, "Projecten")
    pick(page, "Project", "XSS-name")
    text = assert_inert(page, "Projecten")
    for field in PROJECT_FIELDS:
        assert_literal(text, field, "Projecten")
    page.screenshot(path=str(ARTIFACTS / "xss-projecten.png"), full_page=True)

    # Gegevens beheren shows the stored values in the edit form's inputs.
    navigate(page, "Gegevens beheren")
    search = page.get_by_label("Zoeken")
    search.fill(planted.project_code)
    search.press("Enter")
    wait_until_idle(page)
    assert_inert(page, "Gegevens beheren")
    form = page.get_by_test_id("stForm").first
    name = form.get_by_label("Naam", exact=True)
    expect(name).to_have_count(1, timeout=60_000)  # the previous row's form has gone
    expect(name).to_have_value(payload("name"), timeout=60_000)
    expect(form.get_by_label("Doel (optioneel)", exact=True)).to_have_value(payload("goal"))
    page.screenshot(path=str(ARTIFACTS / "xss-gegevens-beheren.png"), full_page=True)
    context.close()


def test_a_payload_as_sign_in_username_stays_text_in_the_audit_log(planted, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    open_page(page, planted.url)
    username = f"{IMG}{MD_LINK}"
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Onbekende gebruikersnaam of onjuist wachtwoord.").wait_for()
    assert_inert(page, "aanmelden")
    context.close()

    context, page = signed_in(browser, planted.url, "beheerder")
    navigate(page, "Auditlog")
    assert_inert(page, "Auditlog")
    page.get_by_role("combobox", name="Gebruiker").click()
    option = page.get_by_role("option", name=username, exact=True)
    option.wait_for()
    option.click()
    wait_until_idle(page)
    text = assert_inert(page, "Auditlog")
    assert "1 regels" in text  # the failed sign-in, found by its literal username
    page.screenshot(path=str(ARTIFACTS / "xss-auditlog.png"), full_page=True)
    context.close()


# ---------------------------------------------------------------- markdown payloads

MD_HOST = "md.invalid"
MD_PARTS = (f"![beeld](https://{MD_HOST}/i.png)", f"[klik](https://{MD_HOST}/l)",
            f"https://{MD_HOST}/u", f"www.{MD_HOST}", f"post@{MD_HOST}", ":red[rood]",
            ":material/home:", ":smile:", "$x^2$")
SETEXT = "\nTitel\n==="  # a heading, if "===" were read as its underline
MD_CODE = ":red[rood]$k^2$"  # codes hold 20 characters
FAKE_MESSAGE = "[Sessie verlopen, log opnieuw in](http://evil.invalid)"


def md_payload(label: str, limit: int = 200) -> str:
    """``MD-<label>`` with every markdown attack that fits in ``limit``, the heading last."""
    text = f"MD-{label}"
    for part in MD_PARTS:
        if len(text) + 1 + len(part) + len(SETEXT) <= limit:
            text += " " + part
    return text + SETEXT


@dataclass
class PlantedMarkdown:
    url: str
    decision_id: int
    values: dict[str, str]  # what was planted, by a label of its own


def plant_markdown(db_url: str) -> tuple[int, dict[str, str]]:
    engine = make_engine(db_url)
    values: dict[str, str] = {}

    def save(dataset: str, row_id: int, fields: dict[str, str]) -> None:
        _write(engine, dataset, row_id, fields)
        values.update({f"{dataset}.{k}": v for k, v in fields.items()})

    try:
        links = QUERIES["decision_case_links"](engine, Role.BESTUURDER)
        lessons = QUERIES["published_lessons"](engine, Role.PUBLIEK)
        linked = links[links["decision_id"].isin(lessons["id"])].iloc[0]
        decision_id, case_id = int(linked["decision_id"]), int(linked["case_id"])
        save("decision", decision_id, {f: md_payload(f"decision-{f}") for f in DECISION_FIELDS})
        row = writes.get_row(engine, Role.PROGRAMMATEAM, "decision", decision_id)
        values["decision.public_summary"] = md_payload("public_summary")
        assert writes.publish_decision(engine, "programmateam", Role.PROGRAMMATEAM, decision_id,
                                       row["version"], values["decision.public_summary"]).ok
        save("case", case_id, {"code": "C" + MD_CODE,
                               **{f: md_payload(f"case-{f}") for f in CASE_FIELDS}})
        # an overdue milestone (shown in the warning on Projecten) and its project
        milestones = writes.list_rows(engine, Role.PROGRAMMATEAM, "milestone")
        late = milestones[milestones["done_on"].isna()
                          & (milestones["due_on"].astype(str) < AS_OF.isoformat())].iloc[0]
        projects = writes.list_rows(engine, Role.PROGRAMMATEAM, "project")
        project_id = int(projects.loc[projects["code"] == late["project"], "id"].iloc[0])
        save("project", project_id, {
            "code": "P" + MD_CODE,
            **{f: md_payload(f"project-{f}", LIMITS.get(f, 200)) for f in PROJECT_FIELDS}})
        save("milestone", int(late["id"]), {"title": md_payload("milestone-title")})
        values["area.name"] = md_payload("gebied", 120)
        values["programme.name"] = md_payload("programma", 120)
        with transaction(engine) as s:
            s.execute(update(Area).where(Area.key == "daalhof").values(name=values["area.name"]))
            s.execute(update(Programme).where(Programme.key == "pluswijken")
                      .values(name=values["programme.name"]))
        return decision_id, values
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def planted_markdown(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[PlantedMarkdown]:
    with served(demo_sqlite_url, tmp_path_factory.mktemp("markdown"), plant_markdown) \
            as (url, found):
        yield PlantedMarkdown(url, *found)


MD_CHECK = """() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  return {
    links: all('a').map(a => a.getAttribute('href') || '').filter(
        h => h.includes('.invalid') || h.startsWith('mailto:')),
    images: all('img').map(i => i.getAttribute('src') || '').filter(s => s.includes('.invalid')),
    katex: all('.katex, .katex-display, math').length,
    coloured: all('.stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge')
        .map(s => s.textContent).filter(t => t.includes('rood')),
    icons: all('[data-testid="stMarkdownContainer"] span[role="img"]').map(s => s.textContent),
    headings: all('h1, h2, h3, h4, h5, h6').map(h => h.textContent.trim())
        .filter(t => t.startsWith('Titel')),
    text: document.body.innerText.replaceAll('\\u200c', ''),
  };
}"""


def assert_markdown_inert(page, where: str) -> str:
    page.wait_for_timeout(300)
    found = page.evaluate(MD_CHECK)
    assert found["links"] == [], f"{where}: a payload became a link"
    assert found["images"] == [], f"{where}: a payload became an image"
    assert found["katex"] == 0, f"{where}: a payload was typeset as maths"
    assert found["coloured"] == [], f"{where}: a payload was coloured"
    assert "home" not in found["icons"], f"{where}: a payload became an icon"
    assert found["headings"] == [], f"{where}: a payload became a heading"
    assert "😄" not in found["text"], f"{where}: a payload became an emoji"
    return found["text"]


def assert_shown(text: str, value: str, where: str) -> None:
    """Every line of the planted value is on the page as typed (the reader's text, with
    invisible joiners removed)."""
    for line in value.splitlines():
        if line not in text:
            (ARTIFACTS / "markdown-missing.txt").write_text(f"{where}\n{line}\n\n{text}")
        assert line in text, f"{where}: {line!r} is not shown literally"


def watch_requests(context) -> list[str]:
    """URLs the browser asked for on a planted host (an image would be fetched at once)."""
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url)
               if (urlsplit(r.url).hostname or "").endswith(".invalid") else None)
    return asked


def test_markdown_payloads_stay_text_on_the_public_pages_and_in_a_shared_link(
        planted_markdown, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    md = planted_markdown
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    asked = watch_requests(context)
    page = context.new_page()
    open_page(page, f"{md.url}/?les={md.decision_id}")
    text = assert_markdown_inert(page, "Geleerde lessen (les)")
    for key in ("decision.subject", "decision.public_summary", "case.title", "case.lessons"):
        assert_shown(text, md.values[key], f"Geleerde lessen: {key}")
    open_page(page, md.url)
    page.get_by_test_id("stTable").first.wait_for(timeout=60_000)  # the key figures
    text = assert_markdown_inert(page, "Geleerde lessen")
    for key in ("programme.name", "area.name", "case.title"):
        assert_shown(text, md.values[key], f"Geleerde lessen: {key}")
    page.screenshot(path=str(ARTIFACTS / "markdown-geleerde-lessen.png"), full_page=True)
    navigate(page, "Toegankelijkheid")
    assert_markdown_inert(page, "Toegankelijkheid")

    # A crafted link whose parameter reads like a message, opened before signing in.
    open_page(page, f"{md.url}/projecten?status={FAKE_MESSAGE}")
    page.get_by_text("Log in om de pagina Projecten te openen.").wait_for()
    if page.get_by_role("dialog").count():  # Streamlit's own "page not found" notice
        page.keyboard.press("Escape")
    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Projecten", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    text = assert_markdown_inert(page, "Projecten via link")
    assert f"Onbekende waarde '{FAKE_MESSAGE}'" in text
    context.close()
    assert asked == [], "the browser fetched from a planted host"


def test_markdown_payloads_stay_text_on_every_page_which_reads_in_dutch_at_1400_px(
        planted_markdown, browser):
    """Every page of the beheerder, whose pages include those of every other role; on the
    way, the reading checks of tests/e2e/test_e2e_walk.py at 1400 px (no metric cut off, no
    English month, no decimal point)."""
    assert all({p.title for p in pages_for(role)} <= {p.title for p in pages_for(Role.BEHEERDER)}
               for role in Role)
    md = planted_markdown
    context, page = signed_in(browser, md.url, "beheerder")
    asked = watch_requests(context)
    problems: list[str] = []
    for spec in pages_for(Role.BEHEERDER):
        navigate(page, spec.title)
        assert_markdown_inert(page, spec.title)
        problems += reading_problems(page, spec.title, 1400)
    context.close()
    assert asked == [], "the browser fetched from a planted host"
    assert not problems, "\n".join(problems)


def test_markdown_payloads_show_as_typed_where_a_bestuurder_reads_them(planted_markdown,
                                                                       browser):
    md = planted_markdown
    context, page = signed_in(browser, md.url, "bestuurder")
    asked = watch_requests(context)
    check_where_planted_values_show(page, md)
    context.close()
    assert asked == [], "the browser fetched from a planted host"


def shows(page, text: str) -> None:
    """Wait until the rerun after a choice has drawn ``text`` (as markdown or st.text): the
    app may still look idle between the click and the start of that rerun."""
    page.locator('[data-testid="stMarkdownContainer"], [data-testid="stText"]').filter(
        has_text=text).first.wait_for(timeout=60_000)
    wait_until_idle(page)


def check_where_planted_values_show(page, md: PlantedMarkdown) -> None:
    navigate(page, "Overzicht")
    assert_shown(assert_markdown_inert(page, "Overzicht"), md.values["programme.name"],
                 "Overzicht")
    navigate(page, "Besluiten")
    pick(page, "Toon bewijs bij besluit", "MD-decision-subject")
    shows(page, "MD-decision-rationale")
    text = assert_markdown_inert(page, "Besluiten")
    for field in DECISION_FIELDS:
        assert_shown(text, md.values[f"decision.{field}"], f"Besluiten: {field}")
    navigate(page, "Casussen")
    page.get_by_text("MD-case-title").first.click()
    wait_until_idle(page)
    text = assert_markdown_inert(page, "Casussen")
    for field in ("code", *CASE_FIELDS):
        assert_shown(text, md.values[f"case.{field}"], f"Casussen: {field}")
    navigate(page, "Projecten")
    pick(page, "Project", "MD-project-name")
    shows(page, "MD-project-goal")
    text = assert_markdown_inert(page, "Projecten")
    for key in ("milestone.title", "project.code", *(f"project.{f}" for f in PROJECT_FIELDS)):
        assert_shown(text, md.values[key], f"Projecten: {key}")
    page.screenshot(path=str(ARTIFACTS / "markdown-projecten.png"), full_page=True)
    navigate(page, "Wijkprofiel")
    pick(page, "Gebied", "MD-gebied")
    shows(page, "MD-gebied")
    assert_shown(assert_markdown_inert(page, "Wijkprofiel"), md.values["area.name"],
                 "Wijkprofiel")
