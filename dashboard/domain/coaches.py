"""Welzijnscoaches: caseload against the norm, capacity, overload, inflow and outflow.

The one owner of the capacity rule (capacity = fte × norm per fte, a setting; a coach,
area or programme above 100% of its capacity is overloaded). Pure pandas functions of the
monthly coach frame (``dashboard.store.queries_monitoring.coach_months``); no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

REFERRERS = {"new_huisarts": "huisarts", "new_wijkteam": "wijkteam", "new_zelf": "zelf",
             "new_overig": "overig"}
OUTCOMES = {"closed_goal_reached": "doel bereikt", "closed_referred": "doorverwezen",
            "closed_dropped_out": "uitgevallen"}
OVERLOAD_PCT = 100.0


def latest_month(months: pd.DataFrame) -> dt.date | None:
    return None if months.empty else months["month"].max()


def with_capacity(df: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """The capacity rule, for a coach, an area or a programme: capacity = fte × norm;
    capacity used = active households / capacity; overloaded above 100% of it."""
    out = df.copy()
    out["capacity"] = out["fte"] * norm_per_fte
    out["capacity_used_pct"] = (out["active_households"] / out["capacity"] * 100).where(
        out["capacity"] > 0)
    out["overloaded"] = out["capacity_used_pct"] > OVERLOAD_PCT
    return out


def coach_caseload(months: pd.DataFrame, norm_per_fte: float,
                   month: dt.date | None = None) -> pd.DataFrame:
    """Per coach reporting in ``month`` (default the latest month of the data): active
    households against the capacity. The Welzijnscoaches page and the meeting agenda both
    judge overload with this, so they always name the same coaches."""
    month = month or latest_month(months)
    df = months[months["month"] == month][["coach", "area", "fte", "active_households",
                                           "waiting_list"]]
    return with_capacity(df, norm_per_fte).sort_values(
        ["capacity_used_pct"], ascending=False).reset_index(drop=True)


def overloaded(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """The coaches above their capacity in the latest month, by code."""
    caseload = coach_caseload(months, norm_per_fte)
    return caseload[caseload["overloaded"]].sort_values("coach").reset_index(drop=True)


def capacity_used_pct(caseload: pd.DataFrame) -> float | None:
    """Capacity used by a group of coaches: summed households over summed capacity."""
    capacity = float(caseload["capacity"].sum())
    return float(caseload["active_households"].sum()) / capacity * 100 if capacity else None


def programme_caseload(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """Per programme, in the latest month: summed households, FTE and capacity."""
    current = months[months["month"] == latest_month(months)]
    df = current.groupby("programme", as_index=False).agg(
        active_households=("active_households", "sum"), fte=("fte", "sum"),
        waiting_list=("waiting_list", "sum"))
    return with_capacity(df, norm_per_fte)


def area_caseload(months: pd.DataFrame, norm_per_fte: float) -> pd.DataFrame:
    """Per area and month: summed households, FTE and capacity, capacity used, overload."""
    df = (months.groupby(["area", "month"], as_index=False)
          .agg(active_households=("active_households", "sum"), fte=("fte", "sum"),
               coaches=("coach", "nunique"), waiting_list=("waiting_list", "sum")))
    return with_capacity(df, norm_per_fte).sort_values(["month", "area"]).reset_index(drop=True)


def total_fte(months: pd.DataFrame, month: dt.date | None = None) -> float:
    """FTE of the coaches reporting in ``month`` (default the latest)."""
    month = month or latest_month(months)
    current = months[months["month"] == month].drop_duplicates("coach")
    return round(float(current["fte"].sum()), 2)


def monthly_totals(months: pd.DataFrame) -> pd.DataFrame:
    """Per month: active households, waiting list, inflow by referrer, outflow by outcome
    and the mean trajectory duration weighted by the number of closed trajectories."""
    df = months.copy()
    df["closed"] = df[list(OUTCOMES)].sum(axis=1)
    df["weighted_days"] = df["mean_duration_days"].fillna(0) * df["closed"]
    df["has_duration"] = df["mean_duration_days"].notna() * df["closed"]
    out = df.groupby("month", as_index=False)[
        ["active_households", "waiting_list", *REFERRERS, *OUTCOMES, "closed", "weighted_days",
         "has_duration"]].sum()
    out["new"] = out[list(REFERRERS)].sum(axis=1)
    out["mean_duration_days"] = (out["weighted_days"] / out["has_duration"]).where(
        out["has_duration"] > 0)
    return out.drop(columns=["weighted_days", "has_duration"]).sort_values("month") \
        .reset_index(drop=True)


def long_by(monthly: pd.DataFrame, columns: Mapping[str, str], name: str) -> pd.DataFrame:
    """Melt count columns into (month, ``name``, count) with Dutch category labels."""
    df = monthly.melt(id_vars="month", value_vars=list(columns), var_name=name, value_name="count")
    df[name] = df[name].map(columns)
    return df
