"""Helpers for the open-data loader tests: fixture paths, an empty production database,
running the command in-process or as a subprocess, and reading back what was stored."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.roles import Role
from dashboard.store.queries_geo import area_values
from data_loaders.db import transaction
from data_loaders.models import AuditLog, Indicator, IndicatorValue
from data_loaders.opendata.__main__ import main
from data_loaders.seed import prepare_database
from tests.helpers import ROOT, run_command

FIXTURES = ROOT / "tests" / "fixtures" / "opendata"
KWB_2023 = FIXTURES / "cbs_kwb" / "85618NED_UntypedDataSet_2023.csv"
KWB_2024 = FIXTURES / "cbs_kwb" / "85984NED" / "TypedDataSet.json"
RIVM_50150 = FIXTURES / "rivm_wijk" / "50150NED_UntypedDataSet.csv"
RIVM_50120 = FIXTURES / "rivm_wijk" / "50120NED" / "TypedDataSet.json"
VEKTIS_2022 = (FIXTURES / "vektis_gemeente"
               / "Vektis Open Databestand Zorgverzekeringswet 2022 - gemeente.csv")
VEKTIS_2019 = (FIXTURES / "vektis_gemeente"
               / "Vektis Open Databestand Zorgverzekeringswet 2019 - gemeente.csv")


def production_engine(url: str) -> Engine:
    """An empty production database (migrated, registry synced, no demo data)."""
    return prepare_database(url, demo=False)


def area_value(engine: Engine, area_key: str, key: str, period: str) -> pd.Series:
    """What the dashboard shows for one area, indicator and period (``area_values``)."""
    df = area_values(engine, Role.BESTUURDER, key, area_key=area_key)
    return df[df["period"] == period].iloc[0]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def load(engine: Engine, source: str, path: Path, *args: str) -> int:
    """``python -m data_loaders.opendata SOURCE FILE`` in-process; its exit status."""
    return main([source, str(path), "--database", url_of(engine), *args])


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A command of this project (``python -m <args>``) against ``url``."""
    return run_command(url, *args)


def stored(engine: Engine, key: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The region values of indicator ``key`` by (region, period)."""
    with transaction(engine) as s:
        rows = s.execute(select(IndicatorValue).join(Indicator).where(
            Indicator.key == key, IndicatorValue.region_code.is_not(None))).scalars().all()
        return {(r.region_code, r.period): {
            "value": r.value, "numerator": r.numerator, "denominator": r.denominator,
            "lower": r.lower, "upper": r.upper, "status": r.status.value, "note": r.note,
            "version": r.version} for r in rows}


def snapshot(engine: Engine) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Every indicator and indicator value with its version: equal snapshots mean nothing
    was written."""
    with transaction(engine) as s:
        indicators = {(i.key, i.label, i.version, i.last_update) for i in s.scalars(
            select(Indicator))}
        values = {(v.indicator_id, v.area_id, v.region_code, v.period, v.value, v.numerator,
                   v.denominator, v.lower, v.upper, v.status.value, v.note, v.version)
                  for v in s.scalars(select(IndicatorValue))}
    return indicators, values


def load_audits(engine: Engine) -> list[dict[str, Any]]:
    with transaction(engine) as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "laden")
                         .order_by(AuditLog.id)).all()
        return [{"actor": r.actor, "role": r.role, "object_type": r.object_type,
                 "object_id": r.object_id, "result": r.result, "new": r.new_values}
                for r in rows]


def copy_with(src: Path, target_dir: Path, old: str, new: str, count: int = 1) -> Path:
    """A copy of fixture ``src`` (same file name) with ``old`` replaced by ``new``."""
    target = target_dir / src.name
    raw = src.read_bytes().decode("utf-8")
    assert raw.count(old) >= count, f"{old!r} not in {src.name}"
    target.write_bytes(raw.replace(old, new, count).encode("utf-8"))
    return target
