"""The data-access layer: every read the pages make, as plain functions of (engine, role).

Each function checks the role itself (``require``) before touching the database, so a
page that is merely hidden is never the only barrier. Results are pandas DataFrames
with English column names; pages translate headers for display. No Streamlit here:
caching sits in ``dashboard.ui``.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from dashboard.domain.roles import Permission, Role, require
from dashboard.store.queries_geo import QUERIES_GEO, area_values, programme_members
from dashboard.store.settings import is_demo  # noqa: F401 - for callers
from data_loaders.db import read_frame as _frame
from data_loaders.models import (
    Area,
    AreaPart,
    Case,
    Decision,
    Programme,
    Project,
)
from geo.registry import NO_PARTS_TEXT, programme_total_key

# ---------------------------------------------------------------- public


def programmes(engine: Engine, role: Role) -> pd.DataFrame:
    """Programmes with their public description and number of areas."""
    require(role, Permission.VIEW_PUBLIC)
    stmt = (
        select(Programme.key, Programme.name, Programme.description, Programme.started_on,
               func.count(Area.id).label("areas"))
        .outerjoin(Area, and_(Area.programme_id == Programme.id, Area.active.is_(True)))
        .group_by(Programme.id)
        .order_by(Programme.started_on)
    )
    return _frame(engine, stmt)


def published_lessons(engine: Engine, role: Role) -> pd.DataFrame:
    """Public summaries of published decisions, newest first. Nothing unpublished."""
    require(role, Permission.VIEW_PUBLIC)
    stmt = (
        select(Decision.id, Programme.name.label("programme"), Decision.subject,
               Decision.outcome, Decision.decided_on, Decision.published_on,
               Decision.body, Decision.public_summary)
        .join(Programme, Programme.id == Decision.programme_id)
        .where(Decision.published.is_(True), Decision.deleted.is_(False),
               Decision.public_summary != "")
        .order_by(Decision.decided_on.desc())
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    return df


def publishable_cases(engine: Engine, role: Role) -> pd.DataFrame:
    """Cases marked publishable: anonymised summary and lessons only."""
    require(role, Permission.VIEW_PUBLIC)
    stmt = (
        select(Case.code, Case.title, Case.summary, Case.lessons, Case.knelpunt,
               Area.name.label("area"), Case.recorded_on)
        .outerjoin(Area, Area.id == Case.area_id)
        .where(Case.publishable.is_(True), Case.deleted.is_(False))
        .order_by(Case.recorded_on.desc())
    )
    return _frame(engine, stmt)


# ---------------------------------------------------------------- internal


def _latest_values(engine: Engine, role: Role, indicator_key: str) -> pd.DataFrame:
    """Latest value per area of one indicator (index area key; period, value): a stored area
    value, else the aggregate of its CBS parts (``queries_geo.area_values``, the one
    aggregation rule), so figures loaded per buurt and wijk (open data) count as well.
    Empty while the indicator is not in the catalogue (a new database)."""
    try:
        values = area_values(engine, role, indicator_key)
    except KeyError:
        return pd.DataFrame({"period": [], "value": []}, index=pd.Index([], name="area_key"))
    latest = values.sort_values("period_start").groupby("area_key").tail(1)
    return latest.set_index("area_key")[["period", "value"]]


def areas(engine: Engine, role: Role, include_inactive: bool = False) -> pd.DataFrame:
    """Every active area (with ``include_inactive`` also the deactivated ones) with programme,
    municipality, start date, CBS parts, note and residents. An area whose CBS parts are not
    known yet has ``has_parts`` False and says so in ``cbs_codes``."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Area.id, Area.key, Area.name, Programme.key.label("programme_key"),
               Programme.name.label("programme"), Area.municipality_code,
               Area.municipality_name, Area.started_on, Area.centroid_lon, Area.centroid_lat,
               Area.active, Area.note)
        .join(Programme, Programme.id == Area.programme_id)
        .where(*([] if include_inactive else [Area.active.is_(True)]))
        .order_by(Programme.started_on, Area.name)
    )
    df = _frame(engine, stmt)
    parts = _frame(engine, select(AreaPart.area_id, AreaPart.cbs_code))
    codes = parts.groupby("area_id")["cbs_code"].agg(lambda s: ", ".join(sorted(s)))
    df["has_parts"] = df["id"].isin(parts["area_id"])
    df["cbs_codes"] = df["id"].map(codes).fillna(NO_PARTS_TEXT)
    residents = _latest_values(engine, role, "inwoners")
    df["residents"] = df["key"].map(residents["value"])
    df["residents_year"] = df["key"].map(residents["period"])
    low_income = _latest_values(engine, role, "laag_inkomen")
    df["low_income_pct"] = df["key"].map(low_income["value"])
    return df


