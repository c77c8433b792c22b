"""The choropleth: polarity-aware colours, comparisons, legend and a small payload."""

import json

import pandas as pd
import pytest

from dashboard.ui import maps
from geo.registry import NO_PARTS_TEXT, load_registry

AREAS = pd.DataFrame({
    "key": ["a", "b", "c", "d"], "name": ["A", "B", "C", "D"], "programme": ["P"] * 4,
    "municipality_code": ["GM0001", "GM0001", "GM0002", "GM0002"],
    "municipality_name": ["Een", "Een", "Twee", "Twee"],
})


def values(vals, status=None, period="2024"):
    return pd.DataFrame({"area_key": list("abcd"), "period": period, "value": vals,
                         "numerator": [v * 10 if v is not None else None for v in vals],
                         "denominator": 1000.0, "status": status or ["ok"] * 4,
                         "note": "", "origin": "gebied"})


REFS = pd.DataFrame({"region_code": ["GM0001", "GM0002", "ZL", "NL"], "period": "2024",
                     "value": [10.0, 20.0, 15.0, 12.0], "status": "ok"})


def colours(polarity, vals=(5.0, 10.0, 15.0, 20.0), mode="waarde"):
    frame = maps.map_frame(AREAS, values(list(vals)), REFS, period="2024", mode=mode, unit="%")
    frame, legend = maps.assign_classes(frame, polarity=polarity, mode=mode, unit="%")
    return dict(zip(frame["key"], frame["fill"], strict=True)), legend, frame


GREEN = maps.WORSE_TO_BETTER[-1] + [215]
BROWN = maps.WORSE_TO_BETTER[0] + [215]


def test_green_is_better_for_both_polarities():
    fill, _, _ = colours(maps.LOWER)
    assert fill["a"] == GREEN and fill["d"] == BROWN  # lowest value is best
    fill, _, _ = colours(maps.HIGHER)
    assert fill["d"] == GREEN and fill["a"] == BROWN


def test_comparison_with_the_municipality_is_a_difference_coloured_by_polarity():
    fill, legend, frame = colours(maps.LOWER, vals=(4.0, 10.0, 20.0, 30.0), mode="gemeente")
    assert list(frame["shown"]) == [-6.0, 0.0, 0.0, 10.0]
    assert fill["a"][:3] in ([128, 205, 193], [1, 133, 113])  # below the reference: better
    assert fill["d"][:3] in ([223, 194, 125], [166, 97, 26])
    assert frame.loc[frame["key"] == "a", "compare_text"].item() == "−6,0 %-punt t.o.v. gemeente"
    caption = maps.legend_caption(legend, unit="%", polarity=maps.LOWER, mode="gemeente")
    assert "eenheid: %-punt" in caption and "Groen betekent beter (lager is beter)" in caption


def test_suppressed_area_is_grey_and_named_in_legend_and_tooltip():
    frame = maps.map_frame(AREAS, values([5.0, None, 15.0, 20.0],
                                         status=["ok", "onderdrukt", "ok", "ok"]),
                           REFS, period="2024", mode="waarde", unit="%")
    frame, legend = maps.assign_classes(frame, polarity=maps.HIGHER, mode="waarde", unit="%")
    b = frame[frame["key"] == "b"].iloc[0]
    assert b["fill"][:3] == maps.NO_VALUE
    assert "onderdrukt" in b["value_text"] and "onderdrukt" in b["status_text"]
    assert "Onderdrukt" in [e.label for e in legend]
    assert "Geen cijfer" not in [e.label for e in legend]


def test_change_since_baseline_year():
    both = pd.concat([values([5.0, 10.0, 15.0, 20.0], period="2020"),
                      values([6.0, 9.0, 15.0, 25.0])])
    frame = maps.map_frame(AREAS, both, REFS, period="2024", mode="basisjaar", unit="%",
                           baseline="2020")
    assert list(frame["shown"]) == pytest.approx([1.0, -1.0, 0.0, 5.0])


def test_deck_holds_every_area_and_the_tooltip_fields():
    geometry = {"type": "Polygon", "coordinates": [[[5.7123456, 50.8], [5.72, 50.81],
                                                    [5.73, 50.8], [5.7123456, 50.8]]]}
    layers = {"areas": {k: geometry for k in "abcd"}, "context": []}
    _, _, frame = colours(maps.HIGHER)
    frame["fill"] = [[1, 2, 3, 4]] * 4
    deck = maps.build_deck(layers, frame)
    spec = json.loads(deck.to_json())
    tooltip = deck._tooltip  # st.pydeck_chart sends it next to the spec
    layer = next(la for la in spec["layers"] if la["id"] == "gebieden")
    assert sorted(r["key"] for r in layer["data"]) == list("abcd")
    for field in maps.TOOLTIP_FIELDS:
        assert "{" + field + "}" in tooltip["text"]
        assert field in layer["data"][0]
    assert maps.fmt_value(1234.5, "per 1.000") == "1.234,5 per 1.000"


