"""Data access for the map, area profile and indicator catalogue (registered in ``QUERIES``).

Like ``dashboard.store.queries``: plain functions ``(engine, role, **params)`` that check the
role first and return DataFrames or plain dicts; no Streamlit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, func, or_, select

from dashboard.domain.aggregation import aggregate_parts
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
from geo.registry import NO_PARTS_TEXT, AreaSpec

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
        row = conn.execute(select(Indicator.id, Indicator.is_rate, Indicator.multiplier)
                           .where(Indicator.key == indicator_key)).first()
    if row is None:
        raise KeyError(f"Onbekende indicator '{indicator_key}'.")
    return {"id": row.id, "is_rate": row.is_rate, "multiplier": row.multiplier}


def area_values(engine: Engine, role: Role, indicator_key: str,
                area_key: str | None = None) -> pd.DataFrame:
    """Values per area and period: stored area values, else aggregated from CBS-part values.
    With ``area_key``, one area's values only (Wijkprofiel: one area of thousands).

    ``lower``/``upper`` hold a stored 95% interval (model estimates); an area of one part
    keeps its part's interval, an aggregate of several parts has none."""
    require(role, Permission.VIEW_INTERNAL)
    meta = _indicator_meta(engine, indicator_key)
    cols = (IndicatorValue.period, IndicatorValue.period_start, IndicatorValue.value,
            IndicatorValue.numerator, IndicatorValue.denominator, IndicatorValue.lower,
            IndicatorValue.upper, IndicatorValue.status, IndicatorValue.note)
    direct = _frame(engine, select(Area.key.label("area_key"), *cols)
                    .join(Area, Area.id == IndicatorValue.area_id)
                    .where(IndicatorValue.indicator_id == meta["id"],
                           *([Area.key == area_key] if area_key else [])))
    direct["status"] = direct["status"].map(_status)
    direct["origin"] = "gebied"
    parts = _frame(engine, select(Area.key.label("area_key"), AreaPart.cbs_code)
                   .join(Area, Area.id == AreaPart.area_id)
                   .where(*([Area.key == area_key] if area_key else [])))
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
    out = pd.concat([direct, pd.DataFrame(rows)], ignore_index=True) if rows else direct
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


def area_profile(engine: Engine, role: Role, area_key: str) -> dict[str, Any]:
    """One area at a glance: its projects, coaches and kernteams, and interventions."""
    require(role, Permission.VIEW_INTERNAL)
    with engine.connect() as conn:
        area_id = conn.scalar(select(Area.id).where(Area.key == area_key))
    if area_id is None:
        raise KeyError(f"Onbekend gebied '{area_key}'.")
    projects = _frame(engine, select(Project.code, Project.name, Project.status, Project.health,
                                     Project.started_on)
                      .join(ProjectArea, ProjectArea.project_id == Project.id)
                      .where(ProjectArea.area_id == area_id, Project.deleted.is_(False))
                      .order_by(Project.code))
    for col in ("status", "health"):
        projects[col] = projects[col].map(_status)
    today = product_settings.today(engine)  # the demo's as-of date with demo data
    coaches = _frame(engine, select(Coach.code, Coach.fte, Coach.started_on, Coach.ended_on)
                     .where(Coach.area_id == area_id).order_by(Coach.code))
    coaches = coaches[coaches["ended_on"].isna() | (coaches["ended_on"] >= today)]
    kernteams = _frame(engine, select(Kernteam.id, Kernteam.code, Kernteam.name, Kernteam.practice,
                                      Kernteam.started_on)
                       .where(Kernteam.area_id == area_id).order_by(Kernteam.code))
    interventions = _frame(engine, select(Intervention.label, Intervention.started_on)
                           .where(or_(Intervention.area_id == area_id,
                                      Intervention.kernteam_id.in_(kernteams["id"].tolist())))
                           .distinct().order_by(Intervention.started_on))
    return {"projects": projects, "coaches": coaches.reset_index(drop=True),
            "kernteams": kernteams.drop(columns="id"), "interventions": interventions}


def survey_scores(engine: Engine, role: Role, area_key: str) -> pd.DataFrame:
    """Positive Health mean scores per wave and dimension for the area and the reference (ZL)."""
    require(role, Permission.VIEW_INTERNAL)
    cols = (SurveyScore.wave, SurveyScore.year, SurveyScore.dimension, SurveyScore.mean_score,
            SurveyScore.n_respondents)
    area = _frame(engine, select(*cols).join(Area, Area.id == SurveyScore.area_id)
                  .where(Area.key == area_key))
    area["who"] = "gebied"
    ref = _frame(engine, select(*cols, SurveyScore.region_code)
                 .where(SurveyScore.region_code.is_not(None)))
    ref["who"] = ref.pop("region_code").map(lambda c: REFERENCE_LABELS.get(c, c))
    return pd.concat([area, ref], ignore_index=True)


QUERIES_GEO = {f.__name__: f for f in (map_layers, indicators, area_values, reference_values,
                                       area_profile, survey_scores)}
