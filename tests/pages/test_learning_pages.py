"""Besluiten and Casussen as a signed-in user sees them (AppTest)."""

from __future__ import annotations

from dashboard.domain.roles import Role


def test_besluiten_filters_come_from_the_url_and_flag_overdue_reviews(app):
    at = app(Role.BESTUURDER)
    at.query_params["uitkomst"] = "stoppen"
    at.switch_page("pages/besluiten.py").run()
    assert not at.exception
    assert at.selectbox(key="url_uitkomst").value == "stoppen"
    board = [s.value for s in at.subheader]
    assert "Stoppen (2)" in board and "Opschalen (0)" in board
    options = at.selectbox(key="url_besluit").options
    assert len(options) == 2 and all("stoppen" in o for o in options)
    # choosing another outcome in the page writes it back to the URL
    at.selectbox(key="url_uitkomst").select("opschalen").run()
    assert at.query_params["uitkomst"] == "opschalen"
    assert any(s.value == "Opschalen (3)" for s in at.subheader)
    assert any("Evaluatie verlopen" in w.value for w in at.warning)


def test_a_crafted_url_value_is_ignored_with_a_notice(app):
    at = app(Role.BESTUURDER)
    at.query_params["orgaan"] = "<script>"
    at.switch_page("pages/besluiten.py").run()
    box = at.selectbox(key="url_orgaan")
    assert box.format_func(box.value) == "Alle"  # no filter applied
    assert any("Onbekende waarde '\\<script>' voor 'orgaan'" in c.value for c in at.caption)


def test_casussen_search_and_links_to_decisions(app):
    at = app(Role.BESTUURDER)
    at.query_params["zoek"] = "C-004"
    at.switch_page("pages/casussen.py").run()
    assert not at.exception
    found = [e.label for e in at.expander if e.label.startswith("C-")]
    assert len(found) == 1 and found[0].startswith("C-004")
    links = [p.label for p in at.get("page_link")]
    assert any(label.startswith("Besluit ") for label in links)