def test_names_are_drawn_on_a_map_of_few_areas_and_left_to_the_tooltip_on_a_crowded_one(
        monkeypatch):
    geometry = {"type": "Polygon", "coordinates": [[[5.71, 50.8], [5.72, 50.81],
                                                    [5.73, 50.8], [5.71, 50.8]]]}
    layers = {"areas": {k: geometry for k in "abcd"}, "context": []}
    _, _, frame = colours(maps.HIGHER)
    frame["fill"] = [[1, 2, 3, 4]] * 4

    def names(deck) -> list[str]:  # type: ignore[no-untyped-def]
        spec = json.loads(deck.to_json())
        return [r["name"] for la in spec["layers"] if la["id"] == "namen" for r in la["data"]]

    assert sorted(names(maps.build_deck(layers, frame))) == sorted(frame["name"])
    monkeypatch.setattr(maps, "MAX_LABELS", 3)  # four areas: too many names to read
    crowded = maps.build_deck(layers, frame)
    assert names(crowded) == []
    assert "{name}" in crowded._tooltip["text"]  # each area is still named on hover


def test_small_counts_are_shown_internally_but_marked():
    vals = values([5.0, 10.0, 15.0, 20.0])
    vals["numerator"] = [4.0, 40.0, 60.0, 80.0]
    frame = maps.map_frame(AREAS, vals, REFS, period="2024", mode="waarde", unit="%")
    texts = dict(zip(frame["key"], frame["fraction_text"], strict=True))
    assert texts["a"] == "teller 4 / noemer 1.000" + maps.SMALL_COUNT_MARK
    assert texts["b"] == "teller 40 / noemer 1.000"


def test_csv_download_opens_in_dutch_spreadsheets():
    frame = maps.map_frame(AREAS, values([5.25, 10.0, 15.0, 20.0]), REFS, period="2024",
                           mode="waarde", unit="%")
    text = maps.csv_bytes(maps.table_frame(frame)).decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Gebied;Programma;Gemeente;Waarde;Teller;Noemer;Status")
    assert first.startswith("A;P;Een;5,25;52,5;1000,0;ok")


def test_map_view_builds_the_filtered_map_its_table_and_csv_from_the_queries(seeded_engine):
    from dashboard.domain.roles import Role
    from dashboard.store.queries import QUERIES

    def load(query, **params):
        return QUERIES[query](seeded_engine, Role.BESTUURDER, **params)

    indicator = load("indicators")["key"].iloc[0]
    period = maps.periods(load, indicator_key=indicator)[0]
    everything = maps.map_view(load, indicator_key=indicator, period=period, mode="waarde",
                               baseline=None)
    registry = load_registry()
    totals = everything.table[everything.table["Gebied"].str.endswith("(totaal)")]
    areas_only = everything.table.drop(totals.index)
    assert len(areas_only) == len(registry.areas) == 16  # every programme area of SPEC §3
    # and each programme as an area of its own, built by the one rule from its areas with
    # CBS parts (Douvenrade has none): counts summed, rates recomputed from the sums
    assert list(totals["Programma"]) == [p.name for p in registry.programmes]
    for programme in registry.programmes:
        members = areas_only[(areas_only["Programma"] == programme.name)
                             & (areas_only["Gebied"] != "Douvenrade")]
        total = totals.set_index("Programma").loc[programme.name]
        assert total["Teller"] == members["Teller"].sum()
        if members["Noemer"].notna().all():
            assert total["Noemer"] == members["Noemer"].sum()
            assert total["Waarde"] == pytest.approx(
                members["Teller"].sum() / members["Noemer"].sum() * 1000)  # per 1.000
    assert [t[0] for t in everything.totals] == ["totaal-blauwe-zorg", "totaal-pluswijken"]
    deck = json.loads(maps.JsonDeck(everything).to_json())
    drawn = {row["name"] for layer in deck["layers"] if layer["id"] == "gebieden"
             for row in layer["data"]}
    # every area is drawn except the one whose CBS parts are not known: the table says why
    assert drawn == {a.name for a in registry.areas if a.has_parts}
    assert set(areas_only["Gebied"]) - drawn == {"Douvenrade"}
    douvenrade = everything.table.set_index("Gebied").loc["Douvenrade"]
    assert douvenrade["Toelichting"] == NO_PARTS_TEXT and douvenrade["Status"] == "ontbreekt"
    assert everything.without_polygon == [f"Douvenrade: {NO_PARTS_TEXT}"]
    assert everything.source == "meegeleverd" and "CC BY 4.0" in everything.attribution
    assert everything.csv.decode("utf-8-sig").count("\n") == 19  # header, 16 areas, 2 totals
    areas = load("areas")
    blauwe_zorg = areas.loc[areas["key"] == "limmel", "programme"].iloc[0]
    maastricht = maps.map_view(load, indicator_key=indicator, period=period, mode="waarde",
                               baseline=None, municipality="GM0935")
    # the four Blauwe Zorg neighbourhoods and Daalhof (PlusWIJken)
    assert set(maastricht.table["Gemeente"]) == {"Maastricht"} and len(maastricht.table) == 5
    assert not maastricht.totals  # a municipality filter cuts a programme: no total
    only_bz = maps.map_view(load, indicator_key=indicator, period=period, mode="waarde",
                            baseline=None, programme="blauwe-zorg", municipality="GM0935")
    assert set(only_bz.table["Programma"]) == {blauwe_zorg} and len(only_bz.table) == 4
    assert maps.map_view(load, indicator_key=indicator, period=period, mode="waarde",
                         baseline=None, programme="blauwe-zorg", municipality="GM0917") is None
