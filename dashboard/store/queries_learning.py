"""Data access for the learning network: decisions with their evidence, the casussenboek,
and the public key figures after disclosure control.

Every function checks the role first. Public functions apply ``dashboard.domain.disclosure``
*before* returning, so an unsuppressed figure never leaves this module for a public page
(nor sits in a cache entry; ``ui.load`` keys entries by role as well).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from dashboard.domain import disclosure
from dashboard.domain.disclosure import CellState
from dashboard.domain.evidence import chart_for_indicator
from dashboard.domain.i18n import fmt_number
from dashboard.domain.kernteams import METRICS as KERNTEAM_METRICS
from dashboard.domain.roles import Permission, Role, require
from data_loaders.db import read_frame as _frame
from data_loaders.models import (
    Area,
    Case,
    Decision,
    DecisionArea,
    DecisionCase,
    DecisionEvidence,
    Indicator,
    IndicatorValue,
    Intervention,
    Kernteam,
    KernteamQuarter,
    Programme,
    Project,
    ValueStatus,
)

# ---------------------------------------------------------------- internal


def decisions(engine: Engine, role: Role) -> pd.DataFrame:
    """Every decision (not deleted) with programme, project, areas and evidence/case counts."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Decision.id, Programme.key.label("programme_key"),
               Programme.name.label("programme"), Decision.subject_type,
               Decision.subject, Project.code.label("project_code"), Decision.outcome,
               Decision.decided_on, Decision.body, Decision.rationale, Decision.expected_effect,
               Decision.review_on, Decision.status, Decision.published, Decision.public_summary)
        .join(Programme, Programme.id == Decision.programme_id)
        .outerjoin(Project, Project.id == Decision.project_id)
        .where(Decision.deleted.is_(False))
        .order_by(Decision.decided_on.desc())
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    df["status"] = df["status"].map(lambda s: s.value)
    areas = _frame(engine, select(DecisionArea.decision_id, Area.key, Area.name)
                   .join(Area, Area.id == DecisionArea.area_id).order_by(Area.name))
    names = areas.groupby("decision_id")["name"].agg(list)
    keys = areas.groupby("decision_id")["key"].agg(list)
    df["areas"] = df["id"].map(lambda i: names.get(i, []))  # names, for display
    df["area_keys"] = df["id"].map(lambda i: keys.get(i, []))  # keys, for filters and links
    for name, model in (("evidence", DecisionEvidence), ("cases", DecisionCase)):
        n = _frame(engine, select(model.decision_id, func.count().label("n"))
                   .group_by(model.decision_id)).set_index("decision_id")["n"]
        df[f"n_{name}"] = df["id"].map(n).fillna(0).astype(int)
    return df


