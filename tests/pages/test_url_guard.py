"""A link larger than any view needs (too many values, or a value too long) opens the page
without its settings and says so in Dutch (``ui.url_guard``); an unknown value of a
URL-bound multiselect is named and ignored, as the select boxes' are."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.domain.roles import Role


def opened(app, path: str, **params: str | list[str]) -> AppTest:  # type: ignore[no-untyped-def]
    at = app(Role.BESTUURDER)
    at.query_params.update(params)  # a shared link, opened
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.parametrize("params", [
    {"gebied": [f"gebied-{i}" for i in range(ui.MAX_URL_VALUES + 1)]},
    {"programma": "p" * (ui.MAX_URL_VALUE_CHARS + 1)},
    {"x" * (ui.MAX_URL_VALUE_CHARS + 1): "1"},
], ids=["too many values", "a long value", "a long name"])
def test_an_oversized_link_opens_without_its_settings_with_a_notice(app, params):
    at = opened(app, "pages/welzijnscoaches.py", **params)
    assert ui.OVERSIZED_LINK in warnings(at)
    assert [t.value for t in at.title] == ["Welzijnscoaches"]
    assert at.multiselect(key="wc_gebied").value == []  # nothing from the link was applied
    assert "gebied" not in at.query_params and "programma" not in at.query_params
    assert not any("Onbekende waarde" in c.value for c in at.caption)  # refused as a whole


def test_a_link_as_large_as_a_view_needs_is_taken(app):
    areas = ["daalhof", "baandert", "lindenheuvel", "eijsden", "hoensbroek"]
    at = opened(app, "pages/welzijnscoaches.py", programma="pluswijken", gebied=areas)
    assert ui.OVERSIZED_LINK not in warnings(at)
    assert at.multiselect(key="wc_gebied").value == areas


def test_an_unknown_multiselect_value_is_named_and_ignored(app):
    at = opened(app, "pages/welzijnscoaches.py", gebied=["daalhof", "*Daalhof*"])
    assert at.multiselect(key="wc_gebied").value == ["daalhof"]
    assert any(c.value == "Onbekende waarde '\\*Daalhof\\*' voor 'gebied' in de link; genegeerd."
               for c in at.caption)
