"""Data access for the monitoring pages (Projecten, Welzijnscoaches, Kernteams, Financiën).

Same contract as ``dashboard.store.queries``: plain functions ``(engine, role) -> DataFrame``
that check the role first; registered in ``dashboard.store.queries.QUERIES``. They return raw
rows with programme and area keys so that the pure functions in ``dashboard.domain.monitoring``
can filter and aggregate them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.roles import Permission, Role, require
from dashboard.store import settings
from data_loaders.db import read_frame as _frame
from data_loaders.models import (
    Area,
    Budget,
    Coach,
    CoachMonth,
    Decision,
    Intervention,
    Kernteam,
    KernteamQuarter,
    Milestone,
    Programme,
    Project,
    ProjectArea,
    Spending,
)


def monitoring_settings(engine: Engine, role: Role) -> dict[str, Any]:
    """The caseload norm per FTE, the planned coach FTE, the least points of a frozen
    baseline and the product's "today" (``dashboard.domain.settings.today``: the demo
    data's as-of date in demo mode)."""
    require(role, Permission.VIEW_INTERNAL)
    values = settings.load(engine)
    return {"caseload_norm_per_fte": values.caseload_norm_per_fte,
            "coach_fte_plan": values.coach_fte_plan,
            "min_baseline_points": values.min_baseline_points, "as_of": settings.today(engine)}


def area_choices(engine: Engine, role: Role) -> pd.DataFrame:
    """Active areas with their programme, for the programme and area filters (a deactivated
    area keeps its figures but is no longer offered)."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Area.key, Area.name, Programme.key.label("programme_key"),
               Programme.name.label("programme"))
        .join(Programme, Programme.id == Area.programme_id)
        .where(Area.active.is_(True))
        .order_by(Programme.started_on, Area.name)
    )
    return _frame(engine, stmt)


def project_list(engine: Engine, role: Role) -> pd.DataFrame:
    """Projects and programme lines with plan fields; ``area_keys``/``areas`` are lists."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Project.id, Project.code, Project.name, Project.kind, Project.status,
               Project.health, Project.domains, Programme.key.label("programme_key"),
               Programme.name.label("programme"), Project.goal, Project.approach,
               Project.participants, Project.facilities, Project.expected_results,
               Project.resident_participation, Project.contact_role, Project.budget_eur,
               Project.started_on, Project.ends_on)
        .join(Programme, Programme.id == Project.programme_id)
        .where(Project.deleted.is_(False))
        .order_by(Project.code)
    )
    df = _frame(engine, stmt)
    df["status"] = df["status"].map(lambda s: s.value)
    df["health"] = df["health"].map(lambda h: h.value)
    links = _frame(engine, select(ProjectArea.project_id, Area.key, Area.name)
                   .join(Area, Area.id == ProjectArea.area_id).order_by(Area.name))
    keys = links.groupby("project_id")["key"].agg(list)
    names = links.groupby("project_id")["name"].agg(list)
    df["area_keys"] = df["id"].map(keys).apply(lambda v: v if isinstance(v, list) else [])
    df["areas"] = df["id"].map(names).apply(lambda v: v if isinstance(v, list) else [])
    df["domains"] = df["domains"].apply(lambda v: list(v or []))
    return df


def project_milestones(engine: Engine, role: Role) -> pd.DataFrame:
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Milestone.id, Project.code.label("project_code"), Milestone.title,
               Milestone.due_on, Milestone.done_on)
        .join(Project, Project.id == Milestone.project_id)
        .where(Milestone.deleted.is_(False), Project.deleted.is_(False))
        .order_by(Milestone.due_on)
    )
    return _frame(engine, stmt)


def project_decisions(engine: Engine, role: Role) -> pd.DataFrame:
    """Decisions about projects (not deleted), newest first."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Project.code.label("project_code"), Decision.decided_on, Decision.outcome,
               Decision.body, Decision.rationale, Decision.expected_effect, Decision.review_on,
               Decision.status, Decision.published)
        .join(Project, Project.id == Decision.project_id)
        .where(Decision.deleted.is_(False))
        .order_by(Decision.decided_on.desc())
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    df["status"] = df["status"].map(lambda s: s.value)
    return df


def coach_months(engine: Engine, role: Role) -> pd.DataFrame:
    """Monthly figures per coach (pseudonymous code) with FTE, area and programme."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Coach.code.label("coach"), Coach.fte, Coach.started_on, Coach.ended_on,
               Area.key.label("area_key"), Area.name.label("area"),
               Programme.key.label("programme_key"), Programme.name.label("programme"),
               CoachMonth.month, CoachMonth.active_households, CoachMonth.new_huisarts,
               CoachMonth.new_wijkteam, CoachMonth.new_zelf, CoachMonth.new_overig,
               CoachMonth.closed_goal_reached, CoachMonth.closed_referred,
               CoachMonth.closed_dropped_out, CoachMonth.waiting_list,
               CoachMonth.mean_duration_days)
        .join(Coach, Coach.id == CoachMonth.coach_id)
        .join(Area, Area.id == Coach.area_id)
        .join(Programme, Programme.id == Area.programme_id)
        .order_by(CoachMonth.month, Coach.code)
    )
    return _frame(engine, stmt)


