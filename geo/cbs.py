"""Reading the official CBS *Wijk- en Buurtkaart* and turning it into programme-area shapes.

Pure functions (no Streamlit, no database): read a GeoPackage or GeoJSON in EPSG:28992 or
EPSG:4326 with either naming convention (CBS's own ``buurtcode``/``wijkcode``/``gemeentecode``
or PDOK's ``statcode``/``statnaam``), normalise it to one row per buurt/wijk in WGS84, union
the parts of each programme area and simplify for display. Without an official file the
map uses the generalised boundaries shipped in ``geo/boundaries/`` (``geo.boundaries``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.registry import AreaSpec

WGS84 = "EPSG:4326"
RD_NEW = "EPSG:28992"
ATTRIBUTION = "Bron: CBS / Kadaster (PDOK), Wijk- en Buurtkaart"
DISPLAY_TOLERANCE_DEG = 0.0002  # about 15-20 m: plenty for a neighbourhood map
DISPLAY_DECIMALS = 5  # about 1 m

# Own-code columns in order of precedence: the first present column holding a BU/WK code
# identifies the feature (a CBS buurten layer also carries wijkcode and gemeentecode).
CODE_COLUMNS = ("statcode", "buurtcode", "bu_code", "wijkcode", "wk_code")
NAME_COLUMNS = ("statnaam", "buurtnaam", "bu_naam", "wijknaam", "wk_naam")
MUNICIPALITY_COLUMNS = ("gemeentecode", "gm_code")
YEAR_COLUMNS = ("jrstatcode", "jaarstatcode")
WATER_COLUMNS = ("water",)
_CODE = re.compile(r"^(BU\d{8}|WK\d{6})$")

# CBS codes a figure as secret or unavailable with negative sentinels that differ by vintage
# (SPEC §3). Files of 2022 and later (long lower-case column names) use -99997 "geheim" (too
# few observations) and -99995 "niet beschikbaar / niet van toepassing"; files up to 2021
# (short upper-case names) used -99999999 "geheim" and -99999998 / -99999997 "onbekend".
# A code is read by the vintage of its file; a code of the other vintage is still never a
# number (no real key figure is that negative), it is simply unknown.
FIRST_SHORT_SENTINEL_YEAR = 2022
SENTINELS_FROM_2022 = {-99_997: "onderdrukt", -99_995: "ontbreekt"}
SENTINELS_UP_TO_2021 = {-99_999_999: "onderdrukt", -99_999_998: "ontbreekt",
                        -99_999_997: "ontbreekt"}
SENTINEL_CEILING = -99_995  # anything at or below is a sentinel of some vintage


class CbsFileError(ValueError):
    """The file cannot be used; the message says what is wrong and where, in Dutch."""


@dataclass(frozen=True)
class KeyFigure:
    """A key figure of the official file that becomes an indicator."""

    indicator_key: str
    columns: tuple[str, ...]  # accepted column names (CBS 2023 style first, older style next)
    label: str
    definition: str
    unit: str
    kind: str  # "count" or "percent_of_residents"


KEY_FIGURES = (
    KeyFigure("inwoners", ("aantal_inwoners", "aant_inw"), "Inwoners",
              "Aantal inwoners op 1 januari.", "aantal", "count"),
    KeyFigure("huishoudens", ("aantal_huishoudens", "aantal_hh"), "Huishoudens",
              "Aantal particuliere huishoudens op 1 januari.", "aantal", "count"),
    KeyFigure("ouderen_65plus", ("percentage_personen_65_jaar_en_ouder", "p_65_eo_jr"),
              "Inwoners van 65 jaar en ouder",
              "Percentage inwoners van 65 jaar en ouder op 1 januari.", "%",
              "percent_of_residents"),
)


def sentinels_of(year: int) -> dict[int, str]:
    """The sentinel codes of the Wijk- en Buurtkaart of ``year`` and what they mean."""
    return SENTINELS_FROM_2022 if year >= FIRST_SHORT_SENTINEL_YEAR else SENTINELS_UP_TO_2021


def sentinel_status(raw: Any, year: int) -> tuple[float | None, str]:
    """Interpret one raw cell of a file of vintage ``year``: ``(value, status)`` with status
    ok/onderdrukt/ontbreekt. A sentinel is never returned as a number."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA:
        return None, "ontbreekt"
    value = float(raw)
    if math.isnan(value):
        return None, "ontbreekt"
    if value <= SENTINEL_CEILING:
        return None, sentinels_of(year).get(round(value), "ontbreekt")
    return value, "ok"


# ---------------------------------------------------------------- reading


