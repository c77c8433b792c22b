"""Welzijnscoaches: caseload against the norm, capacity, overload, inflow and outflow,
and run charts of the monthly totals.

The one owner of the capacity rule (capacity = fte × norm per fte, a setting; a coach,
area or programme above 100% of its capacity is overloaded). Figures of one month are
those of the latest *complete* month (every expected coach delivered,
``monitoring.deliveries``), so a month that only some coaches have delivered is never
shown or compared as if complete. Pure pandas functions of the monthly coach frame
(``dashboard.store.queries_monitoring.coach_months``); no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.domain import spc, verdicts
from dashboard.domain.i18n import fmt_month
from dashboard.domain.monitoring import Delivery, deliveries, latest_complete, pending
from dashboard.domain.vocab import Polarity

REFERRERS = {"new_huisarts": "huisarts", "new_wijkteam": "wijkteam", "new_zelf": "zelf",
             "new_overig": "overig"}
OUTCOMES = {"closed_goal_reached": "doel bereikt", "closed_referred": "doorverwezen",
            "closed_dropped_out": "uitgevallen"}
OVERLOAD_PCT = 100.0
UNITS = "coaches"  # what "27 van 30 coaches aangeleverd" counts


def month_deliveries(months: pd.DataFrame) -> list[Delivery]:
    """Per month: how many of the expected coaches delivered (a coach is expected from
    its first delivered month up to its end date)."""
    return deliveries(months, unit="coach", period="month",
                      ended="ended_on" if "ended_on" in months else None)


def latest_month(months: pd.DataFrame) -> dt.date | None:
    """The latest complete month (the latest month when none is complete)."""
    latest = latest_complete(month_deliveries(months))
    return None if latest is None else latest.period


def delivery_notes(periods: list[Delivery]) -> list[str]:
    """'okt 2026: 27 van 30 coaches aangeleverd' for each month still being delivered."""
    return [f"{fmt_month(d.period)}: {d.text(UNITS)}" for d in periods]


def with_capacity(df: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """The capacity rule, for a coach, an area or a programme: capacity = fte × norm;
    capacity used = active households / capacity; overloaded above 100% of it (``flag``
    says so in Dutch: overbelast / binnen norm)."""
    out = df.copy()
    out["capacity"] = out["fte"] * norm_per_fte
    out["capacity_used_pct"] = (out["active_households"] / out["capacity"] * 100).where(
        out["capacity"] > 0)
    out["overloaded"] = out["capacity_used_pct"] > OVERLOAD_PCT
    out["flag"] = out["overloaded"].map({True: "overbelast", False: "binnen norm"})
    return out


def coach_caseload(months: pd.DataFrame, norm_per_fte: float,
                   month: dt.date | None = None) -> pd.DataFrame:
    """Per coach reporting in ``month`` (default the latest complete month): active
    households against the capacity. The Welzijnscoaches page and the meeting agenda both
    judge overload with this, so they always name the same coaches."""
    month = month or latest_month(months)
    df = months[months["month"] == month][["coach", "area", "fte", "active_households",
                                           "waiting_list"]]
    return with_capacity(df, norm_per_fte).sort_values(
        ["capacity_used_pct"], ascending=False).reset_index(drop=True)


def overloaded(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """The coaches above their capacity in the latest complete month, by code."""
    caseload = coach_caseload(months, norm_per_fte)
    return caseload[caseload["overloaded"]].sort_values("coach").reset_index(drop=True)


def capacity_used_pct(caseload: pd.DataFrame) -> float | None:
    """Capacity used by a group of coaches: summed households over summed capacity."""
    capacity = float(caseload["capacity"].sum())
    return float(caseload["active_households"].sum()) / capacity * 100 if capacity else None


def programme_caseload(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """Per programme, in its latest complete month: summed households, FTE and capacity,
    the ``month`` and the months still being delivered (``pending``)."""
    parts = []
    for programme, rows in months.groupby("programme", sort=False):
        periods = month_deliveries(rows)
        month = latest_month(rows)
        current = rows[rows["month"] == month]
        parts.append({"programme": programme, "month": month,
                      "active_households": current["active_households"].sum(),
                      "fte": current["fte"].sum(), "waiting_list": current["waiting_list"].sum(),
                      "pending": pending(periods)})
    columns = ["programme", "month", "active_households", "fte", "waiting_list", "pending"]
    return with_capacity(pd.DataFrame(parts, columns=columns), norm_per_fte)


def area_caseload(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """Per area and month: summed households, FTE and capacity, capacity used, overload."""
    df = (months.groupby(["area", "month"], as_index=False)
          .agg(active_households=("active_households", "sum"), fte=("fte", "sum"),
               coaches=("coach", "nunique"), waiting_list=("waiting_list", "sum")))
    return with_capacity(df, norm_per_fte).sort_values(["month", "area"]).reset_index(drop=True)


def total_fte(months: pd.DataFrame, month: dt.date | None = None) -> float:
    """FTE of the coaches reporting in ``month`` (default the latest complete month)."""
    month = month or latest_month(months)
    current = months[months["month"] == month].drop_duplicates("coach")
    return round(float(current["fte"].sum()), 2)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from ``first`` up to ``last``."""
    return [d.date() for d in pd.date_range(first, last, freq="MS")]