def decision_evidence(engine: Engine, role: Role, decision_id: int) -> pd.DataFrame:
    """All points of the series linked to one decision, one row per series and period.

    Columns: series_id, label, where, unit, chart, multiplier, is_comparison, period,
    period_start, value, numerator, denominator, status, polarity, expected_direction (the
    decision's own omlaag/omhoog, else None: the polarity decides).
    """
    require(role, Permission.VIEW_INTERNAL)
    links = _frame(engine, select(DecisionEvidence.id, DecisionEvidence.indicator_id,
                                  DecisionEvidence.area_id, DecisionEvidence.kernteam_id,
                                  DecisionEvidence.metric, DecisionEvidence.is_comparison,
                                  DecisionEvidence.expected_direction)
                   .where(DecisionEvidence.decision_id == decision_id)
                   .order_by(DecisionEvidence.id))
    frames = []
    for link in links.itertuples():
        if pd.notna(link.indicator_id) and pd.notna(link.area_id):
            stmt = (
                select(Indicator.label, Indicator.unit, Indicator.is_rate, Indicator.multiplier,
                       Indicator.polarity, Area.name.label("where"), IndicatorValue.period,
                       IndicatorValue.period_start, IndicatorValue.value,
                       IndicatorValue.numerator, IndicatorValue.denominator,
                       IndicatorValue.status)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(Area, Area.id == IndicatorValue.area_id)
                .where(IndicatorValue.indicator_id == int(link.indicator_id),
                       IndicatorValue.area_id == int(link.area_id))
            )
            df = _frame(engine, stmt)
            if df.empty:
                continue
            first = df.iloc[0]
            df["chart"] = chart_for_indicator(first["unit"], bool(first["is_rate"]),
                                              float(first["multiplier"]))
            df = df.drop(columns=["is_rate"])
        elif pd.notna(link.kernteam_id) and link.metric in KERNTEAM_METRICS:
            metric = KERNTEAM_METRICS[link.metric]
            column = getattr(KernteamQuarter, metric.numerator)
            stmt = (
                select((Kernteam.name + " (" + Kernteam.code + ")").label("where"),
                       KernteamQuarter.quarter.label("period"),
                       KernteamQuarter.quarter_start.label("period_start"),
                       column.label("numerator"),
                       KernteamQuarter.frail_elderly.label("denominator"))
                .join(Kernteam, Kernteam.id == KernteamQuarter.kernteam_id)
                .where(KernteamQuarter.kernteam_id == int(link.kernteam_id))
            )
            df = _frame(engine, stmt)
            if df.empty:
                continue
            df["value"] = df["numerator"] / df["denominator"] * metric.multiplier
            df["status"] = ValueStatus.OK
            df = df.assign(label=metric.label, unit=metric.unit, chart=metric.chart,
                           multiplier=metric.multiplier, polarity=metric.polarity)
        else:
            continue
        df["series_id"] = int(link.id)
        df["is_comparison"] = bool(link.is_comparison)
        df["expected_direction"] = link.expected_direction if isinstance(
            link.expected_direction, str) and link.expected_direction else None
        frames.append(df)
    columns = ["series_id", "label", "where", "unit", "chart", "multiplier", "is_comparison",
               "period", "period_start", "value", "numerator", "denominator", "status", "polarity",
               "expected_direction"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    out["status"] = out["status"].map(lambda s: s.value)
    out["polarity"] = out["polarity"].map(lambda p: getattr(p, "value", p))
    out["period_start"] = pd.to_datetime(out["period_start"])
    return out.sort_values(["series_id", "period_start"]).reset_index(drop=True)


def decision_interventions(engine: Engine, role: Role, decision_id: int) -> pd.DataFrame:
    """Interventions in the areas or kernteams of a decision's series (series_id, date, label)."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(DecisionEvidence.id.label("series_id"), Intervention.started_on, Intervention.label)
        .join(Intervention, or_(
            and_(DecisionEvidence.area_id.is_not(None),
                 Intervention.area_id == DecisionEvidence.area_id),
            and_(DecisionEvidence.kernteam_id.is_not(None),
                 Intervention.kernteam_id == DecisionEvidence.kernteam_id)))
        .where(DecisionEvidence.decision_id == decision_id)
        .order_by(Intervention.started_on)
    )
    return _frame(engine, stmt)


def decision_case_links(engine: Engine, role: Role) -> pd.DataFrame:
    """Which decision used which case (decision id, subject, outcome, date; case code, title)."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Decision.id.label("decision_id"), Decision.subject, Decision.outcome,
               Decision.decided_on, Case.id.label("case_id"), Case.code, Case.title)
        .join(DecisionCase, DecisionCase.decision_id == Decision.id)
        .join(Case, Case.id == DecisionCase.case_id)
        .where(Decision.deleted.is_(False), Case.deleted.is_(False))
        .order_by(Decision.decided_on, Case.code)
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    return df


