"""Gegevens beheren: master data with figures is refused deletion with the reason shown,
and the beheerder's catalogue and settings are not offered to the programme team."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def signed_in(demo_sqlite_url, tmp_path, monkeypatch):
    copy = tmp_path / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("LN_DATABASE_URL", url)
    engine = make_engine(url)

    def start(username: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
        at.sidebar.text_input(key="sign_in_username").input(username)
        at.sidebar.text_input(key="sign_in_password").input("demo")
        at.sidebar.button[0].click().run()
        at.switch_page("pages/gegevens_beheren.py").run()
        assert not at.exception
        return at

    yield start, engine
    engine.dispose()


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_deleting_a_coach_with_months_is_refused_with_the_reason(signed_in):
    start, engine = signed_in
    at = start("programmateam")
    datasets = at.selectbox(key="beheer_dataset")
    assert "Welzijnscoaches" in datasets.options  # the options show the Dutch labels
    assert "Indicatorcatalogus" not in datasets.options and "Instellingen" not in datasets.options
    datasets.set_value("coach").run()
    before = writes.list_rows(engine, Role.PROGRAMMATEAM, "coach")
    click(at, "Verwijderen…")
    click(at, "Ja, verwijderen")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Niet verwijderd" in errors and "maandcijfers" in errors
    assert writes.list_rows(engine, Role.PROGRAMMATEAM, "coach").equals(before)


def test_the_beheerder_edits_the_catalogue_and_settings(signed_in):
    start, _ = signed_in
    at = start("beheerder")
    datasets = at.selectbox(key="beheer_dataset")
    assert {"Indicatorcatalogus", "Instellingen"} <= set(datasets.options)
    for name in ("indicator", "setting"):
        at.selectbox(key="beheer_dataset").set_value(name).run()
        assert not at.exception
        assert any(b.label == "Opslaan" for b in at.button), name
