"""Data access for the map, area profile and indicator catalogue (registered in ``QUERIES``).

Like ``dashboard.store.queries``: plain functions ``(engine, role, **params)`` that check the
role first and return DataFrames or plain dicts; no Streamlit.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, func, or_, select

from dashboard.domain.aggregation import aggregate_areas, aggregate_parts, weighted_mean
from dashboard.domain.roles import Permission, Role, require
from dashboard.store import settings as product_settings
from data_loaders.db import read_frame as _frame
from data_loaders.models import (
    Area,
    AreaPart,
    CbsGeometry,
    Coach,
    Indicator,
    IndicatorValue,
    Intervention,
    Kernteam,
    Programme,
    Project,
    ProjectArea,
    SurveyScore,
    ValueStatus,
)
from geo import boundaries
from geo.cbs import (
    build_area_shapes,
    context_codes,
    display_geometry,
    from_geojson,
    to_geojson,
)
from geo.registry import NO_PARTS_TEXT, AreaSpec, programme_total_key, total_programme

REFERENCE_LABELS = {"ZL": "Zuid-Limburg", "NL": "Nederland"}


def _status(s: Any) -> str:
    return str(getattr(s, "value", s))


def _area_specs(engine: Engine) -> list[AreaSpec]:
    """The active areas (an inactive area is no longer drawn; its figures stay)."""
    areas = _frame(engine, select(Area.id, Area.key, Area.name, Programme.name.label("programme"),
                                  Area.municipality_code, Area.municipality_name, Area.started_on,
                                  Area.centroid_lon, Area.centroid_lat, Area.note)
                   .join(Programme, Programme.id == Area.programme_id)
                   .where(Area.active.is_(True)).order_by(Area.id))
    parts = _frame(engine, select(AreaPart.area_id, AreaPart.cbs_code))
    codes = parts.groupby("area_id")["cbs_code"].agg(lambda s: tuple(sorted(s)))
    return [AreaSpec(key=r.key, name=r.name, programme=r.programme,
                     municipality_code=r.municipality_code, municipality_name=r.municipality_name,
                     started_on=r.started_on, cbs_codes=codes.get(r.id, ()),
                     centroid=(r.centroid_lon, r.centroid_lat), note=r.note or "")
            for r in areas.itertuples()]


# ---------------------------------------------------------------- geometry


def map_layers(engine: Engine, role: Role) -> dict[str, Any]:
    """Display geometry: each area as the union of its CBS parts, plus grey context.

    The boundaries are the stored ones: the generalised file shipped with the project
    (``source`` "meegeleverd"), or an official CBS file once imported (``source`` "cbs").
    An area without known CBS parts, or whose parts have no stored boundary, gets no
    polygon: it is listed in ``without_polygon`` (with the reason) and never drawn at a
    made-up place. Without any stored boundary ``source`` is "geen".
    """
    require(role, Permission.VIEW_INTERNAL)
    specs = _area_specs(engine)
    rows = _frame(engine, select(CbsGeometry.cbs_code, CbsGeometry.name, CbsGeometry.level,
                                 CbsGeometry.municipality_code, CbsGeometry.year,
                                 CbsGeometry.geojson, CbsGeometry.source))
    parts = {r.cbs_code: from_geojson(r.geojson) for r in rows.itertuples()}
    shapes = {s.key: s for s in build_area_shapes(parts, specs)} if parts else {}
    areas: dict[str, dict[str, Any]] = {}
    without: dict[str, str] = {}
    for spec in specs:
        shape = shapes.get(spec.key)
        if not spec.has_parts:
            without[spec.key] = NO_PARTS_TEXT
        elif shape is None or shape.geometry.is_empty:
            without[spec.key] = "geen grenzen geladen voor " + ", ".join(spec.cbs_codes)
        else:
            areas[spec.key] = to_geojson(display_geometry(shape.geometry))
    names = dict(zip(rows["cbs_code"], rows["name"], strict=True))
    context = [{"code": code, "name": names[code],
                "geometry": to_geojson(display_geometry(parts[code]))}
               for code in (context_codes(rows, specs) if parts else [])]
    sources = sorted(set(rows["source"]))
    year = int(rows["year"].max()) if len(rows) else None
    if not len(rows):
        source = "geen"
    elif all(boundaries.is_shipped(s) for s in sources):
        source = "meegeleverd"
    else:
        source = "cbs"
    return {
        "source": source,
        "attribution": boundaries.attribution(sources, year),
        "year": year,
        "areas": areas,
        "without_polygon": without,
        "context": context,
    }



# ---------------------------------------------------------------- indicators


def indicators(engine: Engine, role: Role) -> pd.DataFrame:
    """The indicator catalogue with metadata and coverage (areas, regions, periods, suppressed)."""
    require(role, Permission.VIEW_INTERNAL)
    meta = _frame(engine, select(
        Indicator.id, Indicator.key, Indicator.label, Indicator.definition, Indicator.unit,
        Indicator.polarity, Indicator.source, Indicator.period_type, Indicator.owner,
        Indicator.last_update, Indicator.disclosure_rule, Indicator.licence,
        Indicator.reference_moment, Indicator.is_rate, Indicator.multiplier,
        Indicator.is_survey, Indicator.is_public).order_by(Indicator.label))
    cov = _frame(engine, select(
        IndicatorValue.indicator_id,
        func.count(func.distinct(IndicatorValue.area_id)).label("areas_covered"),
        func.count(func.distinct(IndicatorValue.region_code)).label("regions_covered"),
        func.min(IndicatorValue.period).label("first_period"),
        func.max(IndicatorValue.period).label("last_period"),
        func.count().label("values"),
        func.sum(case((IndicatorValue.status != ValueStatus.OK, 1), else_=0)).label("not_ok"),
    ).group_by(IndicatorValue.indicator_id))  # one pass over the values, not two
    # An area is covered by its own values or by values of its CBS parts (open data is
    # loaded per buurt and wijk and aggregated when read).
    own = _frame(engine, select(IndicatorValue.indicator_id, IndicatorValue.area_id)
                 .where(IndicatorValue.area_id.is_not(None)).distinct())
    via_parts = _frame(engine, select(IndicatorValue.indicator_id, AreaPart.area_id)
                       .join(AreaPart, AreaPart.cbs_code == IndicatorValue.region_code)
                       .distinct())
    areas = pd.concat([own, via_parts]).drop_duplicates().groupby("indicator_id").size()
    cov["areas_covered"] = cov["indicator_id"].map(areas).fillna(0)
    df = meta.merge(cov, how="left", left_on="id", right_on="indicator_id").drop(
        columns="indicator_id")
    df["polarity"] = df["polarity"].map(_status)
    for col in ("areas_covered", "regions_covered", "values", "not_ok"):
        df[col] = df[col].fillna(0).astype(int)
    return df


def _indicator_meta(engine: Engine, indicator_key: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(Indicator.id, Indicator.is_rate, Indicator.multiplier,
                                  Indicator.is_survey)
                           .where(Indicator.key == indicator_key)).first()
    if row is None:
        raise KeyError(f"Onbekende indicator '{indicator_key}'.")
    return {"id": row.id, "is_rate": row.is_rate, "multiplier": row.multiplier,
            "is_survey": row.is_survey}


def programme_members(engine: Engine) -> dict[str, list[str]]:
    """Programme-total key -> the keys of the programme's areas it is built from: the
    active areas with known CBS parts (an area without parts is left out of every
    aggregate, ``AreaSpec.has_parts``), in registry order."""
    rows = _frame(engine, select(Programme.key.label("programme_key"), Area.key)
                  .join(Programme, Programme.id == Area.programme_id)
                  .where(Area.active.is_(True),
                         Area.id.in_(select(AreaPart.area_id).distinct()))
                  .order_by(Area.id))
    return {programme_total_key(p): list(group["key"])
            for p, group in rows.groupby("programme_key", sort=False)}


def _values(engine: Engine, meta: dict[str, Any], area_keys: list[str] | None) -> pd.DataFrame:
    """Stored area values, else the aggregate of the area's CBS-part values, per period."""
    cols = (IndicatorValue.period, IndicatorValue.period_start, IndicatorValue.value,
            IndicatorValue.numerator, IndicatorValue.denominator, IndicatorValue.lower,
            IndicatorValue.upper, IndicatorValue.status, IndicatorValue.note)
    only = [Area.key.in_(area_keys)] if area_keys is not None else []
    direct = _frame(engine, select(Area.key.label("area_key"), *cols)
                    .join(Area, Area.id == IndicatorValue.area_id)
                    .where(IndicatorValue.indicator_id == meta["id"], *only))
    direct["status"] = direct["status"].map(_status)
    direct["origin"] = "gebied"
    parts = _frame(engine, select(Area.key.label("area_key"), AreaPart.cbs_code)
                   .join(Area, Area.id == AreaPart.area_id).where(*only))
    regional = _frame(engine, select(IndicatorValue.region_code.label("cbs_code"), *cols)
                      .where(IndicatorValue.indicator_id == meta["id"],
                             IndicatorValue.region_code.in_(parts["cbs_code"].tolist())))
    rows: list[dict[str, Any]] = []
    if len(regional):
        regional["status"] = regional["status"].map(_status)
        have = set(zip(direct["area_key"], direct["period"], strict=True))
        n_parts = parts.groupby("area_key").size()
        for (key, period), found in regional.merge(parts, on="cbs_code").groupby(
                ["area_key", "period"]):
            if (key, period) in have:
                continue
            records = found.to_dict("records")
            records += [{"status": "ontbreekt"}] * (n_parts[key] - len(found))  # absent part
            agg = aggregate_parts(records, is_rate=meta["is_rate"], multiplier=meta["multiplier"])
            one = records[0] if len(records) == 1 and agg.status == "ok" else {}
            rows.append({"area_key": key, "period": period,
                         "period_start": found["period_start"].iloc[0], "value": agg.value,
                         "numerator": agg.numerator, "denominator": agg.denominator,
                         "lower": one.get("lower"), "upper": one.get("upper"),
                         "status": agg.status, "note": agg.note,
                         "origin": f"opgebouwd uit {agg.parts} CBS-delen"})
    return pd.concat([direct, pd.DataFrame(rows)], ignore_index=True) if rows else direct


