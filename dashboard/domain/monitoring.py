"""Programme monitoring: URL filters, which periods are complete, projects and budgets.

Pure pandas functions without Streamlit, fed by the frames of
``dashboard.store.queries_monitoring``. Rates are always recomputed from summed counts,
never averaged. Coaches are ``dashboard.domain.coaches``', kernteams
``dashboard.domain.kernteams``'; both use the completeness rule here (``deliveries``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

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


# ---------------------------------------------------------------- complete periods


@dataclass(frozen=True)
class Delivery:
    """How many of the units expected in a period (kernteams in a quarter, coaches in a
    month) delivered their figures."""

    period: dt.date  # first day of the quarter or month
    delivered: int
    expected: int

    @property
    def complete(self) -> bool:
        return self.delivered >= self.expected

    def text(self, units: str) -> str:
        """E.g. '2 van 35 teams aangeleverd'."""
        return f"{self.delivered} van {self.expected} {units} aangeleverd"


def deliveries(rows: pd.DataFrame, *, unit: str, period: str,
               ended: str | None = None) -> list[Delivery]:
    """The completeness rule (issue 12): per period, in time order, how many units
    delivered and how many were expected.

    A unit (a kernteam, a coach) is expected in every period from the first period it
    delivered on, up to the period in which its end date falls (``ended``, e.g. a coach's
    ``ended_on``; empty = still working). A period is *complete* when every expected unit
    delivered; figures of an incomplete period are never compared as if complete.
    ``rows`` has one row per delivered (unit, period); ``period`` holds the period's first
    day."""
    if rows.empty:
        return []
    first = rows.groupby(unit)[period].min()
    end = (pd.to_datetime(rows.groupby(unit)[ended].max()) if ended
           else pd.Series(pd.NaT, index=first.index))
    delivered = rows.groupby(period)[unit].agg(set)
    out = []
    for when in sorted(delivered.index):
        running = (first <= when) & (end.isna() | (end >= pd.Timestamp(when)))
        expected = set(first.index[running]) | delivered[when]
        out.append(Delivery(when, len(delivered[when]), len(expected)))
    return out


def latest_complete(periods: Sequence[Delivery]) -> Delivery | None:
    """The latest complete period; the latest period when none is complete."""
    if not periods:
        return None
    return next((d for d in reversed(periods) if d.complete), periods[-1])


def pending(periods: Sequence[Delivery]) -> list[Delivery]:
    """The incomplete periods from the one ``latest_complete`` picks on (still being
    delivered; it is among them only when no period is complete)."""
    latest = latest_complete(periods)
    return [d for d in periods
            if latest is not None and d.period >= latest.period and not d.complete]


# ---------------------------------------------------------------- projects

OVERDUE = "over tijd"
DONE = "behaald"
PLANNED = "gepland"
LAPSED = "vervallen"  # not reached, but its project is completed or stopped
MILESTONE_STATES = (DONE, PLANNED, OVERDUE, LAPSED)
CLOSED_STATUSES = frozenset({ProjectStatus.COMPLETED.value, ProjectStatus.STOPPED.value})
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


def milestone_status(milestones: pd.DataFrame, as_of: dt.date,
                     closed: Collection[str] = ()) -> pd.DataFrame:
    """Add ``state``: behaald (done), over tijd (due before ``as_of`` and not done),
    gepland, or vervallen (not done, of a project in ``closed``: completed or stopped, so
    the milestone can no longer be late)."""
    df = milestones.copy()
    done = df["done_on"].notna()
    lapsed = ~done & df["project_code"].isin(list(closed))
    overdue = ~done & ~lapsed & (pd.to_datetime(df["due_on"]) < pd.Timestamp(as_of))
    df["state"] = np.select([done, lapsed, overdue], [DONE, LAPSED, OVERDUE], PLANNED)
    df["overdue"] = overdue
    return df


def project_health(reported: str, overdue: int) -> str:
    """The health shown for a project: the team's own judgement, except that a project with
    a milestone over tijd is never shown as 'op koers' (it needs attention)."""
    if reported == ProjectHealth.ON_TRACK.value and overdue > 0:
        return ProjectHealth.ATTENTION.value
    return reported


def closed_codes(projects: pd.DataFrame) -> list[str]:
    """Codes of the completed and stopped projects."""
    return projects.loc[projects["status"].isin(CLOSED_STATUSES), "code"].tolist()


def overview_milestones(milestones: pd.DataFrame, overview: pd.DataFrame,
                        as_of: dt.date) -> pd.DataFrame:
    """The milestones of the projects in ``overview``, with their state."""
    own = milestones[milestones["project_code"].isin(overview["code"])]
    return milestone_status(own, as_of, closed_codes(overview))


def project_overview(projects: pd.DataFrame, milestones: pd.DataFrame,
                     as_of: dt.date) -> pd.DataFrame:
    """One row per project with milestone counts, overdue milestones, the next due date and
    the health shown (``project_health``; the team's own word stays in ``health_reported``)."""
    ms = milestone_status(milestones, as_of, closed_codes(projects))
    grouped = ms.groupby("project_code")
    df = projects.copy()
    df["milestones"] = df["code"].map(grouped.size()).fillna(0).astype(int)
    df["milestones_done"] = df["code"].map(grouped["state"].agg(lambda s: (s == DONE).sum())) \
        .fillna(0).astype(int)
    df["overdue"] = df["code"].map(grouped["overdue"].sum()).fillna(0).astype(int)
    df["health_reported"] = df["health"]
    df["health"] = [project_health(h, o) for h, o in zip(df["health"], df["overdue"], strict=True)]
    upcoming = ms[~ms["state"].isin((DONE, LAPSED))].groupby("project_code")["due_on"].min()
    df["next_due"] = df["code"].map(upcoming)
    df["domain_count"] = df["domains"].map(lambda d: len(set(d)))
    df["domains_text"] = df["domains"].map(", ".join)
    df["areas_text"] = df["areas"].map(", ".join)
    return df


def select_projects(projects: pd.DataFrame, filters: Filters, status: str | None = None,
                    health: str | None = None) -> pd.DataFrame:
    """Projects of the chosen programme and areas, and of the chosen status and health
    (None or "" = any)."""
    df = apply_filters(projects, filters, area_col="area_keys")
    if status:
        df = df[df["status"] == status]
    return df[df["health"] == health] if health else df


@dataclass(frozen=True)
class ProjectCounts:
    projects: int
    running: int
    at_risk: int
    overdue_milestones: int


def project_counts(overview: pd.DataFrame) -> ProjectCounts:
    """How many projects (``project_overview`` rows) there are, run, are at risk, and how
    many milestones are overdue."""
    return ProjectCounts(len(overview),
                         int((overview["status"] == ProjectStatus.EXECUTION.value).sum()),
                         int((overview["health"] == ProjectHealth.RISK.value).sum()),
                         int(overview["overdue"].sum()))


def timeline_marks(milestones: pd.DataFrame, gantt: pd.DataFrame) -> pd.DataFrame:
    """Milestones (``milestone_status``) of the projects on the timeline, with its label."""
    return milestones.merge(gantt[["code", "label"]], left_on="project_code", right_on="code")


def statuses_present(overview: pd.DataFrame) -> list[str]:
    """The statuses that occur, in the order of the vocabulary (columns of the board)."""
    return [s for s in STATUS_ORDER if s in set(overview["status"])]


def project_choices(overview: pd.DataFrame) -> dict[str, str]:
    """Project code -> 'BZ-1 · Positieve Gezondheid', in the order of ``overview``."""
    return dict(zip(overview["code"], overview["code"] + " · " + overview["name"], strict=True))


def project_decisions(decisions: pd.DataFrame, code: str) -> pd.DataFrame:
    """The decisions about one project, ``published`` as ja/nee."""
    own = decisions[decisions["project_code"] == code]
    return own.assign(published=own["published"].map({True: "ja", False: "nee"}))


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


@dataclass(frozen=True)
class BudgetSummary:
    """The pooled budget of the latest year that is not a plan, the insurers' share in it,
    how that share moved since the first year, and what was spent in that same year (budget
    and realisation of one year side by side, never one year's budget beside all years'
    spending)."""

    year: int
    total_eur: float
    insurer_share_pct: float
    first_year: int
    share_change_pp: float  # percentage points since ``first_year``
    spent_eur: float  # spending in ``year``

    @property
    def realised_pct(self) -> float | None:
        """Spending of the year as a percentage of its budget (None without a budget)."""
        return self.spent_eur / self.total_eur * 100 if self.total_eur else None


def budget_summary(budgets: pd.DataFrame, spending: pd.DataFrame,
                   as_of: dt.date) -> BudgetSummary | None:
    """Years after ``as_of``'s year are plans, not budgets: they are left out."""
    shares = insurer_share(budgets)
    current = shares[shares["year"] <= as_of.year]
    if current.empty:
        return None
    first, last = current.iloc[0], current.iloc[-1]
    return BudgetSummary(int(last["year"]), float(last["total_eur"]),
                         float(last["insurer_share_pct"]), int(first["year"]),
                         float(last["insurer_share_pct"] - first["insurer_share_pct"]),
                         float(spending.loc[spending["year"] == int(last["year"]), "amount_eur"].sum()))


@dataclass(frozen=True)
class UnitCosts:
    """Spending of one year per person the programme reached that year: a rough measure
    (the spending pays for more than coaches and kernteams), to compare years and areas."""

    year: int
    spent_eur: float  # of the programmes with coaches
    households: int  # households coached in the year: active in its first month + new ones
    per_household_eur: float | None
    frail_elderly: float  # in view of the kernteams, mean over the year's complete quarters
    per_elderly_eur: float | None


NEW_HOUSEHOLDS = ("new_huisarts", "new_wijkteam", "new_zelf", "new_overig")


def unit_costs(spending: pd.DataFrame, coach_months: pd.DataFrame, quarters: pd.DataFrame,
               year: int) -> UnitCosts | None:
    """Spending in ``year`` divided by the households coached and by the frail elderly in
    view that year (all three already narrowed to the same selection). Each measure divides
    only the spending of the programmes that have coaches, or kernteams: a programme without
    them (Blauwe Zorg) does not inflate the cost per household. None without spending; a
    measure without anyone to divide by is None, not infinity."""
    in_year = spending[spending["year"] == year]
    if not in_year["amount_eur"].sum():
        return None

    def spent_by(programmes: pd.Series) -> float:
        return float(in_year.loc[in_year["programme_key"].isin(set(programmes)),
                                 "amount_eur"].sum())

    months = coach_months[pd.to_datetime(coach_months["month"]).dt.year == year]
    households = 0
    if len(months):
        first = months["month"].min()
        households = int(months.loc[months["month"] == first, "active_households"].sum()
                         + months[list(NEW_HOUSEHOLDS)].sum().sum())
    in_view = quarters[quarters["quarter"].astype(str).str.startswith(f"{year}-")]
    teams = in_view.groupby("quarter")["team"].nunique()
    complete = in_view[in_view["quarter"].isin(teams[teams == teams.max()].index)]
    elderly = float(complete.groupby("quarter")["frail_elderly"].sum().mean()) \
        if len(complete) else 0.0  # a quarter still being delivered is left out
    for_coaches, for_teams = spent_by(months["programme_key"]), spent_by(complete["programme_key"])
    return UnitCosts(year, for_coaches, households,
                     for_coaches / households if households else None, elderly,
                     for_teams / elderly if elderly else None)


def spending_years(spending: pd.DataFrame) -> list[str]:
    return [str(y) for y in sorted(spending["year"].unique())]


def spending_in(spending: pd.DataFrame, year: str | None) -> pd.DataFrame:
    """Spending of one year (its text, as in the URL), or of every year when empty."""
    return spending[spending["year"] == int(year)] if year else spending