def monthly_totals(months: pd.DataFrame) -> pd.DataFrame:
    """Per month (every month from the first to the last, so a month nobody delivered
    stays on the axis): active households, waiting list, inflow by referrer, outflow by
    outcome, the mean trajectory duration weighted by the number of closed trajectories,
    and whether the month is ``complete`` (every expected coach delivered)."""
    df = months.copy()
    df["closed"] = df[list(OUTCOMES)].sum(axis=1)
    df["weighted_days"] = df["mean_duration_days"].fillna(0) * df["closed"]
    df["has_duration"] = df["mean_duration_days"].notna() * df["closed"]
    out = df.groupby("month")[
        ["active_households", "waiting_list", *REFERRERS, *OUTCOMES, "closed", "weighted_days",
         "has_duration"]].sum()
    if len(out):
        out = out.reindex(month_range(min(out.index), max(out.index)))
    out = out.rename_axis("month").reset_index()
    out["new"] = out[list(REFERRERS)].sum(axis=1, min_count=1)
    out["mean_duration_days"] = (out["weighted_days"] / out["has_duration"]).where(
        out["has_duration"] > 0)
    complete = {d.period for d in month_deliveries(months) if d.complete}
    out["complete"] = out["month"].isin(complete)
    return out.drop(columns=["weighted_days", "has_duration"]).reset_index(drop=True)


def long_by(monthly: pd.DataFrame, columns: Mapping[str, str], name: str) -> pd.DataFrame:
    """Melt count columns into (month, ``name``, count) with Dutch category labels."""
    df = monthly.melt(id_vars="month", value_vars=list(columns), var_name=name, value_name="count")
    df[name] = df[name].map(columns)
    return df.dropna(subset=["count"])


# ---------------------------------------------------------------- headline and run charts


@dataclass(frozen=True)
class Headline:
    """The figures of the latest complete month, and the months still being delivered."""

    month: dt.date
    fte: float
    active_households: float
    capacity_used_pct: float | None
    overloaded: list[tuple[str, float]]  # (coach, capacity used %) above the norm
    coaches: int
    waiting_list: float
    mean_duration_days: float | None
    pending: list[Delivery]


def headline(months: pd.DataFrame, norm_per_fte: float) -> Headline | None:
    """Headline figures in the latest complete month (``month_deliveries``)."""
    month = latest_month(months)
    if month is None:
        return None
    caseload = coach_caseload(months, norm_per_fte, month)
    totals = monthly_totals(months).set_index("month").loc[month]
    over = caseload[caseload["overloaded"]]
    duration = totals["mean_duration_days"]
    return Headline(month, total_fte(months, month), float(totals["active_households"]),
                    capacity_used_pct(caseload),
                    list(zip(over["coach"], over["capacity_used_pct"], strict=True)),
                    len(caseload), float(totals["waiting_list"]),
                    None if pd.isna(duration) else float(duration),
                    pending(month_deliveries(months)))


@dataclass(frozen=True)
class RunSeries:
    key: str  # column of ``monthly_totals``
    title: str
    y_title: str
    value_format: str
    polarity: str  # a vocab.Polarity value


RUN_SERIES = (
    RunSeries("waiting_list", "Wachtlijst", "Huishoudens op de wachtlijst", ",d",
              Polarity.LOWER_IS_BETTER.value),
    RunSeries("active_households", "Actieve huishoudens", "Actieve huishoudens", ",d",
              Polarity.NEUTRAL.value),
    RunSeries("new", "Nieuwe aanmeldingen", "Aanmeldingen", ",d", Polarity.NEUTRAL.value),
    RunSeries("mean_duration_days", "Gemiddelde duur van trajecten", "Dagen", ",.0f",
              Polarity.NEUTRAL.value),
)


def run_chart(monthly: pd.DataFrame, series: RunSeries
              ) -> tuple[spc.SeriesAnalysis, verdicts.SeriesVerdict]:
    """Run chart of one monthly total (``monthly_totals``) and its direction-aware
    verdict. A month that not every coach delivered is a gap: its total would be lower
    only because figures are missing."""
    values = monthly[series.key].where(monthly["complete"])
    analysis = spc.analyse(list(values.astype(float)))
    return analysis, verdicts.series_verdict(analysis, series.polarity)