AGGREGATED = ("status", "value", "numerator", "denominator", "note")  # what aggregate_* read


def _totals(engine: Engine, role: Role, meta: dict[str, Any], values: pd.DataFrame,
            members: dict[str, list[str]]) -> pd.DataFrame:
    """Programme totals per period from the member areas' ``values`` (``aggregate_areas``)."""
    populations: dict[str, float] = {}
    if meta["is_survey"] and meta["is_rate"]:  # weights: the areas' latest residents
        with contextlib.suppress(KeyError):  # no "inwoners" yet: every survey total missing
            residents = area_values(engine, role, "inwoners")
            latest = residents[residents["status"] == "ok"].sort_values("period_start")
            populations = latest.groupby("area_key")["value"].last().to_dict()
    rows = []
    for total, keys in members.items():
        own = values[values["area_key"].isin(keys)]
        for period, found in own.groupby("period"):
            # One record per member area, in order, with the fields the aggregation reads:
            # one reindex and plain column lists, not a lookup per area (a national
            # programme has thousands). An area without a figure is missing.
            member = found.set_index("area_key").reindex(keys)
            records = [dict(zip(AGGREGATED, row, strict=True))
                       for row in zip(*(member[c].tolist() for c in AGGREGATED), strict=True)]
            records = [r if isinstance(r["status"], str) else {"status": "ontbreekt"}
                       for r in records]
            agg = aggregate_areas(records, [populations.get(k) for k in keys],
                                  is_rate=meta["is_rate"], is_survey=meta["is_survey"],
                                  multiplier=meta["multiplier"])
            rows.append({"area_key": total, "period": period,
                         "period_start": found["period_start"].iloc[0], "value": agg.value,
                         "numerator": agg.numerator, "denominator": agg.denominator,
                         "lower": agg.lower, "upper": agg.upper, "status": agg.status,
                         "note": agg.note, "origin": f"opgebouwd uit {len(keys)} gebieden"})
    return pd.DataFrame(rows, columns=list(values.columns))


