"""Programme monitoring: projects, welzijnscoach caseloads, kernteam results and budgets.

Pure pandas functions without Streamlit, fed by the frames of
``dashboard.store.queries_monitoring``. Rates are always recomputed from summed counts,
never averaged. SPC verdicts come from ``dashboard.domain.spc`` (the one owner of the rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.domain import spc, verdicts
from dashboard.domain.i18n import fmt_date
from dashboard.domain.vocab import DOMAINS, ProjectHealth, ProjectStatus, values

# ---------------------------------------------------------------- filters (URL values)


@dataclass(frozen=True)
class Filters:
    """Programme (key or None for all) and areas (keys; empty = all areas)."""

    programme: str | None = None
    areas: tuple[str, ...] = ()


def clean_choice(value: object, allowed: Iterable[str]) -> str | None:
    """A value read from the URL, kept only when it is one of ``allowed``."""
    return value if isinstance(value, str) and value in set(allowed) else None


def clean_choices(values: Iterable[object], allowed: Iterable[str]) -> list[str]:
    """URL values kept only when allowed, without duplicates, in their original order."""
    ok = set(allowed)
    out: list[str] = []
    for v in values:
        if isinstance(v, str) and v in ok and v not in out:
            out.append(v)
    return out


def parse_filters(programme: object, areas: Iterable[object],
                  area_programmes: Mapping[str, str]) -> Filters:
    """Validate URL values: unknown programmes and areas are ignored, and so are areas
    outside the chosen programme. ``area_programmes`` maps area key -> programme key."""
    prog = clean_choice(programme, set(area_programmes.values()))
    allowed = [a for a, p in area_programmes.items() if prog is None or p == prog]
    return Filters(prog, tuple(clean_choices(areas, allowed)))


def apply_filters(df: pd.DataFrame, filters: Filters, *, programme_col: str = "programme_key",
                  area_col: str = "area_key") -> pd.DataFrame:
    """Rows of the chosen programme and areas. ``area_col`` may hold one key or a list."""
    mask = pd.Series(True, index=df.index)
    if filters.programme and programme_col in df:
        mask &= df[programme_col] == filters.programme
    if filters.areas and area_col in df:
        wanted = set(filters.areas)
        mask &= df[area_col].map(
            lambda v: bool(wanted & set(v)) if isinstance(v, list) else v in wanted)
    return df[mask]


# ---------------------------------------------------------------- projects

OVERDUE = "over tijd"
DONE = "behaald"
PLANNED = "gepland"
STATUS_ORDER = values(ProjectStatus)
HEALTH_ORDER = values(ProjectHealth)
MIN_DOMAINS = 2


def validate_domains(domains: Sequence[str]) -> list[str]:
    """Dutch errors for a project's domains: known domains only, at least two different."""
    errors = [f"Onbekend domein '{d}'; kies uit {', '.join(DOMAINS)}." for d in domains
              if d not in DOMAINS]
    if len(set(domains) & set(DOMAINS)) < MIN_DOMAINS:
        errors.append(f"Een project moet minstens {MIN_DOMAINS} domeinen overstijgen.")
    return errors


