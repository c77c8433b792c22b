"""Import the official CBS Wijk- en Buurtkaart (boundaries and key figures) into the database.

    python -m data_loaders.cbs_geo wijkenbuurten_2023_v1.gpkg
    python -m data_loaders.cbs_geo buurten.geojson wijken.geojson --jaar 2023

Boundaries of the buurten and wijken in the municipalities of the area registry go to
``cbs_geometry`` (WGS84 GeoJSON); key figures (inwoners, huishoudens, 65-plussers) go to
``indicator_value`` rows with ``region_code``. CBS sentinel codes (by the file's vintage: -99997
and -99995 from 2022, -99999999/-99999998/-99999997 before) become suppressed or missing
values, never numbers. Everything is written in one transaction: a bad file
changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from dashboard.store import audit
from data_loaders.db import make_engine, transaction
from data_loaders.models import (
    CbsGeometry,
    Indicator,
    IndicatorValue,
    Polarity,
    ValueStatus,
)
from geo.boundaries import SHIPPED_SOURCE, is_shipped, read_shipped
from geo.cbs import KEY_FIGURES, CbsBoundaries, CbsFileError, read_many, sentinel_status, to_geojson
from geo.registry import Registry, load_registry

STORE_DECIMALS = 6
OWNER = "Programmateam lerend netwerk"
SOURCE = "CBS Wijk- en Buurtkaart"


@dataclass(frozen=True)
class ImportSummary:
    geometries: int
    values: int
    suppressed: int
    missing: int
    year: int


def _indicator(session: Session, fig_key: str) -> Indicator:
    existing = session.scalar(select(Indicator).where(Indicator.key == fig_key))
    if existing is not None:
        return existing
    fig = next(f for f in KEY_FIGURES if f.indicator_key == fig_key)
    ind = Indicator(key=fig.indicator_key, label=fig.label, definition=fig.definition,
                    unit=fig.unit, polarity=Polarity.NEUTRAL, source=SOURCE, period_type="jaar",
                    owner=OWNER, last_update=dt.date.today(),
                    is_rate=fig.kind != "count", multiplier=100.0 if fig.kind != "count" else 1.0,
                    is_survey=False, is_public=True)
    session.add(ind)
    session.flush()
    return ind


def _upsert_geometry(session: Session, row: dict, year: int, source: str) -> None:
    geojson = json.dumps(to_geojson(row["geometry"], STORE_DECIMALS), separators=(",", ":"))
    existing = session.scalar(select(CbsGeometry).where(CbsGeometry.cbs_code == row["cbs_code"]))
    target = existing or CbsGeometry(cbs_code=row["cbs_code"])
    target.name = str(row["name"])[:120]
    target.level = row["level"]
    target.municipality_code = row["municipality_code"]
    target.year = year
    target.geojson = geojson
    target.source = source[:200]
    if existing is None:
        session.add(target)


def _upsert_value(session: Session, indicator: Indicator, code: str, year: int, value: float | None,
                  numerator: float | None, denominator: float | None, status: str,
                  note: str) -> None:
    existing = session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.region_code == code,
        IndicatorValue.period == str(year)))
    target = existing or IndicatorValue(indicator_id=indicator.id, region_code=code,
                                        period=str(year), period_start=dt.date(year, 1, 1))
    target.value, target.numerator, target.denominator = value, numerator, denominator
    target.status = ValueStatus(status)
    target.note = note
    if existing is None:
        session.add(target)


# Sentinel codes differ by vintage (geo.cbs.sentinels_of): the note names the meaning, not a code.
NOTES = {"onderdrukt": "CBS: geheim", "ontbreekt": "CBS: onbekend of niet beschikbaar"}


def import_boundaries(engine: Engine, boundaries: CbsBoundaries, registry: Registry | None = None,
                      all_municipalities: bool = False) -> ImportSummary:
    """Write boundaries and key figures in one transaction; return what was written."""
    registry = registry or load_registry()
    munis = set(registry.municipality_codes)
    parts = boundaries.parts
    if not all_municipalities:
        parts = parts[parts["municipality_code"].isin(munis)]
    used = {c for a in registry.areas for c in a.cbs_codes}
    parts = parts[~parts["is_water"].astype(bool) | parts["cbs_code"].isin(used)]  # no water-only
    if parts.empty:
        raise CbsFileError("Het bestand bevat geen buurten of wijken van de gemeenten van de "
                           f"programmagebieden ({', '.join(sorted(munis))}).")
    counts = {"ok": 0, "onderdrukt": 0, "ontbreekt": 0}
    with transaction(engine) as session:
        # Boundaries of the shipped file give way to these for every municipality they
        # cover (an official file replaces the shipped one; reloading the shipped file
        # refreshes it, also dropping municipalities no longer in the registry).
        covered = set(parts["municipality_code"])
        session.execute(delete(CbsGeometry).where(
            CbsGeometry.source.startswith(SHIPPED_SOURCE, autoescape=True),
            *([] if is_shipped(boundaries.source)
              else [CbsGeometry.municipality_code.in_(sorted(covered))])))
        figures = [f for f in KEY_FIGURES if f.indicator_key in parts.columns]
        indicators = {f.indicator_key: _indicator(session, f.indicator_key) for f in figures}
        for row in parts.to_dict("records"):
            _upsert_geometry(session, row, boundaries.year, boundaries.source)
            residents, residents_status = sentinel_status(row.get("inwoners"), boundaries.year)
            for fig in figures:
                value, status = sentinel_status(row[fig.indicator_key], boundaries.year)
                numerator = denominator = None
                note = NOTES.get(status, "")
                if fig.kind == "count":
                    numerator = value
                elif residents_status == "ok" and residents is not None:
                    denominator = residents
                    if value is not None:
                        numerator = round(value / 100 * residents)
                        note = "Teller afgeleid uit het afgeronde CBS-percentage."
                _upsert_value(session, indicators[fig.indicator_key], row["cbs_code"],
                              boundaries.year, value, numerator, denominator, status, note)
                counts[status] += 1
        audit.record(session, actor="systeem", role="beheerder", action="import",
                     object_type="cbs_geometry", object_id=str(boundaries.year),
                     new={"bron": boundaries.source, "grenzen": len(parts), **counts})
    return ImportSummary(len(parts), sum(counts.values()), counts["onderdrukt"],
                         counts["ontbreekt"], boundaries.year)


def load_shipped(engine: Engine, registry: Registry | None = None) -> int:
    """Load the generalised boundary file shipped with the project (``geo/boundaries/``)
    while no official CBS file has been imported. Returns the number of boundaries written:
    0 when official boundaries are present or the shipped ones are already up to date."""
    registry = registry or load_registry()
    with transaction(engine) as session:
        stored = session.execute(select(CbsGeometry.cbs_code, CbsGeometry.source)).all()
    if any(not is_shipped(source) for _, source in stored):
        return 0  # an official file was loaded: it is never overwritten by the shipped one
    shipped = read_shipped()
    wanted = set(shipped.parts.loc[shipped.parts["municipality_code"].isin(
        registry.municipality_codes), "cbs_code"])
    if {code for code, _ in stored} == wanted:
        return 0
    return import_boundaries(engine, shipped, registry).geometries


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Importeer de CBS Wijk- en Buurtkaart (GeoPackage of GeoJSON) in de database.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PAD",
                        help="GeoPackage (lagen buurten/wijken) of GeoJSON-bestand(en)")
    parser.add_argument("--jaar", type=int, default=None,
                        help="peiljaar, als het niet uit het bestand of de naam blijkt")
    parser.add_argument("--alle-gemeenten", action="store_true",
                        help="alle gemeenten importeren, niet alleen die van de programmagebieden")
    parser.add_argument("--database", default=None, help="database-URL (anders LN_DATABASE_URL)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        boundaries = read_many(args.paths, args.jaar)
        summary = import_boundaries(make_engine(args.database), boundaries,
                                    all_municipalities=args.alle_gemeenten)
    except CbsFileError as exc:
        print(f"Fout: {exc} Er is niets geïmporteerd.", file=sys.stderr)
        return 2
    print(f"Geïmporteerd ({summary.year}): {summary.geometries} buurt- en wijkgrenzen, "
          f"{summary.values} kerncijfers waarvan {summary.suppressed} geheim (onderdrukt) en "
          f"{summary.missing} onbekend.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
