"""CBS Kerncijfers wijken en buurten into an empty production database (both engines).

The fixtures are the published layouts with invented numbers (tests/fixtures/opendata).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.domain import audit
from dashboard.domain.roles import Role
from dashboard.store import meeting
from dashboard.store.queries_geo import reference_values
from data_loaders.db import transaction
from data_loaders.models import Indicator, Polarity
from data_loaders.opendata.cbs_kwb import DERIVED, NOT_ADDITIVE
from data_loaders.opendata.common import OpenDataError, cell, region_code
from tests.helpers.opendata import (
    KWB_2023,
    KWB_2024,
    area_value,
    copy_with,
    load,
    load_audits,
    snapshot,
    stored,
)

ROW_9 = ('"BU09350403";"Maastricht                              ";"Buurt     ";"BU09350403";"1";'
         '"    3310";"     620"')  # line 9 of the 2023 file: Nazareth, inwoners, 65-plus


def test_statline_csv_lands_per_cbs_code_with_the_padding_stripped(engine, capsys):
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    out = capsys.readouterr().out
    assert "Geladen: CBS Kerncijfers wijken en buurten (85618NED), 2023: 182 nieuw" in out
    assert "Overgeslagen: 3 regio's buiten de gemeenten van de programmagebieden." in out
    inwoners = stored(engine, "inwoners")
    assert inwoners[("BU09350402", "2023")]["value"] == 4615
    assert inwoners[("WK093504", "2023")]["value"] == 15870
    assert inwoners[("GM0935", "2023")]["value"] == 122378
    assert inwoners[("NL", "2023")]["value"] == 17_811_291  # NL00 is the Netherlands
    assert not any(" " in code or code.endswith("0363") or "0363" in code
                   for code, _ in inwoners)  # Amsterdam is outside the registry
    older = stored(engine, "ouderen_65plus")[("BU09350402", "2023")]
    assert (older["numerator"], older["denominator"]) == (880, 4615)
    assert older["value"] == pytest.approx(880 / 4615 * 100)


def test_areas_aggregate_their_parts_by_the_one_rule_and_references_are_kept(engine):
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    # Eijsden is three buurten: counts summed, rates recomputed from the sums
    assert area_value(engine, "eijsden", "inwoners", "2023")["value"] == 3420 + 2105 + 1440
    older = area_value(engine, "eijsden", "ouderen_65plus", "2023")
    assert older["value"] == pytest.approx((960 + 650 + 370) / 6965 * 100)
    assert older["status"] == "ok" and "opgebouwd uit 3 CBS-delen" in older["origin"]
    assert area_value(engine, "eijsden", "bijstand", "2023")["value"] == pytest.approx(60 / 6965 * 1000)
    # Hoensbroek is five wijken
    assert area_value(engine, "hoensbroek", "inwoners", "2023")["value"] == (
        4410 + 3935 + 3150 + 3720 + 3390)
    # jeugdzorg: denominators derived from CBS's count and percentage, then recomputed
    jeugd = area_value(engine, "kerkrade-centrum-bleijerheide", "jeugdzorg", "2023")
    assert jeugd["value"] == pytest.approx(220 / (100 * 100 / 14.2 + 120 * 100 / 12.5) * 100)
    assert stored(engine, "jeugdzorg")[("BU09280100", "2023")]["note"] == DERIVED
    # a published percentage without numbers: shown for one buurt, never averaged over three
    assert area_value(engine, "wittevrouwenveld", "laag_inkomen", "2023")["value"] == 22.3
    eijsden = area_value(engine, "eijsden", "laag_inkomen", "2023")
    assert eijsden["status"] == "ontbreekt" and pd.isna(eijsden["value"])
    assert eijsden["note"] == NOT_ADDITIVE
    # gemeente rows are the municipality reference, NL00 the Netherlands
    refs = reference_values(engine, Role.BESTUURDER, "inwoners").set_index("region_code")
    assert refs.loc["GM0935", "value"] == 122378 and refs.loc["NL", "value"] == 17_811_291
    assert "GM0363" not in refs.index


def test_dot_and_null_cells_become_missing_never_zero(engine):
    assert load(engine, "cbs-kwb", KWB_2023) == 0  # CSV: "       ."
    assert load(engine, "cbs-kwb", KWB_2024) == 0  # JSON: null
    for key, period in (("laag_inkomen", "2023"), ("bijstand", "2023"), ("jeugdzorg", "2023"),
                        ("wmo_maatwerk", "2024")):
        limmel = stored(engine, key)[("BU09350404", period)]
        assert limmel["status"] == "ontbreekt", key
        assert limmel["value"] is None and limmel["numerator"] is None, key
        assert limmel["note"] == "CBS: onbekend of niet beschikbaar"
        shown = area_value(engine, "limmel", key, period)
        assert shown["status"] == "ontbreekt" and pd.isna(shown["value"])


def test_columns_match_without_their_ordinal_across_years(engine, tmp_path):
    assert load(engine, "cbs-kwb", KWB_2023) == 0  # PersonenPerSoortUitkeringBijstand_92
    assert load(engine, "cbs-kwb", KWB_2024) == 0  # PersonenPerSoortUitkeringBijstand_87
    bijstand = stored(engine, "bijstand")
    assert bijstand[("BU09350402", "2023")]["numerator"] == 420
    assert bijstand[("BU09350402", "2024")]["numerator"] == 410
    assert stored(engine, "huishoudens")[("BU09350402", "2024")]["value"] == 2344
    # CBS replaced low income by poverty in 2024: two indicators, never one series
    assert {p for _, p in stored(engine, "laag_inkomen")} == {"2023"}
    assert {p for _, p in stored(engine, "personen_armoede")} == {"2024"}
    # the 2022 table numbered households _28
    renamed = tmp_path / "85318NED_UntypedDataSet_2022.csv"
    renamed.write_bytes(KWB_2023.read_bytes().replace(b'"HuishoudensTotaal_29"',
                                                      b'"HuishoudensTotaal_28"'))
    assert load(engine, "cbs-kwb", renamed) == 0
    assert stored(engine, "huishoudens")[("BU09350402", "2022")]["value"] == 2330


def test_loading_twice_changes_nothing_and_a_corrected_file_updates_only_what_changed(
        engine, tmp_path, capsys):
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    before = snapshot(engine)
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    assert "0 nieuw, 0 gewijzigd, 182 ongewijzigd" in capsys.readouterr().out
    assert snapshot(engine) == before  # not even a version or a last_update moved
    corrected = copy_with(KWB_2023, tmp_path, ROW_9, ROW_9.replace("    3310", "    3320"))
    assert load(engine, "cbs-kwb", corrected) == 0
    # inwoners and the three rates per inhabitant of Nazareth
    assert "0 nieuw, 4 gewijzigd, 178 ongewijzigd" in capsys.readouterr().out
    nazareth = stored(engine, "inwoners")[("BU09350403", "2023")]
    assert (nazareth["value"], nazareth["numerator"], nazareth["version"]) == (3320, 3320, 2)
    assert stored(engine, "bijstand")[("BU09350403", "2023")]["denominator"] == 3320
    assert stored(engine, "huishoudens")[("BU09350403", "2023")]["version"] == 1
    assert [a["new"]["gewijzigd"] for a in load_audits(engine)] == [0, 0, 4]


@pytest.mark.parametrize(("broken", "message"), [
    (ROW_9.replace("    3310", "    33l0"),
     "85618NED_UntypedDataSet_2023.csv, rij 9, kolom AantalInwoners_5: '33l0' is geen getal."),
    (ROW_9.replace("     620", "    5000"),
     ("85618NED_UntypedDataSet_2023.csv, rij 9, kolom k_65JaarOfOuder_12: 5000 is meer dan "
     "AantalInwoners_5 (3310)")),
])
def test_a_broken_row_is_refused_naming_row_and_column_and_nothing_is_written(
        engine, tmp_path, capsys, broken, message):
    assert load(engine, "cbs-kwb", KWB_2024) == 0
    before = snapshot(engine)
    bad = copy_with(KWB_2023, tmp_path, ROW_9, broken)
    assert load(engine, "cbs-kwb", bad) == 2
    err = capsys.readouterr().err
    assert message in err and "Er is niets geladen." in err
    assert snapshot(engine) == before  # the good rows before it were not written either
    refused = load_audits(engine)[-1]
    assert refused["result"] == "ongeldig" and message in refused["new"]["fout"]


def test_a_load_leaves_one_audit_row_that_meeting_mode_lists(engine):
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    [row] = load_audits(engine)
    assert row["object_type"] == "cbs-kwb" and row["object_id"] == KWB_2023.name
    assert row["result"] == "ok" and row["actor"] == "opdrachtregel"
    assert row["new"] | {"indicatoren": []} == {
        "perioden": "2023", "nieuw": 182, "gewijzigd": 0, "ongewijzigd": 0, "overgeslagen": 3,
        "bestand": KWB_2023.name, "bron": "CBS Kerncijfers wijken en buurten",
        "tabel": "85618NED", "indicatoren": []}
    changes = audit.readable_changes(meeting.changes_since(engine, Role.PROGRAMMATEAM, since))
    load_row = changes[changes["Actie"] == "laden"].iloc[0]
    assert load_row["Gegevens"] == "cbs-kwb" and "nieuw: 182" in load_row["Wijziging"]


def test_the_catalogue_is_filled_from_the_source(engine):
    assert load(engine, "cbs-kwb", KWB_2023) == 0
    with transaction(engine) as s:
        ind = {i.key: i for i in s.scalars(select(Indicator))}
    assert set(ind) == {"inwoners", "huishoudens", "ouderen_65plus", "laag_inkomen", "bijstand",
                        "wmo_maatwerk", "jeugdzorg"}
    bijstand = ind["bijstand"]
    assert (bijstand.label, bijstand.unit, bijstand.is_rate, bijstand.multiplier) == (
        "Bijstandsuitkeringen per 1.000 inwoners", "per 1.000", True, 1000.0)
    assert bijstand.polarity is Polarity.LOWER_IS_BETTER
    for i in ind.values():
        assert i.definition and i.source == "CBS Kerncijfers wijken en buurten"
        assert "CC BY 4.0" in i.licence and "CBS" in i.licence
        assert i.reference_moment and i.period_type == "jaar"
        assert i.owner and i.disclosure_rule and i.last_update == dt.date.today()
        assert not i.is_public  # publishing stays the beheerder's decision


def test_an_indicator_read_another_way_is_not_overwritten(engine, capsys):
    with transaction(engine) as s:
        s.add(Indicator(key="bijstand", label="Bijstand", definition="", unit="%",
                        polarity=Polarity.NEUTRAL, source="eigen", period_type="jaar",
                        owner="x", is_rate=True, multiplier=100.0))
    before = snapshot(engine)
    assert load(engine, "cbs-kwb", KWB_2023) == 2
    assert "bestaat al met een andere rekenwijze (multiplier = 100.0" in capsys.readouterr().err
    assert snapshot(engine) == before


def test_the_database_must_be_migrated_first(fresh_sqlite_url, capsys):
    from data_loaders.opendata.__main__ import main

    assert main(["cbs-kwb", str(KWB_2023), "--database", fresh_sqlite_url]) == 2
    assert "python -m data_loaders.seed --no-demo" in capsys.readouterr().err


@pytest.mark.parametrize(("raw", "expected"), [
    ("  4615", (4615.0, "ok")), (" 12.6", (12.6, "ok")), ("12,6", (12.6, "ok")),
    (7, (7.0, "ok")), (0, (0.0, "ok")), ("       .", (None, "ontbreekt")),
    (None, (None, "ontbreekt")), ("", (None, "ontbreekt")), ("?", (None, "ontbreekt")),
    ("x", (None, "onderdrukt")), (float("nan"), (None, "ontbreekt")),
])
def test_statline_cells(raw, expected):
    assert cell(raw, "f, rij 2, kolom X") == expected


@pytest.mark.parametrize("raw", ["12a", "1.2.3", True])
def test_a_cell_that_is_no_number_is_refused(raw):
    with pytest.raises(OpenDataError, match="rij 2, kolom X: .* is geen getal"):
        cell(raw, "f, rij 2, kolom X")


@pytest.mark.parametrize(("raw", "expected"), [
    ("NL00      ", "NL"), ("NL01      ", "NL"), ("GM0935    ", "GM0935"),
    ("WK093504  ", "WK093504"), ("BU09350402", "BU09350402"), ("BU0363AA01", "BU0363AA01"),
    ("PV31      ", None), ("GG1413    ", None),
])
def test_region_keys(raw, expected):
    assert region_code(raw, "f, rij 2") == expected


@pytest.mark.parametrize("raw", ["", "0935", "GM-0935", None, "Stein", "Limmel"])
def test_a_region_key_that_is_no_cbs_code_is_refused(raw):
    with pytest.raises(OpenDataError, match="is geen CBS-regiocode"):
        region_code(raw, "f, rij 2")


def test_every_catalogue_entry_fits_its_columns():
    """PostgreSQL refuses a string longer than its column (SQLite would store it)."""
    from data_loaders.opendata import cbs_kwb, rivm_wijk, vektis_gemeente

    entries = ([r.catalogue for r in cbs_kwb.RECIPES] + [c for c, _ in rivm_wijk.INDICATORS]
               + [vektis_gemeente.ZVW, vektis_gemeente.GGZ])
    columns = Indicator.__table__.c
    for entry in entries:
        for name in ("key", "label", "unit", "source", "licence", "reference_moment",
                     "period_type", "disclosure_rule"):
            assert len(getattr(entry, name)) <= columns[name].type.length, (entry.key, name)


def test_names_in_the_region_dimension_fall_back_to_codering(tmp_path):
    """``cbsodata.get_data`` (without saving) puts names in WijkenEnBuurten; the code is
    then read from Codering_3."""
    from data_loaders.opendata import cbs_kwb

    (tmp_path / "85984NED").mkdir()  # cbsodata saves into a folder named after the table
    titled = copy_with(KWB_2024, tmp_path / "85984NED", '"WijkenEnBuurten": "BU09350404"',
                       '"WijkenEnBuurten": "Limmel"')
    batch = cbs_kwb.read(titled, year=None, municipalities=frozenset({"GM0935"}))
    assert ("inwoners", "BU09350404") in {(f.indicator, f.region_code) for f in batch.figures}