def _layers(path: Path) -> list[str]:
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:
        raise CbsFileError(f"{path.name}: geen leesbaar GeoPackage- of GeoJSON-bestand ({exc}).") from exc
    wanted = [n for n in names if re.search(r"buurt|wijk", n, re.I)]
    if path.suffix.lower() == ".gpkg":
        if not wanted:
            raise CbsFileError(
                f"{path.name}: geen laag 'buurten' of 'wijken' gevonden (lagen: {', '.join(names)}).")
        return wanted
    return wanted or names  # a GeoJSON has one layer, named after the file


def _first(columns: Iterable[str], candidates: Iterable[str]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[c] for c in candidates if c in lower), None)


def _year_from(frame: pd.DataFrame, path: Path) -> int | None:
    col = _first(frame.columns, YEAR_COLUMNS)
    if col is not None and frame[col].notna().any():
        text = str(frame[col].dropna().iloc[0])
        if re.match(r"^\d{4}", text):
            return int(text[:4])
    found = re.search(r"(20\d\d)", path.name)
    return int(found.group(1)) if found else None


def _normalise_layer(frame: gpd.GeoDataFrame, path: Path, layer: str) -> gpd.GeoDataFrame:
    where = f"{path.name}, laag '{layer}'"
    code_cols = [c for c in (_first(frame.columns, [n]) for n in CODE_COLUMNS) if c]
    if not code_cols:
        raise CbsFileError(
            f"{where}: geen kolom met CBS-codes (verwacht een van {', '.join(CODE_COLUMNS)}).")
    code_col = code_cols[0]
    codes = frame[code_col].astype("string").str.strip()
    bad = [(i, c) for i, c in enumerate(codes, start=1) if c is pd.NA or not _CODE.match(str(c))]
    if bad:
        row, value = bad[0]
        raise CbsFileError(
            f"{where}, rij {row}, kolom {code_col}: '{value}' is geen buurt- (BU…) of wijkcode (WK…).")
    if frame.crs is None:
        minx = float(frame.total_bounds[0]) if len(frame) else 0.0
        frame = frame.set_crs(RD_NEW if minx > 1000 else WGS84)
    epsg = frame.crs.to_epsg()
    if epsg not in (28992, 4326):
        raise CbsFileError(f"{where}: onbekend coördinatenstelsel {frame.crs} "
                           "(verwacht EPSG:28992 of EPSG:4326).")
    frame = frame.to_crs(WGS84)
    name_col = _first(frame.columns, NAME_COLUMNS)
    muni_col = _first(frame.columns, MUNICIPALITY_COLUMNS)
    water_col = _first(frame.columns, WATER_COLUMNS)
    out = gpd.GeoDataFrame(
        {
            "cbs_code": codes.astype(str).to_numpy(),
            "name": (frame[name_col].astype(str) if name_col else codes.astype(str)).to_numpy(),
            "level": ["buurt" if c.startswith("BU") else "wijk" for c in codes.astype(str)],
            "municipality_code": (
                frame[muni_col].astype(str).to_numpy() if muni_col
                else ["GM" + c[2:6] for c in codes.astype(str)]),
            "is_water": (frame[water_col].astype(str).str.upper().eq("JA").to_numpy()
                         if water_col else False),
        },
        geometry=frame.geometry.to_numpy(), crs=WGS84,
    )
    for fig in KEY_FIGURES:
        col = _first(frame.columns, fig.columns)
        if col is not None:
            numeric = pd.to_numeric(frame[col], errors="coerce")
            bad_rows = numeric.isna() & frame[col].notna()
            if bad_rows.any():
                row = int(bad_rows.to_numpy().nonzero()[0][0]) + 1
                raise CbsFileError(f"{where}, rij {row}, kolom {col}: "
                                   f"'{frame[col].iloc[row - 1]}' is geen getal.")
            out[fig.indicator_key] = numeric.to_numpy()
    empty = out.geometry.is_empty | out.geometry.isna()
    if empty.any():
        row = int(empty.to_numpy().nonzero()[0][0]) + 1
        raise CbsFileError(f"{where}, rij {row} ({out['cbs_code'].iloc[row - 1]}): lege geometrie.")
    return out


@dataclass(frozen=True)
class CbsBoundaries:
    """Normalised boundaries: one row per buurt/wijk in WGS84, plus key-figure columns."""

    parts: gpd.GeoDataFrame  # cbs_code, name, level, municipality_code, is_water, geometry, …
    year: int
    source: str


