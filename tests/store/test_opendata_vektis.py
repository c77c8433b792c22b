"""Vektis Zvw costs per gemeente: GGZ and total costs per insured-year, both column
generations, as municipality figures."""

from __future__ import annotations

import csv

import pytest

from dashboard.domain.roles import Role
from dashboard.store.queries_geo import reference_values
from data_loaders.opendata import vektis_gemeente
from data_loaders.opendata.common import OpenDataError
from data_loaders.opendata.load import load_file
from geo.registry import load_registry
from tests.helpers.opendata import (
    VEKTIS_2019,
    VEKTIS_2022,
    copy_with,
    load,
    load_audits,
    snapshot,
    stored,
)

REGISTRY = {a.municipality_code for a in load_registry().areas}
NAMES = {code: name for name, code in vektis_gemeente.VEKTIS_NAMES.items()}


def test_ggz_costs_per_insured_year_from_the_2022_columns(engine, capsys):
    assert load(engine, "vektis-gemeente", VEKTIS_2022) == 0
    out = capsys.readouterr().out
    assert "Overgeslagen: 1 restrij zonder gemeente." in out
    assert "rijen van andere gemeenten." in out  # 's-Gravenhage, and municipalities without area
    assert "0 gewijzigd, 0 ongewijzigd" in out and f"{2 * len(REGISTRY)} nieuw" in out
    # Maastricht, by hand: consulten + intramuraal verblijf + overige prestaties GGZ of its
    # four sex/age rows, over their insured-years (innovatiegelden GGZ left out)
    ggz = (600_000 + 150_000 + 50_000) + (700_000 + 100_000 + 40_000) \
        + (100_000 + 60_000 + 10_000) + (120_000 + 30_000 + 9_500.50)
    insured = 4_000 + 4_200 + 2_500 + 2_800.50
    assert (ggz, insured) == (1_969_500.50, 13_500.50)
    maastricht = stored(engine, "ggz_kosten")[("GM0935", "2022")]
    assert (maastricht["numerator"], maastricht["denominator"]) == (ggz, insured)
    assert maastricht["value"] == pytest.approx(145.8835, abs=1e-4)


def test_ggz_costs_from_the_columns_before_2022(engine):
    assert load(engine, "vektis-gemeente", VEKTIS_2019) == 0
    # generalistische basis-GGZ + specialistische GGZ + langdurige GGZ
    ggz = (40_000 + 520_000 + 30_000) + (45_000 + 610_000 + 25_000) \
        + (12_000 + 90_000 + 48_000) + (14_000 + 105_000 + 20_500.25)
    insured = 3_950 + 4_150 + 2_400 + 2_700.25
    maastricht = stored(engine, "ggz_kosten")[("GM0935", "2019")]
    assert (maastricht["numerator"], maastricht["denominator"]) == (ggz, insured)
    assert maastricht["value"] == pytest.approx(1_559_500.25 / 13_200.25)


def test_total_costs_are_every_cost_column_and_the_figures_are_municipality_references(
        engine):
    assert load(engine, "vektis-gemeente", VEKTIS_2022) == 0
    with VEKTIS_2022.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["gemeentenaam"] == "MAASTRICHT"]
    costs = sum(float(v) for r in rows for k, v in r.items() if k.startswith("kosten_"))
    insured = sum(float(r["aantal_verzekerdejaren"]) for r in rows)
    total = stored(engine, "zvw_kosten")[("GM0935", "2022")]
    assert total["value"] == pytest.approx(costs / insured)
    assert 1_500 < total["value"] < 3_500  # euros per insured-year
    refs = reference_values(engine, Role.BESTUURDER, "ggz_kosten")
    assert set(refs["region_code"]) == REGISTRY  # not 's-Gravenhage, not the rest row
    assert "GM0518" not in REGISTRY


def test_loading_twice_changes_nothing(engine, capsys):
    assert load(engine, "vektis-gemeente", VEKTIS_2022) == 0
    before = snapshot(engine)
    assert load(engine, "vektis-gemeente", VEKTIS_2022) == 0
    assert f"0 nieuw, 0 gewijzigd, {2 * len(REGISTRY)} ongewijzigd" in capsys.readouterr().out
    assert snapshot(engine) == before