def cases(engine: Engine, role: Role) -> pd.DataFrame:
    """The casussenboek: every case (not deleted) with area and programme."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Case.id, Case.code, Case.title, Case.summary, Case.knelpunt, Case.domains,
               Case.lessons, Case.publishable, Case.recorded_on, Area.name.label("area"),
               Programme.name.label("programme"))
        .outerjoin(Area, Area.id == Case.area_id)
        .outerjoin(Programme, Programme.id == Area.programme_id)
        .where(Case.deleted.is_(False))
        .order_by(Case.recorded_on.desc())
    )
    df = _frame(engine, stmt)
    df["domains"] = df["domains"].map(lambda ds: list(ds or []))
    return df


# ---------------------------------------------------------------- public


def published_lesson_cases(engine: Engine, role: Role) -> pd.DataFrame:
    """Publishable cases used by published decisions (decision id, case code and title)."""
    require(role, Permission.VIEW_PUBLIC)
    stmt = (
        select(Decision.id.label("decision_id"), Case.code, Case.title, Case.lessons)
        .join(DecisionCase, DecisionCase.decision_id == Decision.id)
        .join(Case, Case.id == DecisionCase.case_id)
        .where(Decision.published.is_(True), Decision.deleted.is_(False),
               Decision.public_summary != "", Case.publishable.is_(True),
               Case.deleted.is_(False))
        .order_by(Case.code)
    )
    return _frame(engine, stmt)


PUBLIC_INDICATOR_COLUMNS = ["indicator_key", "indicator", "definition", "source", "unit",
                            "programme", "area", "is_total", "period", "count_text",
                            "count_state", "rate", "rate_text", "rate_state"]


def public_indicators(engine: Engine, role: Role) -> pd.DataFrame:
    """Latest value per area of every public indicator, after disclosure control.

    Per indicator and programme, the counts (numerators) of its areas and their programme
    total form a table that is protected as a whole (``disclosure.protect_table``: small
    counts hidden, the total hidden when it adds up a hidden count, rounding to 5). A rate
    is shown only when its count is shown, so a hidden count cannot be recovered from a
    rate either, and ``rate`` is the rounded figure of ``rate_text``. Numerators,
    denominators and unrounded values are not returned: only what is published leaves
    this function.
    """
    require(role, Permission.VIEW_PUBLIC)
    # The newest value per indicator and area, found in one pass (a window, joined back on
    # the primary key): a join on (indicator, area, max period) cannot use the unique
    # index, whose columns are expressions, and scanned an indicator's values per area.
    newest = (
        select(IndicatorValue.id, func.row_number().over(
            partition_by=(IndicatorValue.indicator_id, IndicatorValue.area_id),
            order_by=IndicatorValue.period.desc()).label("position"))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.is_public.is_(True), IndicatorValue.area_id.is_not(None))
        .subquery()
    )
    stmt = (
        select(Indicator.key.label("indicator_key"), Indicator.label.label("indicator"),
               Indicator.definition, Indicator.source, Indicator.unit, Indicator.is_rate,
               Indicator.multiplier, Programme.name.label("programme"), Area.name.label("area"),
               IndicatorValue.period, IndicatorValue.value, IndicatorValue.numerator,
               IndicatorValue.denominator, IndicatorValue.status)
        .join(newest, and_(newest.c.id == IndicatorValue.id, newest.c.position == 1))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Area, Area.id == IndicatorValue.area_id)
        .join(Programme, Programme.id == Area.programme_id)
        .order_by(Indicator.id, Programme.started_on, Area.name)
    )
    raw = _frame(engine, stmt)
    rows: list[dict[str, object]] = []
    for (_key, programme), df in raw.groupby(["indicator_key", "programme"], sort=False):
        rows += _disclose_group(df, programme)
    return pd.DataFrame(rows, columns=PUBLIC_INDICATOR_COLUMNS)


def _disclose_group(df: pd.DataFrame, programme: str) -> list[dict[str, object]]:
    """Disclose one indicator's latest values in one programme's areas, plus the total."""
    first = df.iloc[0]
    is_rate, multiplier = bool(first["is_rate"]), float(first["multiplier"])
    stored_suppressed = df["status"] == ValueStatus.SUPPRESSED
    counts = (df["numerator"] if is_rate else df["value"]).where(~stored_suppressed)
    usable = counts.notna()
    # Values already suppressed at the source count as hidden; the rest is protected together.
    table = disclosure.protect_table(
        pd.DataFrame({"n": counts[usable].to_numpy()}, index=df.index[usable]),
        row_totals=False, col_totals=True)
    if (~usable).any():
        # The total would include unknown counts: it is not published.
        table.state.loc[disclosure.TOTAL, "n"] = CellState.MISSING
        table.shown.loc[disclosure.TOTAL, "n"] = float("nan")
    base = {k: first[k] for k in ("indicator_key", "indicator", "definition", "source", "unit")}
    cells = _cells(table)
    out = []
    # Plain Python rows: per-row pandas indexing took ~35 s for 14,000 areas (bench/).
    rows = df[["area", "period", "numerator", "denominator"]].to_dict("records")
    for i, row, suppressed, known in zip(df.index, rows,
                                         stored_suppressed.to_numpy(), usable.to_numpy(),
                                         strict=True):
        if suppressed:
            count = disclosure.Disclosed(None, CellState.SUPPRESSED, small=True)
        elif not known:
            count = disclosure.Disclosed(None, CellState.MISSING)
        else:
            count = cells[i]
        rate = _rate(count, row["numerator"], row["denominator"], multiplier) if is_rate else None
        out.append({**base, "programme": programme, "area": row["area"], "is_total": False,
                    "period": row["period"], **_columns(count, rate)})
    total = cells[disclosure.TOTAL]
    total_rate = None
    if is_rate:
        num, den = df["numerator"].sum(), df["denominator"].sum()
        total_rate = _rate(total, num, den, multiplier)
    out.append({**base, "programme": programme, "area": f"{disclosure.TOTAL} {programme}",
                "is_total": True, "period": df["period"].max(), **_columns(total, total_rate)})
    return out


def _cells(table: disclosure.ProtectedTable) -> dict[object, disclosure.Disclosed]:
    """Every cell of the one-column protected table, by row index."""
    state, shown = table.state["n"].to_dict(), table.shown["n"].to_dict()
    small = table.small["n"].to_dict()
    return {i: disclosure.Disclosed(None if pd.isna(shown[i]) else float(shown[i]), state[i],
                                    small=bool(small[i])) for i in state}


def _rate(count: disclosure.Disclosed, numerator: float, denominator: float,
          multiplier: float) -> disclosure.Disclosed:
    if count.state is not CellState.SHOWN:  # a hidden count hides its rate
        return disclosure.Disclosed(None, count.state, small=count.small)
    return disclosure.disclose_rate(numerator, denominator, multiplier)


def _columns(count: disclosure.Disclosed, rate: disclosure.Disclosed | None) -> dict[str, object]:
    out: dict[str, object] = {"count_text": count.text(), "count_state": count.state.value}
    if rate is None:
        out.update(rate=None, rate_text="", rate_state="")
    else:
        out.update(rate=rate.value, rate_text=rate.text(disclosure.RATE_DECIMALS),
                   rate_state=rate.state.value)
    return out


def public_references(engine: Engine, role: Role) -> pd.DataFrame:
    """The comparison next to the public key figures: each public indicator's latest value
    for Nederland and for the municipalities of the programme areas, as their source
    publishes them (whole municipalities and the country, no small counts). Only the
    rounded text leaves this function: indicator_key, region, period, value_text."""
    require(role, Permission.VIEW_PUBLIC)
    with engine.connect() as conn:
        towns = dict(conn.execute(select(Area.municipality_code, Area.municipality_name)
                                  .where(Area.active.is_(True)).distinct()).all())
    names = {"NL": "Nederland", **{code: f"gemeente {name}" for code, name in towns.items()}}
    latest = (
        select(IndicatorValue.indicator_id, IndicatorValue.region_code,
               func.max(IndicatorValue.period).label("period"))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.is_public.is_(True), IndicatorValue.region_code.in_(list(names)),
               IndicatorValue.status == ValueStatus.OK)
        .group_by(IndicatorValue.indicator_id, IndicatorValue.region_code)
        .subquery()
    )
    raw = _frame(engine, select(
        Indicator.key.label("indicator_key"), IndicatorValue.region_code,
        IndicatorValue.period, IndicatorValue.value)
        .join(latest, and_(latest.c.indicator_id == IndicatorValue.indicator_id,
                           latest.c.region_code == IndicatorValue.region_code,
                           latest.c.period == IndicatorValue.period))
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(IndicatorValue.status == ValueStatus.OK)
        .order_by(Indicator.id, IndicatorValue.region_code))
    order = {key: i for i, key in enumerate(dict.fromkeys(raw["indicator_key"]))}
    rows = sorted(  # catalogue order; Nederland first, then the municipalities by name
        ({"indicator_key": r.indicator_key, "region": names[r.region_code],
          "period": r.period, "value_text": fmt_number(r.value, disclosure.RATE_DECIMALS)}
         for r in raw.itertuples()),
        key=lambda r: (order[r["indicator_key"]], r["region"] != "Nederland", r["region"]))
    return pd.DataFrame(rows, columns=["indicator_key", "region", "period", "value_text"])


QUERIES = {
    f.__name__: f
    for f in (decisions, decision_evidence, decision_interventions, decision_case_links, cases,
              published_lesson_cases, public_indicators, public_references)
}