def read_cbs_file(path: Path | str, year: int | None = None) -> CbsBoundaries:
    """Read an official CBS file (GeoPackage layers buurten/wijken, or GeoJSON) into WGS84."""
    path = Path(path)
    if not path.exists():
        raise CbsFileError(f"Bestand niet gevonden: {path}")
    frames = []
    for layer in _layers(path):
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        if len(frame):
            frames.append((layer, frame))
    if not frames:
        raise CbsFileError(f"{path.name}: het bestand bevat geen buurten of wijken.")
    found_year = year or _year_from(frames[0][1], path)
    if found_year is None:
        raise CbsFileError(f"{path.name}: jaar onbekend; geef het op met --jaar (bijv. --jaar 2023).")
    parts = pd.concat([_normalise_layer(f, path, layer) for layer, f in frames], ignore_index=True)
    dupes = parts["cbs_code"][parts["cbs_code"].duplicated()]
    if len(dupes):
        raise CbsFileError(f"{path.name}: CBS-code {dupes.iloc[0]} komt meer dan eens voor.")
    return CbsBoundaries(gpd.GeoDataFrame(parts, geometry="geometry", crs=WGS84), found_year,
                         f"{ATTRIBUTION} {found_year} ({path.name})")


def read_many(paths: Iterable[Path | str], year: int | None = None) -> CbsBoundaries:
    """Combine separate buurt and wijk files (e.g. two GeoJSON extracts) into one set."""
    loaded = [read_cbs_file(p, year) for p in paths]
    parts = pd.concat([b.parts for b in loaded], ignore_index=True)
    parts = parts.drop_duplicates("cbs_code", keep="first")
    return CbsBoundaries(gpd.GeoDataFrame(parts, geometry="geometry", crs=WGS84), loaded[0].year,
                         "; ".join(b.source for b in loaded))


# ---------------------------------------------------------------- programme areas


def wijk_of(buurt_code: str) -> str:
    """The wijk a buurt belongs to: BU09350402 -> WK093504."""
    return "WK" + buurt_code[2:8]


def part_geometry(parts: Mapping[str, BaseGeometry], code: str) -> BaseGeometry | None:
    """Geometry of one CBS code; a wijk without its own polygon is the union of its buurten."""
    if code in parts:
        return parts[code]
    if code.startswith("WK"):
        buurten = [g for c, g in parts.items() if c.startswith("BU") and wijk_of(c) == code]
        return shapely.union_all(buurten) if buurten else None
    return None


@dataclass(frozen=True)
class AreaShape:
    key: str
    geometry: BaseGeometry  # WGS84
    missing_codes: tuple[str, ...]


def build_area_shapes(parts: Mapping[str, BaseGeometry],
                      areas: Iterable[AreaSpec]) -> list[AreaShape]:
    """Each programme area as the union of its CBS parts (codes without geometry are listed)."""
    out = []
    for area in areas:
        found = {c: part_geometry(parts, c) for c in area.cbs_codes}
        geoms = [shapely.make_valid(g) for g in found.values() if g is not None]
        missing = tuple(c for c, g in found.items() if g is None)
        union = shapely.union_all(geoms) if geoms else Polygon()
        out.append(AreaShape(area.key, union, missing))
    return out


def context_codes(parts: pd.DataFrame, areas: Iterable[AreaSpec]) -> list[str]:
    """Buurten of the areas' municipalities that belong to no area: the grey context."""
    areas = list(areas)
    munis = {a.municipality_code for a in areas}
    used = {c for a in areas for c in a.cbs_codes}
    rows = parts[(parts["level"] == "buurt") & parts["municipality_code"].isin(munis)]
    if "is_water" in rows:
        rows = rows[~rows["is_water"].astype(bool)]
    return [c for c in rows["cbs_code"] if c not in used and wijk_of(c) not in used]


def display_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Simplify and snap to a ~1 m grid so that the map payload stays small."""
    simple = shapely.simplify(geom, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return shapely.set_precision(simple, 10 ** -DISPLAY_DECIMALS)


def to_geojson(geom: BaseGeometry, decimals: int = DISPLAY_DECIMALS) -> dict[str, Any]:
    """A GeoJSON geometry dict with coordinates rounded to ``decimals``."""
    def rnd(coords: Any) -> Any:
        if isinstance(coords, (int, float)):
            return round(float(coords), decimals)
        return [rnd(c) for c in coords]

    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def from_geojson(text_or_dict: str | Mapping[str, Any]) -> BaseGeometry:
    if isinstance(text_or_dict, str):
        return shapely.from_geojson(text_or_dict)
    return shape(text_or_dict)


def centroid_distance_m(geom: BaseGeometry, centroid: tuple[float, float]) -> float:
    """Distance in metres (RD New) between a WGS84 geometry's centroid and a lon/lat point."""
    frame = gpd.GeoSeries([geom, shapely.Point(centroid)], crs=WGS84).to_crs(RD_NEW)
    return float(frame.iloc[0].centroid.distance(frame.iloc[1]))