def test_an_empty_cell_is_refused_by_row_and_column_and_nothing_is_written(
        engine, tmp_path, capsys):
    assert load(engine, "vektis-gemeente", VEKTIS_2019) == 0
    before = snapshot(engine)
    bad = copy_with(VEKTIS_2022, tmp_path, "MAASTRICHT;4310;4200.00;", "MAASTRICHT;4310;;")
    assert load(engine, "vektis-gemeente", bad) == 2
    err = capsys.readouterr().err
    assert ("Zorgverzekeringswet 2022 - gemeente.csv, rij 3, kolom aantal_verzekerdejaren: "
            "leeg of onbekend") in err
    assert snapshot(engine) == before
    refused = load_audits(engine)[-1]
    assert refused["result"] == "ongeldig" and refused["object_type"] == "vektis-gemeente"


def test_a_municipality_of_interest_that_cannot_be_matched_is_refused(engine, tmp_path):
    before = snapshot(engine)
    unknown = load_file(engine, vektis_gemeente.SOURCE, VEKTIS_2022, year=None,
                        municipalities=frozenset(REGISTRY | {"GM0014"}))
    assert not unknown.ok
    assert "Gemeente GM0014 van de programmagebieden staat niet in de Vektis-namentabel" in (
        unknown.message)
    renamed = copy_with(VEKTIS_2022, tmp_path, ";KERKRADE;", ";KERKRADE-WEST;", count=2)
    absent = load_file(engine, vektis_gemeente.SOURCE, renamed, year=None,
                       municipalities=frozenset(REGISTRY))
    assert not absent.ok
    assert ("gemeente Kerkrade (GM0928) van de programmagebieden staat niet in het bestand "
            "(gezocht: 'KERKRADE')") in absent.message
    assert snapshot(engine) == before


def test_the_year_comes_from_a_jaar_column_or_must_be_given(engine, tmp_path, capsys):
    lines = VEKTIS_2019.read_text(encoding="utf-8").splitlines()
    with_year = tmp_path / "vektis_gemeente.csv"
    with_year.write_text("\n".join([f"jaar;{lines[0]}"] + [f"2021;{line}" for line in lines[1:]]),
                         encoding="utf-8")
    assert load(engine, "vektis-gemeente", with_year) == 0
    assert ("GM0935", "2021") in stored(engine, "ggz_kosten")
    nameless = tmp_path / "zvw_gemeente.csv"
    nameless.write_bytes(VEKTIS_2019.read_bytes())
    assert load(engine, "vektis-gemeente", nameless) == 2
    assert "jaar onbekend; geef het op met --jaar" in capsys.readouterr().err
    assert load(engine, "vektis-gemeente", nameless, "--jaar", "2019") == 0


def test_ggz_columns_by_generation_also_when_cut_at_32_characters():
    assert vektis_gemeente.ggz_columns(
        ["aantal_verzekerdejaren", "kosten_tweedelijns_ggz", "kosten_eerstelijns_psychologisch"],
        "f.csv") == ["kosten_tweedelijns_ggz", "kosten_eerstelijns_psychologisch"]
    with pytest.raises(OpenDataError, match="GGZ-kolommen van twee indelingen"):
        vektis_gemeente.ggz_columns(["kosten_consulten_ggz", "kosten_intramuraal_verblijf_ggz",
                                     "kosten_overige_prestaties_ggz",
                                     "kosten_specialistische_ggz"], "f.csv")
    with pytest.raises(OpenDataError, match="kolom kosten_overige_prestaties_ggz ontbreekt"):
        vektis_gemeente.ggz_columns(["kosten_consulten_ggz", "kosten_intramuraal_verblijf_ggz"],
                                    "f.csv")


def test_every_municipality_of_the_registry_has_its_vektis_name():
    assert set(NAMES) >= REGISTRY
    for path in (VEKTIS_2019, VEKTIS_2022):  # and the fixtures hold every one of them
        text = path.read_text(encoding="utf-8")
        assert all(f";{NAMES[code]};" in text for code in REGISTRY), path.name
