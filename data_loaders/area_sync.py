"""Bring the database's programmes and areas in line with the registry (``geo/areas.toml``).

Two modes:

- ``full=False`` (every ``make run`` / ``python -m data_loaders.seed``): add the programmes
  and areas the database lacks; never touch existing ones, so a change a beheerder made in
  the dashboard survives a restart.
- ``full=True`` (``python -m data_loaders.seed --sync-areas``): also update areas whose
  registry entry changed (name, programme, municipality, start date, CBS codes, centroid,
  note), reactivate areas that are back in the registry and deactivate areas that were
  removed from it.

Every change is one ``writes.audited`` unit of work (one audit row with the old and new
values) by the command line. Areas are never deleted: an area removed from the registry
is deactivated and keeps its figures, coaches, kernteams and decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.domain.roles import Permission, Role
from dashboard.store import writes
from data_loaders.db import session_factory
from data_loaders.models import Area, AreaPart, Programme
from geo.registry import AreaSpec, ProgrammeSpec, Registry

ACTOR = writes.COMMAND_LINE
DEACTIVATE, REACTIVATE = "deactiveren", "heractiveren"


@dataclass
class SyncReport:
    programmes_added: list[str] = field(default_factory=list)
    programmes_updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.programmes_added or self.programmes_updated or self.added
                    or self.updated or self.deactivated)

    def summary(self) -> str:
        """One Dutch line for the command line."""
        def names(keys: list[str]) -> str:
            return f" ({', '.join(keys)})" if keys else ""
        return (f"Gebiedsregister gesynchroniseerd: {len(self.added)} toegevoegd"
                f"{names(self.added)}, {len(self.updated)} gewijzigd{names(self.updated)}, "
                f"{len(self.deactivated)} gedeactiveerd{names(self.deactivated)}.")


def _programme_values(p: Programme | ProgrammeSpec) -> dict[str, Any]:
    return {"key": p.key, "name": p.name, "description": p.description,
            "started_on": p.started_on}


def _area_values(area: Area) -> dict[str, Any]:
    return {"key": area.key, "name": area.name, "programme": area.programme.key,
            "municipality_code": area.municipality_code,
            "municipality_name": area.municipality_name, "started_on": area.started_on,
            "cbs_codes": sorted(p.cbs_code for p in area.parts),
            "centroid": [area.centroid_lon, area.centroid_lat], "note": area.note or "",
            "active": bool(area.active)}


def _spec_values(spec: AreaSpec) -> dict[str, Any]:
    return {"key": spec.key, "name": spec.name, "programme": spec.programme,
            "municipality_code": spec.municipality_code,
            "municipality_name": spec.municipality_name, "started_on": spec.started_on,
            "cbs_codes": sorted(spec.cbs_codes), "centroid": list(spec.centroid),
            "note": spec.note, "active": True}


def _apply(session: Session, area: Area, spec: AreaSpec) -> None:
    programme = session.scalar(select(Programme).where(Programme.key == spec.programme))
    area.name, area.programme = spec.name, programme
    area.municipality_code, area.municipality_name = (spec.municipality_code,
                                                      spec.municipality_name)
    area.started_on = spec.started_on
    area.centroid_lon, area.centroid_lat = spec.centroid
    area.note, area.active = spec.note, True
    have = {p.cbs_code: p for p in area.parts}
    area.parts = [have.get(c) or AreaPart(cbs_code=c, level=spec.level_of(c))
                  for c in sorted(spec.cbs_codes)]


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the changed values, each side with the key (the audit row's object id is the
    row id)."""
    keys = [k for k in new if old.get(k) != new[k]]
    return ({"key": new["key"], **{k: old.get(k) for k in keys}},
            {"key": new["key"], **{k: new[k] for k in keys}})


def _write(engine: Engine, action: str, object_type: str, object_id: str, work) -> None:
    result = writes.audited(engine, ACTOR, Role.BEHEERDER, action, object_type, object_id, work,
                            permission=Permission.ADMINISTER)
    if not result.ok:
        raise RuntimeError(f"{object_type} {object_id}: {result.message}")


def _sync_programme(engine: Engine, spec: ProgrammeSpec, full: bool, report: SyncReport) -> None:
    with session_factory(engine)() as s:
        row = s.scalar(select(Programme).where(Programme.key == spec.key))
        old = _programme_values(row) if row is not None else None
    new = _programme_values(spec)
    if old is None:
        def add(session: Session):
            p = Programme(**new)
            session.add(p)
            session.flush()
            return writes.WriteResult(writes.OK, row_id=p.id), None, new
        _write(engine, writes.CREATE, "programme", spec.key, add)
        report.programmes_added.append(spec.key)
    elif full and old != new:
        before, after = _changes(old, new)

        def update(session: Session):
            p = session.scalar(select(Programme).where(Programme.key == spec.key))
            for k, v in after.items():
                setattr(p, k, v)
            return writes.WriteResult(writes.OK, row_id=p.id), before, after
        _write(engine, writes.UPDATE, "programme", spec.key, update)
        report.programmes_updated.append(spec.key)


def _sync_area(engine: Engine, spec: AreaSpec, full: bool, report: SyncReport) -> None:
    with session_factory(engine)() as s:
        row = s.scalar(select(Area).where(Area.key == spec.key))
        old = _area_values(row) if row is not None else None
    new = _spec_values(spec)
    if old is None:
        def add(session: Session):
            area = Area(key=spec.key)
            _apply(session, area, spec)
            session.add(area)
            session.flush()
            return writes.WriteResult(writes.OK, row_id=area.id, version=area.version), None, new
        _write(engine, writes.CREATE, "area", spec.key, add)
        report.added.append(spec.key)
    elif full and old != new:
        before, after = _changes(old, new)

        def update(session: Session):
            area = session.scalar(select(Area).where(Area.key == spec.key))
            _apply(session, area, spec)
            session.flush()
            return (writes.WriteResult(writes.OK, row_id=area.id, version=area.version),
                    before, after)
        action = REACTIVATE if not old["active"] else writes.UPDATE
        _write(engine, action, "area", spec.key, update)
        report.updated.append(spec.key)


def _deactivate(engine: Engine, key: str, report: SyncReport) -> None:
    def work(session: Session):
        area = session.scalar(select(Area).where(Area.key == key))
        area.active = False
        session.flush()
        return (writes.WriteResult(writes.OK, row_id=area.id, version=area.version),
                {"key": key, "active": True}, {"key": key, "active": False})
    _write(engine, DEACTIVATE, "area", key, work)
    report.deactivated.append(key)


def sync_areas(engine: Engine, registry: Registry, *, full: bool = False) -> SyncReport:
    """Add (and with ``full`` also update and deactivate) programmes and areas; see module."""
    report = SyncReport()
    for programme in registry.programmes:
        _sync_programme(engine, programme, full, report)
    for spec in registry.areas:
        _sync_area(engine, spec, full, report)
    if full:
        wanted = {a.key for a in registry.areas}
        with session_factory(engine)() as s:
            stale = [k for k in s.scalars(select(Area.key).where(Area.active.is_(True)))
                     if k not in wanted]
        for key in stale:
            _deactivate(engine, key, report)
    return report
