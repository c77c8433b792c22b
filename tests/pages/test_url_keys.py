"""URL parameters hold keys (programme key, area key, CBS municipality code); names are
display only. A name in a link (an old link, or a typed one) is ignored with a Dutch,
escaped notice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.registry import load_registry
from tests.helpers.apptest import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def url(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("urlkeys") / "urlkeys.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture()
def open_page(url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LN_DATABASE_URL", url)

    def start(path: str, **params: str) -> AppTest:
        at = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run(),
                     "bestuurder", "demo")
        at.query_params.update(params)  # a shared link, opened
        at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start


def select(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(s for s in at.selectbox if s.label == label)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_kaart_takes_a_programme_key_and_a_municipality_code(open_page):
    at = open_page("pages/kaart.py", programma="blauwe-zorg", gemeente="GM0935")
    programme, municipality = select(at, "Programma"), select(at, "Gemeente")
    assert (programme.value, programme.format_func(programme.value)) == (
        "blauwe-zorg", "Blauwe Zorg in de wijk")
    assert (municipality.value, municipality.format_func(municipality.value)) == (
        "GM0935", "Maastricht")
    table = next(df.value for df in at.dataframe if "Gebied" in df.value.columns)
    assert set(table["Gebied"]) == {"Wittevrouwenveld", "Wyckerpoort", "Nazareth", "Limmel"}
    assert at.query_params["programma"] == "blauwe-zorg" and at.query_params["gemeente"] == "GM0935"
    assert "Onbekende waarde" not in captions(at)


def test_kaart_ignores_a_programme_name_with_a_notice(open_page):
    at = open_page("pages/kaart.py", programma="Blauwe Zorg in de wijk")
    assert select(at, "Programma").value == "alle"
    assert ("Onbekende waarde 'Blauwe Zorg in de wijk' voor 'programma' in de link; genegeerd."
            in captions(at))
    table = next(df.value for df in at.dataframe if "Gebied" in df.value.columns)
    registry = load_registry()  # every area and programme total: the name did not filter
    assert len(table) == len(registry.areas) + len(registry.programmes)


def test_besluiten_takes_programme_and_area_keys(open_page):
    at = open_page("pages/besluiten.py", programma="blauwe-zorg", gebied="limmel")
    programme, area = at.selectbox(key="url_programma"), at.selectbox(key="url_gebied")
    assert (programme.value, programme.format_func(programme.value)) == (
        "blauwe-zorg", "Blauwe Zorg in de wijk")
    assert (area.value, area.format_func(area.value)) == ("limmel", "Limmel")
    listing = next(df.value for df in at.dataframe if "Onderwerp" in df.value.columns)
    assert len(listing) >= 1 and set(listing["Programma"]) == {"Blauwe Zorg in de wijk"}
    assert "Onbekende waarde" not in captions(at)


def test_besluiten_ignores_an_area_name_with_an_escaped_notice(open_page):
    at = open_page("pages/besluiten.py", gebied="*Limmel*", programma="Blauwe Zorg in de wijk")
    assert at.selectbox(key="url_gebied").value == ""
    assert at.selectbox(key="url_programma").value == ""
    text = captions(at)
    assert "Onbekende waarde '\\*Limmel\\*' voor 'gebied' in de link; genegeerd." in text
    assert "Onbekende waarde 'Blauwe Zorg in de wijk' voor 'programma'" in text


def test_monitoring_filters_and_wijkprofiel_take_keys_not_names(open_page):
    at = open_page("pages/welzijnscoaches.py", programma="pluswijken", gebied="daalhof")
    assert at.selectbox(key="wc_programma").value == "pluswijken"
    assert at.multiselect(key="wc_gebied").value == ["daalhof"]
    named = open_page("pages/welzijnscoaches.py", programma="PlusWIJken")
    assert "Onbekende waarde 'PlusWIJken' voor 'programma'" in captions(named)

    profile = open_page("pages/wijkprofiel.py", gebied="Limmel")
    assert "Onbekende waarde 'Limmel' voor 'gebied' in de link; genegeerd." in captions(profile)
    assert open_page("pages/wijkprofiel.py", gebied="limmel").selectbox[0].value == "limmel"