def milestone_status(milestones: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Add ``state``: behaald (done), over tijd (due before ``as_of`` and not done), gepland."""
    df = milestones.copy()
    done = df["done_on"].notna()
    overdue = ~done & (pd.to_datetime(df["due_on"]) < pd.Timestamp(as_of))
    df["state"] = np.where(done, DONE, np.where(overdue, OVERDUE, PLANNED))
    df["overdue"] = overdue
    return df


def project_overview(projects: pd.DataFrame, milestones: pd.DataFrame,
                     as_of: dt.date) -> pd.DataFrame:
    """One row per project with milestone counts, overdue milestones and the next due date."""
    ms = milestone_status(milestones, as_of)
    grouped = ms.groupby("project_code")
    df = projects.copy()
    df["milestones"] = df["code"].map(grouped.size()).fillna(0).astype(int)
    df["milestones_done"] = df["code"].map(grouped["state"].agg(lambda s: (s == DONE).sum())) \
        .fillna(0).astype(int)
    df["overdue"] = df["code"].map(grouped["overdue"].sum()).fillna(0).astype(int)
    upcoming = ms[ms["state"] != DONE].groupby("project_code")["due_on"].min()
    df["next_due"] = df["code"].map(upcoming)
    df["domain_count"] = df["domains"].map(lambda d: len(set(d)))
    df["domains_text"] = df["domains"].map(", ".join)
    df["areas_text"] = df["areas"].map(", ".join)
    return df


def gantt_frame(projects: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Bars from start to end (a project without an end date runs until ``as_of``)."""
    df = projects[["code", "name", "programme", "status", "health", "started_on", "ends_on"]].copy()
    df = df[df["started_on"].notna()]
    df["end"] = df["ends_on"].where(df["ends_on"].notna(), as_of)
    df["label"] = df["code"] + " " + df["name"]
    return df.rename(columns={"started_on": "start"})


# ---------------------------------------------------------------- kernteams


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    short: str  # axis title: fits the height of a chart
    numerator: str
    denominator: str
    chart: Literal["p", "u"]
    multiplier: float
    unit: str
    lower_is_better: bool


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("admissions", "Ziekenhuisopnames per 1.000 kwetsbare ouderen", "Opnames per 1.000",
           "admissions", "frail_elderly", "u", 1000.0, "per 1.000", True),
    Metric("ed_visits", "SEH-bezoeken per 1.000 kwetsbare ouderen", "SEH-bezoeken per 1.000",
           "ed_visits", "frail_elderly", "u", 1000.0, "per 1.000", True),
    Metric("readmissions", "Heropnames per 1.000 kwetsbare ouderen", "Heropnames per 1.000",
           "readmissions", "frail_elderly", "u", 1000.0, "per 1.000", True),
    Metric("falls", "Valincidenten per 1.000 kwetsbare ouderen", "Valincidenten per 1.000",
           "falls", "frail_elderly", "u", 1000.0, "per 1.000", True),
    Metric("with_care_plan", "Kwetsbare ouderen met proactief zorgplan (%)", "Met zorgplan (%)",
           "with_care_plan", "frail_elderly", "p", 100.0, "%", False),
    Metric("discussed_mdo", "Besproken in multidisciplinair overleg (%)", "Besproken in MDO (%)",
           "discussed_mdo", "frail_elderly", "p", 100.0, "%", False),
)}
Method = Literal["baseline", "phases"]
METHODS: dict[str, str] = {
    "baseline": "Basislijn bevriezen tot de interventie",
    "phases": "Nieuwe fase vanaf de interventie",
}


def team_series(quarters: pd.DataFrame, team: str) -> pd.DataFrame:
    """One team's quarters in time order (rows with a positive denominator)."""
    df = quarters[(quarters["team"] == team) & (quarters["frail_elderly"] > 0)]
    return df.sort_values("quarter_start").reset_index(drop=True)


def analyse_team(series: pd.DataFrame, metric: Metric, intervention_dates: Sequence[dt.date],
                 method: Method = "baseline") -> spc.SeriesAnalysis:
    """P- or U-chart of one team's metric. An intervention either freezes the baseline
    (centre and limits from the quarters before it) or starts a new phase."""
    splits = spc.split_indices(list(series["quarter_start"]), list(intervention_dates))
    kwargs: dict[str, object] = {}
    if splits and method == "baseline":
        kwargs["baseline"] = splits[0]
    elif splits:
        kwargs["splits"] = splits
    return spc.analyse(list(series[metric.numerator]), chart=metric.chart,
                       denominators=list(series[metric.denominator]),
                       multiplier=metric.multiplier, **kwargs)  # type: ignore[arg-type]


def _direction(analysis: spc.SeriesAnalysis) -> str:
    """The side of the latest flagged point (``verdicts.signal_side``): daling (below the
    centre line) or stijging (above); a signal of too few crossings has no side."""
    side = verdicts.signal_side(analysis)
    return {"laag": "daling", "hoog": "stijging"}.get(side or "", "patroon")


