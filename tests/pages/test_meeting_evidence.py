"""Vergadermodus: a decision recorded during the meeting gets its evidence series from the
same screen, prefilled from the agenda item it is about."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
PT = Role.PROGRAMMATEAM


@pytest.fixture()
def meeting(demo_sqlite_url, tmp_path, monkeypatch):
    copy = tmp_path / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("LN_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.sidebar.text_input(key="sign_in_username").input("programmateam")
    at.sidebar.text_input(key="sign_in_password").input("demo")
    at.sidebar.button[0].click().run()
    at.switch_page("pages/vergadermodus.py").run()
    assert not at.exception
    engine = make_engine(url)
    yield at, engine
    engine.dispose()


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_a_decision_about_an_agenda_item_gets_the_items_series(meeting):
    at, engine = meeting
    picker = at.selectbox(key="meeting_item")
    options = list(picker.options)
    signal = next(i for i, text in enumerate(options) if text.startswith("Nieuwe signalen"))
    picker.set_value(signal).run()
    assert not at.exception
    prefix = f"meeting-decision-{signal}"
    subject = at.text_input(key=f"{prefix}-subject").value
    assert "KT-" in subject  # the agenda item's title
    at.selectbox(key=f"{prefix}-programme").set_value("pluswijken")
    at.selectbox(key=f"{prefix}-subject_type").set_value("interventie")
    at.selectbox(key=f"{prefix}-outcome").set_value("aanpassen")
    at.selectbox(key=f"{prefix}-body").set_value("Programmateam")
    at.text_area(key=f"{prefix}-rationale").input("Signaal besproken; aanpak bijgesteld.")
    click(at, "Besluit opslaan")
    assert not at.exception
    assert "Besluit vastgelegd" in at.success[0].value

    decision = next(s for s in at.selectbox if s.key and s.key.endswith("-decision"))
    assert decision.value.endswith(subject[:40]) or subject[:40] in decision.value
    team = next(s for s in at.selectbox if s.key and s.key.endswith("-kernteam"))
    metric = next(s for s in at.selectbox if s.key and s.key.endswith("-metric"))
    assert team.value and team.value.startswith("KT-") and team.value in subject
    assert metric.value  # the signal's measure
    click(at, "Bewijsreeks koppelen")
    assert not at.exception
    assert "Bewijsreeks gekoppeld" in at.success[0].value

    links = writes.list_rows(engine, PT, "decision_evidence")
    linked = links[links["decision"] == decision.value]
    assert [(r.kernteam, r.metric, r.is_comparison) for r in linked.itertuples()] == [
        (team.value, metric.value, False)]


def test_a_lesson_is_published_from_the_meeting_after_the_no_names_check(meeting):
    from dashboard.store.queries import QUERIES

    at, engine = meeting
    chosen = at.selectbox(key="meeting_publish").value
    rows = writes.list_rows(engine, PT, "decision").set_index("id")
    assert rows.loc[chosen, "decided_on"] == rows["decided_on"].max()  # the newest by default
    from dashboard.domain.i18n import fmt_date

    shown = at.selectbox(key="meeting_publish").options[0]  # a reader's name, not the import key
    assert shown.startswith(f"{fmt_date(rows.loc[chosen, 'decided_on'])} · ")
    assert rows.loc[chosen, "decided_on"].isoformat() not in shown
    summary = next(t for t in at.text_area if t.label == "Openbare samenvatting")
    summary.input("Mevrouw Jansen uit Limmel kreeg sneller hulp; bel 06-12345678.").run()
    warning = " ".join(w.value for w in at.warning)
    assert "aanspreekvorm met naam 'Mevrouw Jansen'" in warning
    assert "telefoonnummer '06-12345678'" in warning and "Limmel'" not in warning
    publish = next(b for b in at.button if b.label == "Publiceren als geleerde les")
    assert publish.disabled  # not before the team confirmed the check

    clean = "Huishoudens kregen sneller hulp: de wachtlijst halveerde in een half jaar."
    next(t for t in at.text_area if t.label == "Openbare samenvatting").input(clean).run()
    assert not any("persoonlijk" in w.value for w in at.warning)
    assert clean in [m.value for m in at.markdown]  # the preview, as the public page shows it
    next(c for c in at.checkbox if c.label.startswith("Gecontroleerd")).check().run()
    at = click(at, "Publiceren als geleerde les")
    assert any("staat nu op Geleerde lessen" in s.value for s in at.success)
    public = QUERIES["published_lessons"](engine, Role.PUBLIEK)
    assert public.loc[public["id"] == chosen, "public_summary"].tolist() == [clean]