def area_values(engine: Engine, role: Role, indicator_key: str,
                area_key: str | None = None, programme_key: str | None = None) -> pd.DataFrame:
    """Values per area and period: stored area values, else aggregated from CBS-part values,
    and per programme its total (key ``totaal-<programme>``, built from its areas by the
    same rule). With ``area_key``, one area's (or one programme total's) values only
    (Wijkprofiel: one area of thousands); with ``programme_key``, the programme's areas
    with CBS parts and its total (Overzicht), never the rest of the country.

    ``lower``/``upper`` hold a stored 95% interval (model estimates); an area of one part
    keeps its part's interval, an aggregate of several parts has none (a survey total has
    the interval of its population-weighted estimate)."""
    require(role, Permission.VIEW_INTERNAL)
    meta = _indicator_meta(engine, indicator_key)
    total = (programme_total_key(programme_key) if programme_key is not None
             else area_key if area_key is not None and total_programme(area_key) is not None
             else None)
    if total is not None:  # one programme: its member areas, then their total
        members = {total: programme_members(engine).get(total, [])}
        values = _values(engine, meta, members[total])
        out = _totals(engine, role, meta, values, members)
        if programme_key is not None:
            out = pd.concat([values, out], ignore_index=True)
    elif area_key is not None:  # one area (Wijkprofiel): no programme's members needed
        out = _values(engine, meta, [area_key])
    else:
        out = _values(engine, meta, None)
        out = pd.concat([out, _totals(engine, role, meta, out, programme_members(engine))],
                        ignore_index=True)
    for col in ("value", "numerator", "denominator", "lower", "upper"):  # NaN, never None
        out[col] = pd.to_numeric(out[col]).astype(float)
    return out.sort_values(["area_key", "period"]).reset_index(drop=True)


