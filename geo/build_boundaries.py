"""Build the generalised boundary file shipped in ``geo/boundaries/`` from the CBS extract.

    python -m geo.build_boundaries --bron ../shared/geo

Reads both file pairs of the CBS Wijk- en Buurtkaart 2023 extract (buurten and wijken of the
five first municipalities and of the PlusWIJken second group; see ``../shared/geo/SOURCE.md``),
keeps the buurten and wijken of the municipalities of the registry's areas, simplifies each
layer as a coverage in RD New (shared edges stay shared: no gaps or slivers between
neighbours), converts to WGS84, snaps coordinates to 5 decimals (about 1 m) and writes one
small GeoJSON. The extract itself is never copied into the project: only this derived,
generalised file is. Licence CC BY 4.0, "Bron: CBS/Kadaster, Wijk- en Buurtkaart 2023".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.boundaries import LICENCE, MAX_BYTES, SHIPPED_ATTRIBUTION, SHIPPED_FILE, SHIPPED_YEAR
from geo.cbs import RD_NEW, WGS84
from geo.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "geo"
SOURCE_FILES = {
    "buurt": ("cbs_buurten_2023_zuid_limburg.geojson",
              "cbs_buurten_2023_pluswijken_tweede_tranche.geojson"),
    "wijk": ("cbs_wijken_2023_zuid_limburg.geojson",
             "cbs_wijken_2023_pluswijken_tweede_tranche.geojson"),
}
TOLERANCE_M = 15.0  # the source is already rounded to ~70-110 m; this only drops noise
DECIMALS = 5  # about 1 m
PROPERTIES = ("statcode", "statnaam", "gemeentecode", "jrstatcode", "rubriek")


class BuildError(ValueError):
    """The extract cannot produce the boundary file; the message says why, in Dutch."""


def read_layer(source: Path, files: Iterable[str]) -> gpd.GeoDataFrame:
    """One layer (buurten or wijken) from all its files, each code once, in WGS84."""
    frames = []
    for name in files:
        path = source / name
        if not path.exists():
            raise BuildError(f"Bronbestand ontbreekt: {path} (geef de map op met --bron).")
        frames.append(gpd.read_file(path, engine="pyogrio").to_crs(WGS84))
    frame = pd.concat(frames, ignore_index=True).drop_duplicates("statcode", keep="first")
    if "gemeentecode" not in frame:
        frame["gemeentecode"] = "GM" + frame["statcode"].str[2:6]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)


def simplify(frame: gpd.GeoDataFrame, tolerance_m: float = TOLERANCE_M) -> gpd.GeoSeries:
    """Simplify a layer in RD New, topology-preserving; back in WGS84 on a 1 m grid."""
    rd = frame.geometry.to_crs(RD_NEW)
    geoms = rd.to_numpy()
    if bool(shapely.coverage_is_valid(geoms)):  # neighbours keep their shared edges
        simple = shapely.coverage_simplify(geoms, tolerance_m)
    else:
        simple = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    wgs = gpd.GeoSeries(simple, crs=RD_NEW, index=frame.index).to_crs(WGS84)
    snapped = shapely.set_precision(wgs.to_numpy(), 10 ** -DECIMALS)
    return gpd.GeoSeries(shapely.make_valid(snapped), crs=WGS84, index=frame.index)


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def rnd(coords: Any) -> Any:
        if isinstance(coords, (int, float)):
            return round(float(coords), DECIMALS)
        return [rnd(c) for c in coords]
    return {"type": geometry["type"], "coordinates": rnd(geometry["coordinates"])}


def build(source: Path, registry: Registry) -> dict[str, Any]:
    """The FeatureCollection for the municipalities of the registry's areas."""
    munis = registry.municipality_codes
    features: list[dict[str, Any]] = []
    for level, files in SOURCE_FILES.items():
        frame = read_layer(source, files)
        frame = frame[frame["gemeentecode"].isin(munis)].sort_values("statcode")
        missing = sorted(munis - set(frame["gemeentecode"]))
        if missing:
            raise BuildError(f"Geen {level}en gevonden voor gemeente(n) {', '.join(missing)}.")
        frame = frame.assign(rubriek=level, geometry=simplify(frame))
        for row in frame.to_dict("records"):
            geom = row["geometry"]
            if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
                raise BuildError(f"{row['statcode']}: geen vlak over na vereenvoudigen.")
            props = {k: row.get(k) for k in PROPERTIES}
            props["jrstatcode"] = props["jrstatcode"] or f"{SHIPPED_YEAR}{row['statcode']}"
            features.append({"type": "Feature", "id": row["statcode"], "properties": props,
                             "geometry": _rounded(shapely.geometry.mapping(geom))})
    codes = {f["id"] for f in features}
    unknown = sorted(c for a in registry.areas for c in a.cbs_codes if c not in codes)
    if unknown:
        raise BuildError(f"CBS-code(s) van het register niet in de bron: {', '.join(unknown)}.")
    return {
        "type": "FeatureCollection",
        "name": f"cbs_wijken_buurten_{SHIPPED_YEAR}_programmagebieden",
        "attribution": SHIPPED_ATTRIBUTION,
        "licence": LICENCE,
        "description": (f"Buurten en wijken van de gemeenten {', '.join(sorted(munis))}, "
                        f"vereenvoudigd ({TOLERANCE_M:g} m in RD New, coördinaten op "
                        f"{DECIMALS} decimalen); gemaakt met geo/build_boundaries.py."),
        "features": features,
    }


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON with one feature per line (small, and a change shows as a readable diff)."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"))
             for f in collection["features"]]
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Maak het meegeleverde, vereenvoudigde grenzenbestand uit het CBS-extract.")
    parser.add_argument("--bron", type=Path, default=DEFAULT_SOURCE, metavar="MAP",
                        help="map met de vier CBS-bestanden (standaard ../shared/geo)")
    parser.add_argument("--doel", type=Path, default=SHIPPED_FILE, metavar="PAD",
                        help="het GeoJSON-bestand dat wordt geschreven")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        text = dumps(build(args.bron, load_registry()))
    except BuildError as exc:
        print(f"Fout: {exc} Er is niets geschreven.", file=sys.stderr)
        return 2
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        print(f"Fout: het bestand wordt {size:,} bytes, meer dan {MAX_BYTES:,}. Er is niets "
              "geschreven.", file=sys.stderr)
        return 2
    args.doel.parent.mkdir(parents=True, exist_ok=True)
    args.doel.write_text(text, encoding="utf-8")
    print(f"Geschreven: {args.doel} ({size:,} bytes).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
