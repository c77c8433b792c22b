"""The CBS Wijk- en Buurtkaart loader and importer, on the real shared extract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import shapely
from sqlalchemy import delete, func, select

from dashboard.domain.roles import Role
from dashboard.store import queries
from data_loaders import cbs_geo
from data_loaders.db import transaction
from data_loaders.models import CbsGeometry, IndicatorValue, ValueStatus
from geo.boundaries import is_shipped, read_shipped
from geo.cbs import (
    build_area_shapes,
    centroid_distance_m,
    read_cbs_file,
    read_many,
)
from geo.registry import NO_PARTS_TEXT, load_registry
from tests.helpers.geo import (
    BUURTEN,
    BUURTEN_2,
    SECRET_BUURT,
    UNKNOWN_BUURT,
    WATER_BUURT,
    WIJKEN,
    WIJKEN_2,
    replace_code,
    shared_geo_dir,
    write_cbs_geopackage,
)

REGISTRY = load_registry()
DRAWN = [a for a in REGISTRY.areas if a.has_parts]  # every area but Douvenrade


@pytest.fixture(scope="module")
def shared() -> Path:
    return shared_geo_dir()


@pytest.fixture(scope="module")
def gpkg(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cbs_geopackage(shared, tmp_path_factory.mktemp("cbs") / "wijkenbuurten_2023.gpkg")


def assert_areas_near_their_centroids(parts, areas=DRAWN) -> None:
    shapes = build_area_shapes(dict(zip(parts["cbs_code"], parts.geometry, strict=True)), areas)
    assert len(shapes) == len(areas)
    for spec, shape in zip(areas, shapes, strict=True):
        assert not shape.geometry.is_empty and not shape.missing_codes, spec.name
        assert centroid_distance_m(shape.geometry, spec.centroid) < 500, spec.name


def test_shared_geojson_extract_builds_every_area_with_cbs_parts(shared):
    first = read_many([shared / BUURTEN, shared / WIJKEN])
    assert first.year == 2023
    assert set(first.parts["level"]) == {"buurt", "wijk"}
    assert_areas_near_their_centroids(first.parts, [a for a in DRAWN
                                                    if a.started_on.year < 2025 or a.started_on.month < 9])
    both = read_many([shared / BUURTEN, shared / WIJKEN, shared / BUURTEN_2, shared / WIJKEN_2])
    assert set(both.parts["municipality_code"]) == REGISTRY.municipality_codes
    assert_areas_near_their_centroids(both.parts)


def test_rd_new_geopackage_with_cbs_layers_is_reprojected_and_builds_every_area(gpkg):
    boundaries = read_cbs_file(gpkg)
    parts = boundaries.parts
    assert parts.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = parts.total_bounds
    assert 5.5 < minx < maxx < 6.2 and 50.7 < miny < maxy < 51.1  # lon/lat, not RD metres
    assert not parts["cbs_code"].str.startswith("GM").any()  # the gemeenten layer is skipped
    assert_areas_near_their_centroids(parts)
    # Hoensbroek is five wijken: its union covers the nine buurten of those wijken
    hoensbroek = build_area_shapes(dict(zip(parts["cbs_code"], parts.geometry, strict=True)),
                                   [a for a in REGISTRY.areas if a.key == "hoensbroek"])[0]
    buurt = parts.loc[parts["cbs_code"] == "BU09171200", "geometry"].item()
    assert hoensbroek.geometry.intersection(buurt).area > 0.5 * buurt.area


@pytest.mark.slow
def test_import_command_stores_boundaries_and_sentinel_figures_as_suppressed(
        seeded_engine, gpkg, capsys):
    url = seeded_engine.url.render_as_string(hide_password=False)
    assert cbs_geo.main([str(gpkg), "--database", url]) == 0
    assert "geheim (onderdrukt)" in capsys.readouterr().out
    with transaction(seeded_engine) as s:
        munis = set(s.scalars(select(CbsGeometry.municipality_code)))
        assert WATER_BUURT not in set(s.scalars(select(CbsGeometry.cbs_code)))
        assert munis == REGISTRY.municipality_codes
        # the official file covers every municipality: nothing of the shipped file is left
        assert not any(is_shipped(x) for x in s.scalars(select(CbsGeometry.source)))
        values = {(v.indicator.key, v.region_code): v for v in s.scalars(select(IndicatorValue)
                  .where(IndicatorValue.region_code.in_([SECRET_BUURT, UNKNOWN_BUURT,
                                                         "BU19030000"])))}
        secret = values[("inwoners", SECRET_BUURT)]
        assert secret.status is ValueStatus.SUPPRESSED and secret.value is None
        assert secret.numerator is None
        unknown = values[("huishoudens", UNKNOWN_BUURT)]
        assert unknown.status is ValueStatus.MISSING and unknown.value is None
        ok = values[("ouderen_65plus", "BU19030000")]
        assert ok.status is ValueStatus.OK and ok.value == 20.0
        assert ok.numerator == pytest.approx(0.2 * ok.denominator)
        assert s.scalar(select(func.min(IndicatorValue.value))) >= 0  # no sentinel got through
    layers = queries.QUERIES["map_layers"](seeded_engine, Role.BESTUURDER)
    assert layers["source"] == "cbs" and layers["without_polygon"] == {"douvenrade": NO_PARTS_TEXT}
    assert set(layers["areas"]) == {a.key for a in DRAWN} and len(layers["context"]) > 100
    assert layers["attribution"].startswith("Bron: CBS / Kadaster (PDOK), Wijk- en Buurtkaart 2023")
    payload = json.dumps(layers)
    assert len(payload) < 120_000  # simplified display geometry, not the stored boundaries
    decimals = re.findall(r"\d+\.(\d+)", json.dumps([g for g in layers["areas"].values()]))
    assert max(len(d) for d in decimals) <= 5
    # Eijsden's households are the sum of its three buurten, one of which is secret:
    # the aggregate is suppressed, not a silently low sum of the other two.
    hh = queries.QUERIES["area_values"](seeded_engine, Role.BESTUURDER, indicator_key="huishoudens")
    eijsden = hh[(hh["area_key"] == "eijsden") & (hh["period"] == "2023")].iloc[0]
    assert eijsden["status"] == "onderdrukt" and eijsden["value"] != eijsden["value"]  # NaN
    baandert = hh[(hh["area_key"] == "baandert") & (hh["period"] == "2023")].iloc[0]
    assert baandert["status"] == "ok" and baandert["value"] > 0
    # Wijkprofiel asks for one area: the same rows as that area's share of all areas.
    for key in ("eijsden", "baandert"):
        one = queries.QUERIES["area_values"](seeded_engine, Role.BESTUURDER,
                                             indicator_key="huishoudens", area_key=key)
        assert len(one) and set(one["area_key"]) == {key}
        pd.testing.assert_frame_equal(one, hh[hh["area_key"] == key].reset_index(drop=True))
    # importing again updates rather than duplicates
    assert cbs_geo.main([str(gpkg), "--database", url]) == 0
    with transaction(seeded_engine) as s:
        assert s.scalar(select(func.count()).select_from(CbsGeometry)) == len(
            read_cbs_file(gpkg).parts) - 1  # all but the water-only buurt


def test_bad_code_is_named_by_row_and_column_and_nothing_is_written(
        seeded_engine, gpkg, tmp_path, capsys):
    bad = tmp_path / "kapot_2023.gpkg"
    bad.write_bytes(gpkg.read_bytes())
    replace_code(bad, "buurten", "buurtcode", 3, "XX123")
    url = seeded_engine.url.render_as_string(hide_password=False)
    with transaction(seeded_engine) as s:
        before = s.execute(select(CbsGeometry.cbs_code, CbsGeometry.source)).all()
    assert cbs_geo.main([str(bad), "--database", url]) == 2
    err = capsys.readouterr().err
    assert "laag 'buurten', rij 3, kolom buurtcode: 'XX123'" in err and "niets" in err
    with transaction(seeded_engine) as s:  # the shipped boundaries are still there, unchanged
        assert s.execute(select(CbsGeometry.cbs_code, CbsGeometry.source)).all() == before


def test_a_new_database_draws_the_shipped_boundaries_with_attribution(seeded_engine):
    layers = queries.QUERIES["map_layers"](seeded_engine, Role.BESTUURDER)
    assert layers["source"] == "meegeleverd" and layers["year"] == 2023
    assert layers["attribution"].startswith("Bron: CBS/Kadaster, Wijk- en Buurtkaart 2023 "
                                            "(CC BY 4.0)")
    assert layers["without_polygon"] == {"douvenrade": NO_PARTS_TEXT}
    shapes = {k: shapely.geometry.shape(g) for k, g in layers["areas"].items()}
    assert set(shapes) == {a.key for a in DRAWN}
    shipped = read_shipped().parts
    truth = {s.key: s.geometry for s in build_area_shapes(
        dict(zip(shipped["cbs_code"], shipped.geometry, strict=True)), DRAWN)}
    for spec in DRAWN:  # the real neighbourhoods of the shipped file, at the right place
        assert centroid_distance_m(shapes[spec.key], spec.centroid) < 500, spec.name
        drawn, real = shapes[spec.key], truth[spec.key]
        assert drawn.symmetric_difference(real).area < 0.02 * real.area, spec.name
    keys = list(shapes)
    for i, a in enumerate(keys):  # neighbouring areas do not overlap
        for b in keys[i + 1:]:
            assert shapes[a].intersection(shapes[b]).area < 1e-7, (a, b)
    assert len(layers["context"]) > 150  # grey buurten of all eight municipalities


def test_without_any_boundaries_nothing_is_drawn_at_a_made_up_place(seeded_engine):
    with transaction(seeded_engine) as s:
        s.execute(delete(CbsGeometry))
    layers = queries.QUERIES["map_layers"](seeded_engine, Role.BESTUURDER)
    assert layers["source"] == "geen" and not layers["areas"] and not layers["attribution"]
    assert set(layers["without_polygon"]) == {a.key for a in REGISTRY.areas}