def reference_values(engine: Engine, role: Role, indicator_key: str) -> pd.DataFrame:
    """Reference values of an indicator: municipalities (GM…), Zuid-Limburg (ZL), Nederland (NL)."""
    require(role, Permission.VIEW_INTERNAL)
    meta = _indicator_meta(engine, indicator_key)
    df = _frame(engine, select(IndicatorValue.region_code, IndicatorValue.period,
                               IndicatorValue.period_start, IndicatorValue.value,
                               IndicatorValue.lower, IndicatorValue.upper,
                               IndicatorValue.status)
                .where(IndicatorValue.indicator_id == meta["id"],
                       or_(IndicatorValue.region_code.in_(list(REFERENCE_LABELS)),
                           IndicatorValue.region_code.like("GM%"))))
    df["status"] = df["status"].map(_status)
    return df


# ---------------------------------------------------------------- one area


def _area_ids(engine: Engine, area_key: str) -> list[int]:
    """The ids of an area, or of a programme total's member areas; KeyError when unknown."""
    keys = (programme_members(engine).get(area_key, []) if total_programme(area_key) is not None
            else [area_key])
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Area.id).where(Area.key.in_(keys))))
    if not ids:
        raise KeyError(f"Onbekend gebied '{area_key}'.")
    return ids


def area_profile(engine: Engine, role: Role, area_key: str) -> dict[str, Any]:
    """One area (or a programme total: all its areas) at a glance: its projects, coaches and
    kernteams, and the interventions in the area (a total has none of its own)."""
    require(role, Permission.VIEW_INTERNAL)
    ids = _area_ids(engine, area_key)
    projects = _frame(engine, select(Project.code, Project.name, Project.status, Project.health,
                                     Project.started_on)
                      .where(Project.id.in_(select(ProjectArea.project_id)
                                            .where(ProjectArea.area_id.in_(ids))),
                             Project.deleted.is_(False))
                      .order_by(Project.code))
    for col in ("status", "health"):
        projects[col] = projects[col].map(_status)
    today = product_settings.today(engine)  # the demo's as-of date with demo data
    coaches = _frame(engine, select(Coach.code, Coach.fte, Coach.started_on, Coach.ended_on)
                     .where(Coach.area_id.in_(ids)).order_by(Coach.code))
    coaches = coaches[coaches["ended_on"].isna() | (coaches["ended_on"] >= today)]
    kernteams = _frame(engine, select(Kernteam.id, Kernteam.code, Kernteam.name, Kernteam.practice,
                                      Kernteam.started_on)
                       .where(Kernteam.area_id.in_(ids)).order_by(Kernteam.code))
    interventions = _frame(engine, select(Intervention.label, Intervention.started_on)
                           .where(or_(Intervention.area_id == ids[0],
                                      Intervention.kernteam_id.in_(kernteams["id"].tolist())),
                                  total_programme(area_key) is None)
                           .distinct().order_by(Intervention.started_on))
    return {"projects": projects, "coaches": coaches.reset_index(drop=True),
            "kernteams": kernteams.drop(columns="id"), "interventions": interventions}


def survey_scores(engine: Engine, role: Role, area_key: str) -> pd.DataFrame:
    """Positive Health mean scores per wave and dimension for the area and the reference (ZL).
    A programme total's score is its areas' scores weighted by their residents
    (``weighted_mean``), for the waves every one of its areas took part in."""
    require(role, Permission.VIEW_INTERNAL)
    cols = (SurveyScore.wave, SurveyScore.year, SurveyScore.dimension, SurveyScore.mean_score,
            SurveyScore.n_respondents)
    ids = _area_ids(engine, area_key)
    area = _frame(engine, select(Area.key.label("area_key"), *cols)
                  .join(Area, Area.id == SurveyScore.area_id).where(Area.id.in_(ids)))
    if len(ids) > 1 and len(area):
        residents = area_values(engine, role, "inwoners")
        latest = residents[residents["status"] == "ok"].sort_values("period_start")
        population = latest.groupby("area_key")["value"].last()
        rows = [{"wave": wave, "year": year, "dimension": dim,
                 "mean_score": weighted_mean(list(g["mean_score"]),
                                             list(g["area_key"].map(population))),
                 "n_respondents": int(g["n_respondents"].sum())}
                for (wave, year, dim), g in area.groupby(["wave", "year", "dimension"])
                if len(g) == len(ids)]  # every area measured, or no total for the wave
        area = pd.DataFrame(rows, columns=[c.key for c in cols]).dropna(subset=["mean_score"])
    area = area.drop(columns="area_key", errors="ignore")
    area["who"] = "gebied"
    ref = _frame(engine, select(*cols, SurveyScore.region_code)
                 .where(SurveyScore.region_code.is_not(None)))
    ref["who"] = ref.pop("region_code").map(lambda c: REFERENCE_LABELS.get(c, c))
    return pd.concat([area, ref], ignore_index=True)


QUERIES_GEO = {f.__name__: f for f in (map_layers, indicators, area_values, reference_values,
                                       area_profile, survey_scores)}
