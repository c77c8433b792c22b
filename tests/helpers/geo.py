"""Helpers for tests on the shared CBS extract (never copied into the project)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from tests.helpers import ROOT, missing

SHARED_GEO = ROOT.parent / "shared" / "geo"
BUURTEN = "cbs_buurten_2023_zuid_limburg.geojson"
WIJKEN = "cbs_wijken_2023_zuid_limburg.geojson"
# The municipalities of the PlusWIJken second group (Landgraaf, Stein, Beekdaelen).
BUURTEN_2 = "cbs_buurten_2023_pluswijken_tweede_tranche.geojson"
WIJKEN_2 = "cbs_wijken_2023_pluswijken_tweede_tranche.geojson"
# Sentinel-coded key figures planted in the GeoPackage written by the tests.
SECRET_BUURT = "BU19030001"  # part of Eijsden: CBS keeps its figures secret (-99997)
UNKNOWN_BUURT = "BU09350209"  # Daalhof: figures not available (-99995)
WATER_BUURT = "BU09350100"  # marked as water-only in the test file: no grey context


def shared_geo_dir() -> Path:
    if not all((SHARED_GEO / name).exists() for name in (BUURTEN, WIJKEN, BUURTEN_2, WIJKEN_2)):
        missing(f"the shared CBS extract in {SHARED_GEO}")
    return SHARED_GEO


def _both_pairs(src: Path, first: str, second: str) -> gpd.GeoDataFrame:
    frame = pd.concat([gpd.read_file(src / first), gpd.read_file(src / second)],
                      ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def write_cbs_geopackage(src: Path, target: Path) -> Path:
    """Rewrite the PDOK-style extract as CBS ships it: one GeoPackage in EPSG:28992 with layers
    gemeenten, wijken and buurten, CBS column names and key figures with the sentinel codes of
    the 2023 vintage (-99997 geheim, -99995 niet beschikbaar)."""
    buurten = _both_pairs(src, BUURTEN, BUURTEN_2).to_crs("EPSG:28992")
    wijken = _both_pairs(src, WIJKEN, WIJKEN_2).to_crs("EPSG:28992")
    bu = gpd.GeoDataFrame({
        "buurtcode": buurten["statcode"], "buurtnaam": buurten["statnaam"],
        "wijkcode": "WK" + buurten["statcode"].str[2:8],
        "gemeentecode": buurten["gemeentecode"], "gemeentenaam": "x", "water": "NEE",
        "aantal_inwoners": [1000 + 10 * i for i in range(len(buurten))],
        "aantal_huishoudens": [400 + 5 * i for i in range(len(buurten))],
        "percentage_personen_65_jaar_en_ouder": [20.0] * len(buurten),
    }, geometry=buurten.geometry, crs="EPSG:28992")
    bu.loc[bu["buurtcode"] == WATER_BUURT, "water"] = "JA"
    for code, sentinel in ((SECRET_BUURT, -99997), (UNKNOWN_BUURT, -99995)):
        row = bu["buurtcode"] == code
        for col in ("aantal_inwoners", "aantal_huishoudens", "percentage_personen_65_jaar_en_ouder"):
            bu.loc[row, col] = sentinel
    wk = gpd.GeoDataFrame({
        "wijkcode": wijken["statcode"], "wijknaam": wijken["statnaam"],
        "gemeentecode": wijken["gemeentecode"], "gemeentenaam": "x", "water": "NEE",
        "aantal_inwoners": 5000, "aantal_huishoudens": 2200,
    }, geometry=wijken.geometry, crs="EPSG:28992")
    gm = wk.dissolve(by="gemeentecode", as_index=False)[["gemeentecode", "gemeentenaam", "geometry"]]
    for name, frame in (("gemeenten", gm), ("wijken", wk), ("buurten", bu)):
        frame.to_file(target, layer=name, driver="GPKG")
    return target


def replace_code(path: Path, layer: str, column: str, row: int, value: str) -> None:
    frame = gpd.read_file(path, layer=layer)
    frame[column] = frame[column].astype(str)
    frame.loc[frame.index[row - 1], column] = value
    frame.to_file(path, layer=layer, driver="GPKG")