def programme_totals(engine: Engine, role: Role) -> pd.DataFrame:
    """Each programme as an area of its own (Wijkprofiel, Kaart's table, Overzicht), with the
    columns of ``areas``: key ``totaal-<programme>``, built from the programme's active
    areas with known CBS parts (``queries_geo.programme_members``; its figures come from
    ``area_values`` by the one aggregation rule). ``note`` names the areas it counts and
    those it leaves out; ``municipality_code`` is empty when they lie in several."""
    require(role, Permission.VIEW_INTERNAL)
    every = areas(engine, role)
    members = programme_members(engine)
    residents = _latest_values(engine, role, "inwoners")
    low_income = _latest_values(engine, role, "laag_inkomen")
    programmes_ = _frame(engine, select(Programme.key, Programme.started_on))
    started = dict(zip(programmes_["key"], programmes_["started_on"], strict=True))
    rows = []
    for programme_key, own in every.groupby("programme_key", sort=False):
        key = programme_total_key(str(programme_key))
        counted = own[own["key"].isin(members.get(key, []))]
        if counted.empty:
            continue
        left_out = own[~own["key"].isin(counted["key"])]
        munis = counted.drop_duplicates("municipality_code")
        note = (f"Alle {len(counted)} gebieden met een bekende CBS-indeling samen: "
                + ", ".join(counted["name"]) + ".")
        if len(left_out):
            note += (" Niet meegeteld (" + NO_PARTS_TEXT + "): " + ", ".join(left_out["name"])
                     + ".")
        rows.append({
            "key": key, "name": f"{own['programme'].iloc[0]} (totaal)",
            "programme_key": programme_key, "programme": own["programme"].iloc[0],
            "municipality_code": munis["municipality_code"].iloc[0] if len(munis) == 1 else "",
            "municipality_name": ", ".join(sorted(munis["municipality_name"])),
            "started_on": started.get(str(programme_key)), "active": True, "note": note,
            "has_parts": True, "cbs_codes": ", ".join(sorted(
                c for codes in counted["cbs_codes"] for c in codes.split(", "))),
            "residents": residents["value"].get(key), "residents_year":
                residents["period"].get(key), "low_income_pct": low_income["value"].get(key),
            "areas": len(counted)})
    return pd.DataFrame(rows, columns=[*every.columns.drop(["id", "centroid_lon",
                                                            "centroid_lat"]), "areas"])


def projects_by_status(engine: Engine, role: Role) -> pd.DataFrame:
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Programme.name.label("programme"), Project.status, func.count().label("projects"))
        .join(Programme, Programme.id == Project.programme_id)
        .where(Project.deleted.is_(False))
        .group_by(Programme.name, Project.status)
    )
    df = _frame(engine, stmt)
    df["status"] = df["status"].map(lambda s: s.value)
    return df


def latest_decisions(engine: Engine, role: Role, limit: int = 6) -> pd.DataFrame:
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Decision.decided_on, Programme.name.label("programme"), Decision.subject,
               Decision.outcome, Decision.body, Decision.review_on, Decision.published)
        .join(Programme, Programme.id == Decision.programme_id)
        .where(Decision.deleted.is_(False))
        .order_by(Decision.decided_on.desc())
        .limit(limit)
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    return df


# The registry of cacheable queries, used by ``dashboard.ui.load``.
QUERIES = {
    **{f.__name__: f
       for f in (programmes, published_lessons, publishable_cases, areas, programme_totals,
                 projects_by_status, latest_decisions)},
    **QUERIES_GEO,
}

from dashboard.store.queries_monitoring import MONITORING_QUERIES  # noqa: E402 - needs _frame above

QUERIES.update(MONITORING_QUERIES)

# Queries of the learning network (decisions, evidence, cases, disclosed public figures).
from dashboard.store import queries_learning  # noqa: E402 - merged into the one registry

QUERIES.update(queries_learning.QUERIES)