def team_verdicts(quarters: pd.DataFrame, interventions: pd.DataFrame,
                  metrics: Iterable[str] = tuple(METRICS),
                  method: Method = "baseline") -> pd.DataFrame:
    """Verdict per team and metric: points, flagged points, direction, latest value, centre."""
    rows = []
    for team, group in quarters.groupby("team", sort=True):
        series = team_series(group, str(team))
        if series.empty:
            continue
        dates = list(interventions.loc[interventions["team"] == team, "started_on"])
        for key in metrics:
            metric = METRICS[key]
            a = analyse_team(series, metric, dates, method)
            signal = a.verdict == spc.SIGNAL
            rows.append({
                "team": team, "area": series["area"].iloc[0], "metric": key,
                "metric_label": metric.label, "verdict": a.verdict, "points": a.n,
                "signal_points": int(sum(a.signal_points)),
                "direction": _direction(a) if signal else "",
                "favourable": (signal and ((_direction(a) == "daling") == metric.lower_is_better)),
                "latest": a.values[-1], "centre": a.centre[-1],
                "intervention": ", ".join(fmt_date(d) for d in dates),
            })
    return pd.DataFrame(rows, columns=["team", "area", "metric", "metric_label", "verdict",
                                       "points", "signal_points", "direction", "favourable",
                                       "latest", "centre", "intervention"])


def signal_list(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Teams with a signal, the most flagged points first."""
    df = verdicts[verdicts["verdict"] == spc.SIGNAL]
    return df.sort_values(["metric", "signal_points"], ascending=[True, False]) \
        .reset_index(drop=True)


def recent_quarters(quarters: pd.DataFrame, n: int = 4) -> list[str]:
    return sorted(quarters["quarter"].unique())[-n:]


def funnel_frame(quarters: pd.DataFrame, metric: Metric,
                 period: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comparison across teams accounting for team size: each team's rate over ``period``
    against the pooled rate, with 2σ and 3σ funnel limits at its own denominator.

    Returns (teams, curve): teams with ``position`` boven/binnen/onder the 3σ limits,
    and the funnel curve over the range of denominators for drawing.
    """
    df = quarters[quarters["quarter"].isin(period)]
    teams = (df.groupby(["team", "area"], as_index=False)
             .agg(numerator=(metric.numerator, "sum"), denominator=(metric.denominator, "sum")))
    teams = teams[teams["denominator"] > 0].reset_index(drop=True)
    if teams.empty:
        return teams, pd.DataFrame()
    pooled = teams["numerator"].sum() / teams["denominator"].sum()
    teams["rate"] = teams["numerator"] / teams["denominator"] * metric.multiplier
    teams["pooled"] = pooled * metric.multiplier
    limits = spc.funnel_limits(pooled, teams["denominator"], metric.multiplier, metric.chart)
    teams = pd.concat([teams, limits.drop(columns="denominator")], axis=1)
    teams["position"] = np.where(teams["rate"] > teams["upper3"], "boven",
                                 np.where(teams["rate"] < teams["lower3"], "onder", "binnen"))
    lo, hi = teams["denominator"].min(), teams["denominator"].max()
    grid = np.linspace(max(lo * 0.8, 1.0), hi * 1.1, 60)
    curve = spc.funnel_limits(pooled, grid, metric.multiplier, metric.chart)
    curve["pooled"] = pooled * metric.multiplier
    return teams, curve


# ---------------------------------------------------------------- budgets (ontschotting)

INSURERS = ("VGZ", "CZ")


def budget_by(budgets: pd.DataFrame, by: Literal["financier", "law"]) -> pd.DataFrame:
    """Pooled budget per year and financier (or law), with its share of the year's total."""
    df = budgets.groupby(["year", by], as_index=False)["amount_eur"].sum()
    df["share_pct"] = df["amount_eur"] / df.groupby("year")["amount_eur"].transform("sum") * 100
    return df.sort_values(["year", by]).reset_index(drop=True)


def insurer_share(budgets: pd.DataFrame) -> pd.DataFrame:
    """Per year the share of health-insurer money (Zvw, VGZ and CZ) in the pooled budget:
    how "geld volgt zorg" shifts the mix."""
    df = budgets.assign(insurer=budgets["financier"].isin(INSURERS))
    total = df.groupby("year")["amount_eur"].sum()
    ins = df[df["insurer"]].groupby("year")["amount_eur"].sum().reindex(total.index, fill_value=0)
    return pd.DataFrame({"year": total.index, "total_eur": total.values,
                         "insurer_eur": ins.values,
                         "insurer_share_pct": (ins / total * 100).values})


def spending_by(spending: pd.DataFrame, by: Literal["area", "project", "law"]) -> pd.DataFrame:
    """Spending summed per area, project or law (rows without one are 'niet toegewezen')."""
    df = spending.assign(**{by: spending[by].fillna("niet toegewezen")})
    return (df.groupby(by, as_index=False)["amount_eur"].sum()
            .sort_values("amount_eur", ascending=False).reset_index(drop=True))
