"""Streamlit AppTest: every page renders for every role and shows what that role expects."""

from __future__ import annotations

import pytest

from dashboard.domain.roles import PAGES, Role, pages_for
from geo.registry import NO_PARTS_TEXT, load_registry
from tests.helpers.apptest import (
    AREA_NAMES,
    DRAWN_AREA_NAMES,
    SIGNED_IN,
    all_text,
    registered,
    sign_in,
)

REGISTRY = load_registry()


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
