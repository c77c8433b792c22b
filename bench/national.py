"""Synthetic national-scale dataset for the benchmark (not demo data, not a test).

14,000 buurten as simple square polygons on a grid over the Netherlands, each its own
programme area, 30 indicators over 10 years (4.2 million values), 500 coaches with
monthly figures and 350 kernteams with quarterly results. Written with bulk inserts
into any database URL that has been migrated to head.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import numpy as np
from sqlalchemy import Engine, insert

from dashboard.store.auth import hash_password
from data_loaders.db import make_engine, transaction
from data_loaders.migrate import upgrade
from data_loaders.models import (
    Area,
    AreaPart,
    CbsGeometry,
    Coach,
    CoachMonth,
    Indicator,
    IndicatorValue,
    Kernteam,
    KernteamQuarter,
    Polarity,
    Programme,
    Setting,
    User,
    ValueStatus,
)
from data_loaders.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

N_BUURTEN = 14_000
N_INDICATORS = 30
YEARS = list(range(2016, 2026))
N_COACHES = 500
N_KERNTEAMS = 350
CHUNK = 20_000


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _bulk(engine: Engine, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        for chunk in _chunks(rows):
            s.execute(insert(table), chunk)


VALUE_COLUMNS = ("indicator_id", "area_id", "period", "period_start", "value", "numerator",
                 "denominator", "status", "note", "version")


def _value_rows(rng: np.random.Generator, k: int) -> Iterator[tuple]:
    """One indicator's values as plain tuples (4.2 million dicts would cost minutes)."""
    den = rng.integers(200, 5000, size=(N_BUURTEN, len(YEARS)))
    num = rng.binomial(den, 0.1 + 0.01 * (k % 10))
    val = np.round(num / den * 100, 2)
    for y_idx, year in enumerate(YEARS):
        start = dt.date(year, 1, 1)
        for i, n, d, v in zip(range(1, N_BUURTEN + 1), num[:, y_idx].tolist(),
                              den[:, y_idx].tolist(), val[:, y_idx].tolist(), strict=True):
            yield (k + 1, i, str(year), start, v, n, d, ValueStatus.OK.value, "", 1)


def _fast_values(engine: Engine, rng: np.random.Generator) -> None:
    """Bulk-load indicator values on the raw DBAPI connection: COPY on PostgreSQL,
    ``executemany`` on SQLite."""
    table = IndicatorValue.__tablename__
    cols = ", ".join(VALUE_COLUMNS)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for k in range(N_INDICATORS):
            rows = _value_rows(rng, k)
            if engine.dialect.name == "postgresql":
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(VALUE_COLUMNS))
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                                [(*r[:3], r[3].isoformat(), *r[4:]) for r in rows])
        raw.commit()
    finally:
        raw.close()


