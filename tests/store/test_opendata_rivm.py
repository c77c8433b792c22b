"""RIVM Gezondheid per wijk en buurt: model estimates with a 95% interval, never summed."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.aggregation import aggregate_parts
from dashboard.domain.roles import Role
from dashboard.store.queries_geo import reference_values
from data_loaders.opendata.rivm_wijk import NOT_ADDITIVE
from tests.helpers.opendata import (
    RIVM_50120,
    RIVM_50150,
    area_value,
    copy_with,
    load,
    load_audits,
    snapshot,
    stored,
)

GOOD_HEALTH = "rivm_ervaren_gezondheid"
# line 105 of the 50150NED file: the lower bound of Wittevrouwenveld's 2024 estimates
LOWER_ROW = ('"103";"20300";"MOG0095";"BU09350402";"2024JJ00";'
             '"Maastricht                              ";"Buurt     ";"BU09350402";"    59.7"')


def test_estimates_land_with_their_interval_for_adults_only(engine, capsys):
    assert load(engine, "rivm-wijk", RIVM_50150) == 0
    out = capsys.readouterr().out
    assert "RIVM Gezondheid per wijk en buurt (50150NED), 2022, 2024: 288 nieuw" in out
    assert "Overgeslagen: 12 rijen van andere leeftijdsgroepen dan 18 jaar of ouder." in out
    health = stored(engine, GOOD_HEALTH)
    assert health[("BU09350402", "2024")] | {"version": 1} == {
        "value": 64.8, "lower": 59.7, "upper": 69.9, "numerator": None, "denominator": None,
        "status": "ok", "note": NOT_ADDITIVE, "version": 1}
    assert (health[("GM0935", "2024")]["value"], health[("NL", "2024")]["value"]) == (71.6, 66.7)
    missing = stored(engine, "rivm_sterk_eenzaam")[("BU19030001", "2022")]  # "       ."
    assert missing["status"] == "ontbreekt" and missing["value"] is None
    assert missing["lower"] is None and missing["upper"] is None


def test_estimates_are_never_summed_over_the_parts_of_an_area(engine):
    assert load(engine, "rivm-wijk", RIVM_50150) == 0
    for area_key in ("eijsden", "hoensbroek"):  # three buurten, five wijken
        shown = area_value(engine, area_key, GOOD_HEALTH, "2024")
        assert shown["status"] == "ontbreekt" and shown["note"] == NOT_ADDITIVE
        assert pd.isna(shown["value"]) and pd.isna(shown["lower"]) and pd.isna(shown["upper"])
    # an area of one buurt is that buurt: the estimate and its interval as published
    shown = area_value(engine, "wittevrouwenveld", GOOD_HEALTH, "2024")
    assert (shown["status"], shown["value"], shown["lower"], shown["upper"]) == (
        "ok", 64.8, 59.7, 69.9)
    refs = reference_values(engine, Role.BESTUURDER, GOOD_HEALTH)
    gm = refs[(refs["region_code"] == "GM0935") & (refs["period"] == "2024")].iloc[0]
    assert (gm["value"], gm["lower"], gm["upper"]) == (71.6, 70.4, 72.8)


def test_both_tables_fill_one_series_despite_their_different_keys(engine):
    assert load(engine, "rivm-wijk", RIVM_50120) == 0  # ErvarenGezondheidGoedZeerGoed_4 …
    assert load(engine, "rivm-wijk", RIVM_50150) == 0  # GoedErvarenGezondheid_4 …
    health = stored(engine, GOOD_HEALTH)
    assert (health[("BU09350402", "2016")]["value"], health[("BU09350402", "2016")]["lower"],
            health[("BU09350402", "2016")]["upper"]) == (63.3, 58.2, 68.4)
    assert {p for c, p in health if c == "BU09350402"} == {"2016", "2020", "2022", "2024"}
    lonely = stored(engine, "rivm_sterk_eenzaam")  # ErnstigZeerErnstigEenzaam / SterkEenzaam
    assert lonely[("BU09350402", "2016")]["value"] == 18.1
    assert ("BU09350402", "2024") in lonely
    assert {a["new"]["perioden"] for a in load_audits(engine)} == {"2016, 2020", "2022, 2024"}


def test_loading_twice_changes_nothing(engine, capsys):
    assert load(engine, "rivm-wijk", RIVM_50150) == 0
    before = snapshot(engine)
    assert load(engine, "rivm-wijk", RIVM_50150) == 0
    assert "0 nieuw, 0 gewijzigd, 288 ongewijzigd" in capsys.readouterr().out
    assert snapshot(engine) == before


def test_an_interval_that_misses_its_estimate_is_refused_and_nothing_is_written(
        engine, tmp_path, capsys):
    assert load(engine, "rivm-wijk", RIVM_50120) == 0
    before = snapshot(engine)
    bad = copy_with(RIVM_50150, tmp_path, LOWER_ROW, LOWER_ROW.replace("59.7", "65.0"))
    assert load(engine, "rivm-wijk", bad) == 2
    err = capsys.readouterr().err
    assert ("50150NED_UntypedDataSet.csv, rij 104, kolom GoedErvarenGezondheid_4: de waarde "
            "64,8 ligt niet binnen het 95%-interval 65–69,9 (rij 105 en rij 106)") in err
    assert snapshot(engine) == before
    assert load_audits(engine)[-1]["result"] == "ongeldig"


def test_a_regios_dimension_is_read_like_wijken_en_buurten(engine, tmp_path):
    renamed = copy_with(RIVM_50150, tmp_path, '"WijkenEnBuurten"', '"RegioS"')
    assert load(engine, "rivm-wijk", renamed) == 0
    assert stored(engine, GOOD_HEALTH)[("BU09350402", "2024")]["value"] == 64.8


def test_jaar_selects_one_measurement_year(engine, capsys):
    assert load(engine, "rivm-wijk", RIVM_50150, "--jaar", "2024") == 0
    assert {p for _, p in stored(engine, GOOD_HEALTH)} == {"2024"}
    assert load(engine, "rivm-wijk", RIVM_50150, "--jaar", "2023") == 2
    assert "geen cijfers voor 2023 (het bestand heeft 2022, 2024)" in capsys.readouterr().err


def test_one_part_keeps_its_figure_several_are_refused_with_their_own_reason():
    estimate = {"value": 64.8, "numerator": None, "denominator": None, "status": "ok",
                "note": NOT_ADDITIVE}
    single = aggregate_parts([estimate], is_rate=True, multiplier=100)
    assert (single.value, single.status) == (64.8, "ok")
    several = aggregate_parts([estimate, {**estimate, "value": 70.1}], is_rate=True,
                              multiplier=100)
    assert several.value is None and several.status == "ontbreekt"
    assert several.note == NOT_ADDITIVE  # not an average (67,45)
