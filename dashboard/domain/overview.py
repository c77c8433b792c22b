"""Headline figures per programme for the Overzicht page (pure pandas, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain import coaches
from dashboard.domain.vocab import ProjectStatus


@dataclass(frozen=True)
class ProgrammeHeadline:
    programme: str
    areas: int
    residents: float
    residents_year: str
    active_households: float | None
    capacity: float | None
    capacity_used_pct: float | None
    admissions_per_1000: float | None
    admissions_quarter: str | None
    admissions_delta: float | None
    projects_running: int
    projects_total: int


def programme_headlines(areas: pd.DataFrame, capacity: pd.DataFrame, admissions: pd.DataFrame,
                        projects: pd.DataFrame) -> list[ProgrammeHeadline]:
    """Combine the per-programme query results into one headline row per programme.

    Residents are summed over areas (counts add up); the admission rate is the one
    recomputed from summed admissions and frail elderly, never an average of rates.
    """
    out = []
    for programme, group in areas.groupby("programme", sort=False):
        cap = capacity[capacity["programme"] == programme]
        adm = admissions[admissions["programme"] == programme].sort_values("quarter_start")
        proj = projects[projects["programme"] == programme]
        latest = adm.iloc[-1] if len(adm) else None
        previous = adm.iloc[-2] if len(adm) > 1 else None
        out.append(ProgrammeHeadline(
            programme=str(programme),
            areas=len(group),
            residents=float(group["residents"].sum()),
            residents_year=str(group["residents_year"].max()),
            active_households=float(cap["active_households"].sum()) if len(cap) else None,
            capacity=float(cap["capacity"].sum()) if len(cap) else None,
            capacity_used_pct=coaches.capacity_used_pct(cap) if len(cap) else None,
            admissions_per_1000=float(latest["per_1000"]) if latest is not None else None,
            admissions_quarter=str(latest["quarter"]) if latest is not None else None,
            admissions_delta=(float(latest["per_1000"] - previous["per_1000"])
                              if previous is not None else None),
            projects_running=int(proj.loc[proj["status"] == ProjectStatus.EXECUTION.value, "projects"].sum()),
            projects_total=int(proj["projects"].sum()),
        ))
    return out
