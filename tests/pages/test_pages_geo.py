"""AppTest: Kaart, Wijkprofiel and Indicatoren for every signed-in role, on both geometries."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from data_loaders import cbs_geo
from tests.helpers import ROOT
from tests.helpers.apptest import DRAWN_AREA_NAMES, registered, sign_in
from tests.helpers.geo import BUURTEN, WIJKEN, shared_geo_dir

GEO_PAGES = ["pages/kaart.py", "pages/wijkprofiel.py", "pages/indicatoren.py"]


@pytest.fixture(scope="module", params=["meegeleverd", "cbs"])
def geo_db_url(request, demo_sqlite_url, tmp_path_factory) -> str:
    """A demo copy with the shipped boundaries and one with the shared CBS extract imported."""
    copy = tmp_path_factory.mktemp("geoapp") / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    if request.param == "cbs":
        shared = shared_geo_dir()
        assert cbs_geo.main([str(shared / BUURTEN), str(shared / WIJKEN), "--database", url]) == 0
    return url


@pytest.fixture()
def signed_in(geo_db_url, monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", geo_db_url)

    def start(role: Role) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90).run()
        return sign_in(at, role.value, "demo")

    return start


def deck(at: AppTest) -> tuple[dict, dict]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json), json.loads(charts[0].proto.tooltip)


def area_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layers"] if layer["id"] == "gebieden")


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("caption", "markdown", "warning", "info")
                     for e in getattr(at, kind))


# The map is the same for every signed-in role except the beheerder's operations note; which
# role may open which page is tests/pages/test_access_matrix.py's.
@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.BEHEERDER])
def test_kaart_draws_every_area_with_legend_tooltip_and_attribution(signed_in, request, role):
    at = signed_in(role).switch_page("pages/kaart.py").run()
    assert not at.exception
    assert at.title[0].value == "Kaart"
    spec, tooltip = deck(at)
    layer = area_layer(spec)
    names = {row["name"] for row in layer["data"]}
    assert names == set(DRAWN_AREA_NAMES)  # all but Douvenrade, which has no CBS parts yet
    assert "Niet op de kaart: Douvenrade: nog geen CBS-indeling bekend." in texts(at)
    # open rings (deck.gl closes them): at least a triangle, no repeated closing vertex
    assert all(row["polygon"] and len(row["polygon"][0]) >= 3
               and row["polygon"][0][0] != row["polygon"][0][-1] for row in layer["data"])
    assert layer["pickable"] is True
    labels = next(la for la in spec["layers"] if la["id"] == "namen")
    assert labels["@@type"] == "TextLayer"
    assert sorted(r["name"] for r in labels["data"]) == sorted(DRAWN_AREA_NAMES)  # one each
    assert "dezelfde cijfers staan in het tabblad Tabel" in at.get("deck_gl_json_chart")[0].proto.alt
    for field in ("name", "value_text", "fraction_text", "reference_text", "status_text"):
        assert "{" + field + "}" in tooltip["text"]
    row = layer["data"][0]
    assert row["fraction_text"].startswith("teller") and "Zuid-Limburg" in row["reference_text"]
    legend = next(df.value for df in at.dataframe if "Klasse" in df.value.columns)
    assert len(legend) >= 2
    assert "Klassen (waarde, eenheid: per 1.000)" in texts(at)
    context = [la for la in spec["layers"] if la["id"] == "context"]
    assert len(context[0]["data"]) > 100  # neighbouring buurten as grey context
    assert not at.warning  # no developer command in a warning box
    if request.node.callspec.params["geo_db_url"] == "cbs":
        assert "Bron: CBS / Kadaster (PDOK), Wijk- en Buurtkaart 2023" in texts(at)
    else:
        assert "Bron: CBS/Kadaster, Wijk- en Buurtkaart 2023 (CC BY 4.0)" in texts(at)
        # how to load the official boundaries is an operations note for the beheerder only
        assert ("python -m data_loaders.cbs_geo" in texts(at)) == (role is Role.BEHEERDER)


def test_url_reproduces_the_view_and_filters_apply(signed_in):
    at = signed_in(Role.BESTUURDER).switch_page("pages/kaart.py").run()
    at.query_params.update({"indicator": "ervaren_gezondheid", "periode": "2018",
                            "vergelijk": "ZL", "programma": "blauwe-zorg"})
    at.run()
    assert not at.exception
    chosen = {s.label: s.value for s in at.selectbox}
    assert chosen["Indicator"] == "ervaren_gezondheid" and chosen["Periode"] == "2018"
    assert chosen["Vergelijking"] == "ZL"
    spec, _ = deck(at)
    rows = area_layer(spec)["data"]
    assert {r["name"] for r in rows} == {"Wittevrouwenveld", "Wyckerpoort", "Nazareth", "Limmel"}
    limmel = next(r for r in rows if r["name"] == "Limmel")  # demo: too few respondents in 2018
    assert "onderdrukt" in limmel["value_text"] and limmel["fill"][:3] == [150, 150, 150]
    assert all("t.o.v. Zuid-Limburg" in r["compare_text"] for r in rows if r is not limmel)
    assert "Groen betekent beter (hoger is beter)" in texts(at)
    assert at.query_params["vergelijk"] == "ZL"
    assert at.query_params["programma"] == "blauwe-zorg" and "gemeente" not in at.query_params
    table = next(df.value for df in at.dataframe if "Gebied" in df.value.columns)
    assert len(table) == 5 and table.loc[table["Gebied"] == "Limmel", "Status"].item() == "onderdrukt"
    # The programme as an area of its own, by the one rule: a suppressed area hides the total.
    total = table[table["Gebied"] == "Blauwe Zorg in de wijk (totaal)"].iloc[0]
    assert total["Status"] == "onderdrukt" and "1 van 4 delen onderdrukt" in total["Toelichting"]
    assert not any("Blauwe Zorg in de wijk (totaal)" in r["name"] for r in rows)  # not drawn


def test_a_filter_without_areas_says_so(signed_in):
    at = signed_in(Role.BESTUURDER).switch_page("pages/kaart.py").run()
    at.query_params.update({"programma": "blauwe-zorg", "gemeente": "GM0917"})  # Heerlen
    at.run()
    assert not at.exception and not at.get("deck_gl_json_chart")
    assert "Geen programmagebieden voor deze combinatie" in texts(at)


def test_change_since_baseline_year(signed_in):
    at = signed_in(Role.BEHEERDER).switch_page("pages/kaart.py").run()
    at.query_params.update({"indicator": "ggz_kosten", "periode": "2025", "vergelijk": "basisjaar",
                            "basis": "2018"})
    at.run()
    assert {s.label: s.value for s in at.selectbox}["Basisjaar"] == "2018"
    rows = area_layer(deck(at)[0])["data"]
    assert all("sinds 2018" in r["compare_text"] for r in rows)


@pytest.mark.parametrize("role", [Role.PROGRAMMATEAM])  # the same profile for every role
def test_wijkprofiel_shows_trends_positive_health_and_the_work_in_the_area(signed_in, role):
    at = signed_in(role).switch_page("pages/wijkprofiel.py").run()
    at.query_params["gebied"] = "wittevrouwenveld"
    at.run()
    assert not at.exception
    assert at.selectbox[0].value == "wittevrouwenveld"
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [c.get("title") for c in charts]
    assert "Ervaren gezondheid (goed/zeer goed)" in titles
    survey = charts[titles.index("Ervaren gezondheid (goed/zeer goed)")]
    marks = [la["mark"]["type"] if isinstance(la["mark"], dict) else la["mark"]
             for la in survey["layer"]]
    assert "area" in marks and "rule" in marks  # confidence band and intervention date
    assert any("De band toont de 95%-betrouwbaarheid" in c.value for c in at.caption)
    assert survey["config"]["locale"]["number"]["decimal"] == ","  # 1.234,5
    assert not any("Positieve Gezondheid" in str(t) for t in titles)  # other tabs wait
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Projecten en programmalijnen"]) >= 1
    assert "Start GGZ-team in de wijk" in texts(at)

    at.query_params["tab"] = "Positieve Gezondheid"  # a shared link to the second tab
    at.run()
    titles = [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]
    assert len(titles) == 1 and "Positieve Gezondheid" in str(titles[0])  # only the spider
    assert any("Dimensie" in df.value.columns for df in at.dataframe)


def test_wijkprofiel_of_a_pluswijken_area_lists_its_kernteams_and_coaches(signed_in):
    at = signed_in(Role.PROGRAMMATEAM).switch_page("pages/wijkprofiel.py").run()
    at.query_params["gebied"] = "hoensbroek"
    at.query_params["tab"] = "Projecten, coaches en kernteams"
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Kernteams"]) > 0 and int(metrics["Welzijnscoaches"]) > 0
    codes = [df.value for df in at.dataframe if "Code" in df.value.columns]
    assert any(df["Code"].str.startswith("KT-").any() for df in codes)


def test_wijkprofiel_shows_a_programme_as_an_area_of_its_own(signed_in):
    at = signed_in(Role.BESTUURDER).switch_page("pages/wijkprofiel.py").run()
    options = at.selectbox[0].options
    assert options[0] == "Blauwe Zorg in de wijk (totaal)"  # first: the programme as a whole
    assert options.index("PlusWIJken (totaal)") == options.index("Baandert") - 1
    at.query_params["gebied"] = "totaal-blauwe-zorg"
    at.run()
    assert not at.exception
    assert "**Blauwe Zorg in de wijk (totaal)** · 4 gebieden samen · gemeente Maastricht" in texts(at)
    assert "Limmel, Nazareth, Wittevrouwenveld, Wyckerpoort" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Projecten en programmalijnen"]) >= 4
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(charts) >= 8  # a trend for every indicator with figures
    assert any("Blauwe lijn: Blauwe Zorg in de wijk (totaal)." in c.value for c in at.caption)
    assert any(m.value.startswith("**Oordeel**") for m in at.markdown)


def test_wijkprofiel_of_an_area_without_cbs_parts_says_so_and_shows_its_work(signed_in):
    at = signed_in(Role.BESTUURDER).switch_page("pages/wijkprofiel.py").run()
    at.query_params["gebied"] = "douvenrade"
    at.run()
    assert not at.exception
    assert "CBS-codes nog geen CBS-indeling bekend" in texts(at)
    assert "Gemeente en CBS-indeling nog niet bevestigd" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Welzijnscoaches"]) > 0 and int(metrics["Kernteams"]) > 0


@pytest.mark.parametrize("role", [Role.BESTUURDER])  # the same catalogue for every role
def test_indicator_catalogue_lists_metadata_and_coverage(signed_in, role):
    at = signed_in(role).switch_page("pages/indicatoren.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"Indicator", "Definitie", "Bron", "Polariteit", "Gebieden", "Laatste periode"} <= set(
        table.columns)
    assert "Ernstig eenzaam" in set(table["Indicator"])
    assert table.loc[table["Indicator"] == "Ernstig eenzaam", "Gebieden"].item() == len(
        DRAWN_AREA_NAMES)  # every area with CBS parts


def test_publiek_cannot_reach_the_map_pages(geo_db_url, monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", geo_db_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90).run()
    for path in GEO_PAGES:
        assert not registered(at, path)
