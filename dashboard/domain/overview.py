"""Headline figures per programme for the Overzicht page (pure pandas, no Streamlit).

Like with like (issue 12): coach figures are those of the programme's latest complete
month and the admission rate that of its latest complete quarter (``monitoring.deliveries``);
a newer month or quarter that not every coach or team has delivered is named as pending
("2026-Q4: 2 van 35 teams aangeleverd"), never shown or compared as if complete. The change
from the previous quarter is computed over the teams that delivered both quarters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.domain import coaches, kernteams, spc, verdicts
from dashboard.domain.vocab import ProjectStatus

ADMISSIONS = kernteams.METRICS["admissions"]


@dataclass(frozen=True)
class ProgrammeHeadline:
    programme: str
    areas: int
    residents: float
    residents_year: str
    coach_month: dt.date | None
    active_households: float | None
    capacity: float | None
    capacity_used_pct: float | None
    coach_pending: list[str]  # months still being delivered, in Dutch
    admissions_per_1000: float | None
    admissions_quarter: str | None
    admissions_delta: float | None
    admissions_pending: list[str]  # quarters still being delivered, in Dutch
    projects_running: int
    projects_total: int


def programme_headlines(areas: pd.DataFrame, months: pd.DataFrame, quarters: pd.DataFrame,
                        projects: pd.DataFrame, norm_per_fte: float) -> list[ProgrammeHeadline]:
    """One headline row per programme from the areas, the coach months, the kernteam
    quarters and the project counts.

    Residents are summed over areas (counts add up); the admission rate is recomputed
    from summed admissions and frail elderly, never an average of rates.
    """
    capacity = coaches.programme_caseload(months, norm_per_fte).set_index("programme")
    out = []
    for programme, group in areas.groupby("programme", sort=False):
        cap = capacity.loc[programme] if programme in capacity.index else None
        own = quarters[quarters["programme"] == programme]
        adm = kernteams.headline(own, ADMISSIONS)
        proj = projects[projects["programme"] == programme]
        out.append(ProgrammeHeadline(
            programme=str(programme),
            areas=len(group),
            residents=float(group["residents"].sum()),
            residents_year=str(group["residents_year"].max()),
            coach_month=None if cap is None else cap["month"],
            active_households=None if cap is None else float(cap["active_households"]),
            capacity=None if cap is None else float(cap["capacity"]),
            capacity_used_pct=None if cap is None else float(cap["capacity_used_pct"]),
            coach_pending=[] if cap is None else coaches.delivery_notes(cap["pending"]),
            admissions_per_1000=None if adm is None else adm.rate,
            admissions_quarter=None if adm is None else adm.quarter,
            admissions_delta=None if adm is None else kernteams.matched_change(
                own, ADMISSIONS, adm.start, kernteams.previous_quarter(adm.start)),
            admissions_pending=[] if adm is None else kernteams.delivery_notes(adm.pending),
            projects_running=int(proj.loc[proj["status"] == ProjectStatus.EXECUTION.value,
                                          "projects"].sum()),
            projects_total=int(proj["projects"].sum()),
        ))
    return out


@dataclass(frozen=True)
class AdmissionsTrend:
    """One programme's admissions per 1,000 frail elderly per quarter (incomplete quarters
    as gaps), analysed as a U- or U′-chart with its verdict."""

    programme: str
    rows: pd.DataFrame  # kernteams.programme_trend rows of the programme
    evidence: kernteams.Evidence


def admissions_trends(quarters: pd.DataFrame,
                      min_baseline: int = spc.MIN_BASELINE) -> list[AdmissionsTrend]:
    """Per programme with kernteams: the quarterly admission rate and its verdict."""
    trend = kernteams.programme_trend(quarters, ADMISSIONS)
    out = []
    for programme, rows in trend.groupby("programme", sort=False):
        rows = rows.reset_index(drop=True)
        out.append(AdmissionsTrend(str(programme), rows, kernteams.analyse_rate(
            list(rows[ADMISSIONS.numerator]), list(rows[ADMISSIONS.denominator]), ADMISSIONS,
            min_baseline=min_baseline)))
    return out


# ---------------------------------------------------------------- is it working?


def outcome_answer(verdict_keys: Sequence[str]) -> str:
    """The one-line answer to "is het aan het werken?" from the direction-aware verdicts
    (``verdicts``) of a programme's outcome series: how many improve, worsen or show no
    change beyond chance, and how many are too short to judge."""
    counts = Counter(verdict_keys)
    too_few = counts[verdicts.TOO_LITTLE]
    judged = len(verdict_keys) - too_few
    better, worse = counts[verdicts.IMPROVEMENT], counts[verdicts.DETERIORATION]
    if not verdict_keys:
        return "Nog geen uitkomstcijfers vastgelegd."
    if judged == 0:
        answer = "Nog niet te zeggen: elke reeks heeft te weinig perioden voor een oordeel."
    elif better and not worse:
        answer = (f"Ja, zichtbaar: {better} van de {judged} beoordeelde uitkomstreeksen "
                  "verbeteren meer dan toeval verklaart, geen enkele verslechtert.")
    elif worse and not better:
        answer = (f"Nee, nog niet: {worse} van de {judged} beoordeelde uitkomstreeksen "
                  "verslechteren, geen enkele verbetert aantoonbaar.")
    elif better and worse:
        answer = (f"Gemengd: {better} van de {judged} beoordeelde uitkomstreeksen verbeteren, "
                  f"{worse} verslechteren.")
    else:
        answer = (f"Nog niet aantoonbaar: geen van de {judged} beoordeelde uitkomstreeksen "
                  "verandert meer dan toeval verklaart.")
    if judged and too_few:
        answer += f" {too_few} reeksen zijn nog te kort voor een oordeel."
    return answer
