"""CBS Wijk- en Buurtkaart sentinels by vintage (SPEC §3): never a number, whatever the year.

Files of 2022 and later code secret figures as -99997 and unavailable ones as -99995; files
up to 2021 used -99999999 (geheim), -99999998 and -99999997. A code is read by the vintage of
the file it comes from.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from sqlalchemy import select

from data_loaders import cbs_geo
from data_loaders.db import transaction
from data_loaders.models import IndicatorValue, ValueStatus
from geo.cbs import read_cbs_file, sentinel_status


@pytest.mark.parametrize(("raw", "year", "expected"), [
    # 2022 and later: the short codes
    (-99997, 2023, (None, "onderdrukt")),
    (-99995, 2023, (None, "ontbreekt")),
    (-99997.0, 2022, (None, "onderdrukt")),
    (-99995, 2024, (None, "ontbreekt")),
    # up to 2021: the long codes
    (-99999999, 2021, (None, "onderdrukt")),
    (-99999998, 2019, (None, "ontbreekt")),
    (-99999997, 2021, (None, "ontbreekt")),
    # a code of the other vintage is still never a number
    (-99999999, 2023, (None, "ontbreekt")),
    (-99995, 2021, (None, "ontbreekt")),
    # ordinary cells
    (None, 2023, (None, "ontbreekt")),
    (float("nan"), 2021, (None, "ontbreekt")),
    (0, 2023, (0.0, "ok")),
    (1234, 2021, (1234.0, "ok")),
    (19.5, 2023, (19.5, "ok")),
])
def test_sentinels_are_read_by_the_vintage_of_the_file(raw, year, expected):
    assert sentinel_status(raw, year) == expected


def _file(path: Path, year: int, codes: dict[str, float]) -> Path:
    """A tiny buurten layer in the naming style of its vintage (long lower-case names from
    2022, short upper-case names before), one buurt per figure value."""
    new = year >= 2022
    cols = (("buurtcode", "gemeentecode", "aantal_inwoners", "aantal_huishoudens") if new
            else ("BU_CODE", "GM_CODE", "AANT_INW", "AANTAL_HH"))
    rows = list(codes.items())
    frame = gpd.GeoDataFrame({
        cols[0]: [c for c, _ in rows],
        cols[1]: ["GM" + c[2:6] for c, _ in rows],
        cols[2]: [v for _, v in rows],
        cols[3]: [400.0 for _ in rows],
    }, geometry=[box(180_000 + 500 * i, 318_000, 180_400 + 500 * i, 318_400)
                 for i in range(len(rows))], crs="EPSG:28992")
    frame.to_file(path, layer="buurten", driver="GPKG")
    return path


def _stored(engine) -> dict[str, IndicatorValue]:
    with transaction(engine) as s:
        rows = s.scalars(select(IndicatorValue).where(IndicatorValue.region_code.like("BU%"))
                         ).all()
        return {v.region_code: v for v in rows if v.indicator.key == "inwoners"}


def test_a_2023_file_stores_minus_99995_as_missing_and_minus_99997_as_suppressed(
        seeded_engine, tmp_path):
    gpkg = _file(tmp_path / "wijkenbuurten_2023_v1.gpkg", 2023, {
        "BU09350402": 4_615.0, "BU09350400": -99_995.0, "BU09350403": -99_997.0})
    assert read_cbs_file(gpkg).year == 2023
    url = seeded_engine.url.render_as_string(hide_password=False)
    assert cbs_geo.main([str(gpkg), "--database", url]) == 0
    stored = _stored(seeded_engine)
    assert stored["BU09350402"].value == 4_615.0
    assert stored["BU09350400"].status is ValueStatus.MISSING
    assert stored["BU09350400"].value is None and stored["BU09350400"].numerator is None
    assert stored["BU09350403"].status is ValueStatus.SUPPRESSED
    assert stored["BU09350403"].value is None


def test_a_2021_file_reads_the_old_long_codes(seeded_engine, tmp_path):
    gpkg = _file(tmp_path / "buurt_2021_v3.gpkg", 2021, {
        "BU09350402": 4_580.0, "BU09350400": -99_999_997.0, "BU09350403": -99_999_999.0})
    url = seeded_engine.url.render_as_string(hide_password=False)
    assert cbs_geo.main([str(gpkg), "--database", url]) == 0
    stored = _stored(seeded_engine)
    assert stored["BU09350402"].value == 4_580.0
    assert stored["BU09350400"].status is ValueStatus.MISSING
    assert stored["BU09350403"].status is ValueStatus.SUPPRESSED
    assert all(v.value is None or v.value >= 0 for v in stored.values())
