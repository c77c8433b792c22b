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