def kernteam_quarters(engine: Engine, role: Role) -> pd.DataFrame:
    """Quarterly counts per kernteam with their denominators, area and programme."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Kernteam.code.label("team"), Kernteam.name.label("team_name"), Kernteam.practice,
               Area.key.label("area_key"), Area.name.label("area"),
               Programme.key.label("programme_key"), Programme.name.label("programme"),
               KernteamQuarter.quarter, KernteamQuarter.quarter_start,
               KernteamQuarter.frail_elderly, KernteamQuarter.with_care_plan,
               KernteamQuarter.discussed_mdo, KernteamQuarter.ed_visits,
               KernteamQuarter.admissions, KernteamQuarter.readmissions, KernteamQuarter.falls)
        .join(Kernteam, Kernteam.id == KernteamQuarter.kernteam_id)
        .join(Area, Area.id == Kernteam.area_id)
        .join(Programme, Programme.id == Area.programme_id)
        .order_by(Kernteam.code, KernteamQuarter.quarter_start)
    )
    return _frame(engine, stmt)


def kernteam_interventions(engine: Engine, role: Role) -> pd.DataFrame:
    """Interventions that apply to a kernteam: its own, or one for the team's whole area."""
    require(role, Permission.VIEW_INTERNAL)
    own = _frame(engine, select(Kernteam.code.label("team"), Intervention.label,
                                Intervention.started_on)
                 .join(Kernteam, Kernteam.id == Intervention.kernteam_id))
    area_wide = _frame(engine, select(Kernteam.code.label("team"), Intervention.label,
                                      Intervention.started_on)
                       .join(Kernteam, Kernteam.area_id == Intervention.area_id)
                       .where(Intervention.kernteam_id.is_(None),
                              Intervention.project_id.is_(None)))
    df = pd.concat([own, area_wide], ignore_index=True)
    return df.sort_values(["team", "started_on"]).reset_index(drop=True)


def budgets(engine: Engine, role: Role) -> pd.DataFrame:
    """Pooled budget per programme, year, financier and law."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Programme.key.label("programme_key"), Programme.name.label("programme"),
               Budget.year, Budget.financier, Budget.law, Budget.amount_eur)
        .join(Programme, Programme.id == Budget.programme_id)
        .order_by(Budget.year, Budget.financier, Budget.law)
    )
    return _frame(engine, stmt)


def spending(engine: Engine, role: Role) -> pd.DataFrame:
    """Spending per year, area, project and law (area and project may be empty)."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Spending.year, Spending.law, Spending.amount_eur,
               Area.key.label("area_key"), Area.name.label("area"),
               Project.code.label("project_code"), Project.name.label("project"),
               Programme.key.label("programme_key"), Programme.name.label("programme"))
        .outerjoin(Area, Area.id == Spending.area_id)
        .outerjoin(Project, Project.id == Spending.project_id)
        .outerjoin(Programme, Programme.id == Project.programme_id)
        .order_by(Spending.year)
    )
    df = _frame(engine, stmt)
    # Spending without a project belongs to its area's programme.
    if df["programme_key"].isna().any():
        area_prog = _frame(engine, select(Area.key, Programme.key.label("pk"),
                                          Programme.name.label("pn"))
                           .join(Programme, Programme.id == Area.programme_id)).set_index("key")
        missing = df["programme_key"].isna() & df["area_key"].notna()
        df.loc[missing, "programme_key"] = df.loc[missing, "area_key"].map(area_prog["pk"])
        df.loc[missing, "programme"] = df.loc[missing, "area_key"].map(area_prog["pn"])
    return df


MONITORING_QUERIES = {
    f.__name__: f
    for f in (monitoring_settings, area_choices, project_list, project_milestones,
              project_decisions, coach_months, kernteam_quarters, kernteam_interventions,
              budgets, spending)
}
