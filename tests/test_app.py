"""Streamlit AppTest: every page renders for every role and shows what that role expects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import PAGES, Role, pages_for
from geo.registry import NO_PARTS_TEXT, load_registry

ROOT = Path(__file__).resolve().parent.parent
SIGNED_IN = [Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER]
REGISTRY = load_registry()
AREA_NAMES = [a.name for a in REGISTRY.areas]  # the sixteen areas of SPEC §3
DRAWN_AREA_NAMES = [a.name for a in REGISTRY.areas if a.has_parts]  # not Douvenrade


@pytest.fixture(scope="module")
def app_db_url(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("app") / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture()
def app(app_db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LN_DATABASE_URL", app_db_url)

    def start(role: Role = Role.PUBLIEK) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
        return sign_in(at, role.value, "demo") if role is not Role.PUBLIEK else at

    return start


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.sidebar.text_input(key="sign_in_username").input(username)
    at.sidebar.text_input(key="sign_in_password").input(password)
    return at.sidebar.button[0].click().run()


def all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    parts += [str(x.label) for x in at.expander]
    return "\n".join(str(p) for p in parts)


def registered(at: AppTest, path: str) -> bool:
    try:
        at.switch_page(path)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("role", list(Role))
def test_navigation_holds_exactly_the_role_pages(app, role):
    at = app(role)
    allowed = {p.path for p in pages_for(role)}
    for page in PAGES:
        assert registered(at, page.path) == (page.path in allowed), page.title


@pytest.mark.parametrize("role", list(Role))
def test_every_allowed_page_renders_without_exception(app, role):
    at = app(role)
    for page in pages_for(role):
        at.switch_page(page.path).run()
        assert not at.exception, f"{page.title}: {[e.value for e in at.exception]}"
        assert at.title[0].value == page.title
        assert any("orange-badge" in m.value and "Voorbeelddata" in m.value for m in at.markdown)


def test_anonymous_visitor_gets_the_public_lessons_page(app):
    at = app()
    assert at.title[0].value == "Geleerde lessen"
    text = all_text(at)
    assert "Blauwe Zorg in de wijk" in text and "PlusWIJken" in text
    assert "Besluit: stoppen" in text  # published lessons include what was stopped
    assert "Inloggen voor partners" in text
    assert not at.dataframe  # no internal tables


@pytest.mark.parametrize("role", SIGNED_IN)
def test_signing_in_opens_overzicht_with_figures_for_every_area(app, role):
    at = app(role)
    assert at.title[0].value == "Overzicht"
    areas_table = at.dataframe[-1].value
    assert sorted(areas_table["Gebied"]) == sorted(AREA_NAMES)
    measured = areas_table["Gebied"].isin(DRAWN_AREA_NAMES)
    assert areas_table.loc[measured, "Inwoners"].notna().all()
    assert areas_table.loc[~measured, "CBS-codes"].tolist() == [NO_PARTS_TEXT]
    areas_per_programme = [m.value for m in at.metric if m.label == "Gebieden"]
    assert areas_per_programme == [str(len(REGISTRY.areas_of(p.key))) for p in REGISTRY.programmes]
    assert "Benutte capaciteit" in {m.label for m in at.metric}
    assert f"**{role.value}** · {role.value.capitalize()}" in [m.value for m in at.markdown]


def test_wrong_password_shows_a_dutch_error_and_stays_public(app):
    at = sign_in(app(), "bestuurder", "geen-demo")
    assert at.title[0].value == "Geleerde lessen"
    assert [e.value for e in at.sidebar.error] == ["Onbekende gebruikersnaam of onjuist wachtwoord."]
