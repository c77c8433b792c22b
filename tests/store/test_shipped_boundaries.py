"""The generalised boundary file shipped in geo/boundaries/ and how a new database uses it."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from dashboard.domain.roles import Role
from dashboard.store import queries
from data_loaders import cbs_geo
from data_loaders.db import transaction
from data_loaders.models import AuditLog, CbsGeometry
from data_loaders.seed import prepare_database
from geo import build_boundaries
from geo.boundaries import MAX_BYTES, SHIPPED_FILE, is_shipped, read_shipped
from geo.registry import NO_PARTS_TEXT, load_registry
from tests.helpers.geo import BUURTEN, WIJKEN, shared_geo_dir

REGISTRY = load_registry()
ATTRIBUTION = "Bron: CBS/Kadaster, Wijk- en Buurtkaart 2023"


def test_shipped_file_covers_every_area_is_small_and_carries_the_attribution():
    raw = SHIPPED_FILE.read_bytes()
    assert len(raw) < MAX_BYTES
    collection = json.loads(raw)
    assert collection["attribution"] == ATTRIBUTION and collection["licence"] == "CC BY 4.0"
    codes = {f["properties"]["statcode"] for f in collection["features"]}
    for area in REGISTRY.areas:
        assert set(area.cbs_codes) <= codes, area.name
    munis = {f["properties"]["gemeentecode"] for f in collection["features"]}
    assert munis == REGISTRY.municipality_codes  # only the municipalities of the areas
    readme = (SHIPPED_FILE.parent / "README.md").read_text()
    assert ATTRIBUTION in readme and "CC BY 4.0" in readme and "build_boundaries" in readme
    parts = read_shipped().parts  # readable as a CBS file: valid polygons in WGS84
    assert parts.geometry.is_valid.all() and parts.crs.to_epsg() == 4326
    assert set(parts["level"]) == {"buurt", "wijk"}


def test_the_script_rebuilds_the_committed_file_from_the_shared_extract(tmp_path, capsys):
    shared = shared_geo_dir()
    target = tmp_path / "grenzen.geojson"
    assert build_boundaries.main(["--bron", str(shared), "--doel", str(target)]) == 0
    assert target.read_bytes() == SHIPPED_FILE.read_bytes()
    assert build_boundaries.main(["--bron", str(tmp_path), "--doel", str(target)]) == 2
    assert "Bronbestand ontbreekt" in capsys.readouterr().err


def test_seed_on_an_empty_database_draws_every_area_but_the_one_without_parts(fresh_sqlite_url):
    engine = prepare_database(fresh_sqlite_url, demo=False)
    layers = queries.QUERIES["map_layers"](engine, Role.BESTUURDER)
    assert layers["source"] == "meegeleverd" and layers["attribution"].startswith(ATTRIBUTION)
    assert set(layers["areas"]) == {a.key for a in REGISTRY.areas if a.has_parts}
    assert layers["without_polygon"] == {"douvenrade": NO_PARTS_TEXT}
    with transaction(engine) as s:
        stored = s.scalar(select(func.count()).select_from(CbsGeometry))
        loads = s.scalar(select(func.count()).select_from(AuditLog)
                         .where(AuditLog.object_type == "cbs_geometry"))
    assert stored == len(read_shipped().parts) and loads == 1  # one audited load
    # a restart leaves them alone
    assert cbs_geo.load_shipped(engine) == 0
    prepare_database(fresh_sqlite_url, demo=False).dispose()
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.object_type == "cbs_geometry")) == 1
    engine.dispose()


def test_an_official_file_replaces_the_shipped_boundaries_and_is_never_overwritten(
        fresh_sqlite_url):
    shared = shared_geo_dir()
    engine = prepare_database(fresh_sqlite_url, demo=False)
    assert cbs_geo.main([str(shared / BUURTEN), str(shared / WIJKEN),
                         "--database", fresh_sqlite_url]) == 0
    with transaction(engine) as s:
        rows = s.execute(select(CbsGeometry.municipality_code, CbsGeometry.source)).all()
    official = {m for m, source in rows if not is_shipped(source)}
    shipped = {m for m, source in rows if is_shipped(source)}
    # the official extract covers five municipalities; the other three keep the shipped ones
    assert official == {"GM0917", "GM0928", "GM0935", "GM1883", "GM1903"}
    assert shipped == REGISTRY.municipality_codes - official
    layers = queries.QUERIES["map_layers"](engine, Role.BESTUURDER)
    assert layers["source"] == "cbs"
    assert "Bron: CBS / Kadaster (PDOK), Wijk- en Buurtkaart 2023" in layers["attribution"]
    assert set(layers["areas"]) == {a.key for a in REGISTRY.areas if a.has_parts}
    # the seed never puts the shipped file back over an official one
    assert cbs_geo.load_shipped(engine) == 0
    with transaction(engine) as s:
        assert s.execute(select(CbsGeometry.municipality_code, CbsGeometry.source)).all() == rows
    engine.dispose()