def square(lon: float, lat: float, half: float) -> str:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]
    return json.dumps({"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]})


def generate(url: str, seed: int = 1) -> dict[str, float]:
    """Migrate ``url`` and fill it; return seconds per step."""
    timings: dict[str, float] = {}
    rng = np.random.default_rng(seed)
    upgrade(url)
    engine = make_engine(url)
    t0 = time.perf_counter()
    with transaction(engine) as s:
        prog = Programme(key="nationaal", name="Nationaal (benchmark)", description="Synthetisch")
        s.add(prog)
        s.add(Setting(key="caseload_norm_per_fte", value=30))
        for username, role in DEMO_ACCOUNTS.items():  # the benchmark signs in as these
            s.add(User(username=username, password_hash=hash_password(DEMO_PASSWORD), role=role,
                       is_demo=False))  # not demo data, so no forced password change
        s.flush()
        programme_id = prog.id
    cols = int(np.ceil(np.sqrt(N_BUURTEN * 1.2)))
    areas, parts, geoms = [], [], []
    for i in range(N_BUURTEN):
        lon = 3.4 + (i % cols) * (3.8 / cols)
        lat = 50.75 + (i // cols) * (2.8 / cols)
        code = f"BU{i:08d}"
        gm = f"GM{i // 40:04d}"
        areas.append(dict(id=i + 1, key=f"buurt-{i}", name=f"Buurt {i}", programme_id=programme_id,
                          municipality_code=gm, municipality_name=f"Gemeente {i // 40}",
                          started_on=dt.date(2016, 1, 1), centroid_lon=lon, centroid_lat=lat,
                          version=1))
        parts.append(dict(area_id=i + 1, cbs_code=code, level="buurt"))
        geoms.append(dict(cbs_code=code, name=f"Buurt {i}", level="buurt", municipality_code=gm,
                          year=2023, geojson=square(lon, lat, 1.5 / cols), source="synthetisch"))
    for table, rows in ((Area, areas), (AreaPart, parts), (CbsGeometry, geoms)):
        _bulk(engine, table, rows)
    timings["areas_and_geometry"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    indicators = [dict(id=k + 1, key=f"ind_{k:02d}", label=f"Indicator {k}", definition="Synthetisch",
                       unit="%", polarity=Polarity.LOWER_IS_BETTER if k % 2 else Polarity.HIGHER_IS_BETTER,
                       source="benchmark", period_type="jaar", owner="benchmark", is_rate=True,
                       multiplier=100.0, is_survey=False, is_public=k < 10, disclosure_rule="standaard",
                       version=1)
                  for k in range(N_INDICATORS)]
    _bulk(engine, Indicator, indicators)
    _fast_values(engine, rng)
    timings["indicator_values"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    months = [dt.date(2025 + m // 12, m % 12 + 1, 1) for m in range(22)]
    coaches = [dict(id=c + 1, code=f"WC-{c + 1:04d}", fte=float(rng.choice([0.4, 0.8, 1.0])),
                    area_id=int(rng.integers(1, N_BUURTEN + 1)), started_on=months[0], version=1)
               for c in range(N_COACHES)]
    _bulk(engine, Coach, coaches)
    _bulk(engine, CoachMonth, [
        dict(coach_id=c + 1, month=m, active_households=int(rng.integers(5, 40)),
             new_huisarts=int(rng.integers(0, 5)), new_wijkteam=int(rng.integers(0, 3)),
             new_zelf=int(rng.integers(0, 3)), new_overig=int(rng.integers(0, 2)),
             closed_goal_reached=int(rng.integers(0, 4)), closed_referred=int(rng.integers(0, 2)),
             closed_dropped_out=int(rng.integers(0, 2)), waiting_list=int(rng.integers(0, 8)),
             mean_duration_days=float(rng.normal(110, 10)), version=1)
        for c in range(N_COACHES) for m in months])
    quarters = [dt.date(2022 + q // 4, 3 * (q % 4) + 1, 1) for q in range(19)]
    _bulk(engine, Kernteam, [
        dict(id=t + 1, code=f"KT-{t + 1:04d}", name=f"Kernteam {t + 1}",
             area_id=int(rng.integers(1, N_BUURTEN + 1)), practice=f"Praktijk {t + 1}",
             disciplines=["huisarts", "wijkverpleging"], started_on=quarters[0], version=1)
        for t in range(N_KERNTEAMS)])
    rows = []
    for t in range(N_KERNTEAMS):
        frail = int(rng.integers(80, 260))
        for q in quarters:
            rows.append(dict(kernteam_id=t + 1, quarter=f"{q.year}-Q{(q.month - 1) // 3 + 1}",
                             quarter_start=q, frail_elderly=frail,
                             with_care_plan=int(rng.binomial(frail, 0.5)),
                             discussed_mdo=int(rng.binomial(frail, 0.2)),
                             ed_visits=int(rng.poisson(frail * 0.07)),
                             admissions=int(rng.poisson(frail * 0.05)),
                             readmissions=int(rng.poisson(frail * 0.01)),
                             falls=int(rng.poisson(frail * 0.03)), version=1))
    _bulk(engine, KernteamQuarter, rows)
    timings["coaches_and_kernteams"] = time.perf_counter() - t0
    engine.dispose()
    return timings
