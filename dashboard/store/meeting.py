"""Meeting mode: an agenda generated from the data and what changed since the last meeting
(the meeting report is built from them in ``dashboard.ui.decision_entry``). Plain functions
of (engine, role); no Streamlit.

SPC signals are not computed here: ``agenda(..., signals=...)`` takes them as a list of
``AgendaItem`` or as ``NewSignals``. ``new_kernteam_signals`` builds the latter from the
kernteam verdicts (``dashboard.domain.kernteams``, which applies ``dashboard.domain.spc``):
a signal is new when it is there with the latest quarter and was not there without it;
new signals are ranked by ``verdicts.signal_rank_key`` and come with the sentence how many
new signals chance alone gives among the series. Other series can be added through
``signal_items`` (series title, rule description, period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain import audit, coaches, kernteams, spc, verdicts
from dashboard.domain.datasets import decision_ref
from dashboard.domain.i18n import fmt_date, fmt_month, fmt_number
from dashboard.domain.roles import Permission, Role, require
from dashboard.store import settings
from dashboard.store.queries_monitoring import coach_months
from dashboard.store.settings import is_demo  # noqa: F401 - for pages
from data_loaders.db import read_frame as _frame
from data_loaders.models import (
    AuditLog,
    Coach,
    CoachMonth,
    Decision,
    DecisionStatus,
    Kernteam,
    KernteamQuarter,
    Milestone,
    Project,
)

WRITE_ACTIONS = ("aanmaken", "wijzigen", "verwijderen", "publiceren", "importeren", "laden")


@dataclass(frozen=True)
class AgendaItem:
    title: str  # what, e.g. "WC-07 (Hoensbroek)"
    detail: str  # why it is on the agenda, in Dutch
    verdict: str = ""  # signals: the written verdict's key (``verdicts``: verbetering, ...)
    # What a decision about this item links to (external values of the decision_evidence
    # dataset, e.g. (("kernteam", "KT-07"), ("metric", "admissions"))): prefills the forms.
    prefill: tuple[tuple[str, str], ...] = ()


@dataclass
class AgendaSection:
    key: str
    title: str
    empty: str  # shown when nothing needs discussing
    items: list[AgendaItem] = field(default_factory=list)
    note: str = ""  # how to read the section, e.g. how many signals chance alone gives


@dataclass(frozen=True)
class NewSignals:
    """The signals for the agenda: those new with the latest quarter, most urgent first
    (deteriorations, then changes without a direction, then improvements; within each the
    largest departure from the centre line), with how many signals there are in all and
    how many new ones chance alone gives among the series looked at."""

    items: list[AgendaItem]
    total: int
    series: int
    chance: str

    @property
    def note(self) -> str:
        new = len(self.items)
        return (f"{fmt_number(new)} {'nieuw signaal' if new == 1 else 'nieuwe signalen'} bij "
                f"{fmt_number(self.series)} reeksen (in totaal {fmt_number(self.total)} "
                f"signalen). {self.chance}")


def signal_items(signals: Iterable[tuple[str, str, str]]) -> list[AgendaItem]:
    """Agenda items from run-chart signals: (series title, rule in Dutch, period)."""
    return [AgendaItem(title, f"{rule} (vanaf {period})") for title, rule, period in signals]


def new_kernteam_signals(quarters: pd.DataFrame, interventions: pd.DataFrame,
                         min_baseline: int = spc.MIN_BASELINE) -> NewSignals:
    """Kernteam signals that appeared with the latest quarter, ranked by
    ``verdicts.signal_rank_key`` and each with its direction-aware verdict, plus the
    chance sentence over all kernteam series (``quarters``/``interventions`` as the
    Kernteams page loads them)."""
    if quarters.empty:
        return NewSignals([], 0, 0, "")
    every = kernteams.team_verdicts(quarters, interventions, min_baseline=min_baseline)
    now = kernteams.signal_list(every)
    latest = quarters["quarter"].max()
    before = kernteams.signal_list(kernteams.team_verdicts(
        quarters[quarters["quarter"] < latest], interventions, min_baseline=min_baseline))
    known = set(zip(before["team"], before["metric"], strict=True))
    last = max(quarters["quarter_start"])
    ranked = []
    for r in now.itertuples():
        if (r.team, r.metric) in known:
            continue
        metric = kernteams.METRICS[r.metric]
        dates = list(interventions.loc[interventions["team"] == r.team, "started_on"])
        analysis = kernteams.analyse_team(
            kernteams.team_series(quarters[quarters["team"] == r.team], str(r.team), last),
            metric, dates, min_baseline=min_baseline).analysis
        item = AgendaItem(f"{r.metric_label} · {r.team} ({r.area})",
                          f"nieuw signaal met {latest}: {r.direction}, {r.signal_points} van "
                          f"{r.points} kwartalen gemarkeerd", r.judgement,
                          prefill=(("kernteam", str(r.team)), ("metric", str(r.metric))))
        ranked.append((verdicts.signal_rank_key(analysis, metric.polarity), item.title, item))
    series = list(zip(every["chart"], every["phase_points"], strict=True))
    chance = verdicts.chance_signals_sentence(
        len(series), verdicts.expected_chance_signals(series, new=True))
    return NewSignals([item for *_, item in sorted(ranked, key=lambda t: t[:2])], len(now),
                      len(series), chance)


# ---------------------------------------------------------------- agenda sources


def overloaded_coaches(engine: Engine, role: Role) -> pd.DataFrame:
    """Coaches above their capacity in the latest month (``dashboard.domain.coaches``: the
    same rule and month as the Welzijnscoaches page)."""
    months = coach_months(engine, role)
    return coaches.overloaded(months, settings.load(engine).caseload_norm_per_fte)


def overdue_milestones(engine: Engine, role: Role, today: dt.date) -> pd.DataFrame:
    """Open milestones past their due date, of projects that are not deleted."""
    require(role, Permission.VIEW_INTERNAL)
    stmt = (
        select(Project.code, Project.name.label("project"), Milestone.title, Milestone.due_on)
        .join(Project, Project.id == Milestone.project_id)
        .where(Milestone.done_on.is_(None), Milestone.due_on < today,
               Milestone.deleted.is_(False), Project.deleted.is_(False))
        .order_by(Milestone.due_on)
    )
    df = _frame(engine, stmt)
    df["days_overdue"] = [(today - d).days for d in df["due_on"]]
    return df


def decisions_due(engine: Engine, role: Role, today: dt.date) -> pd.DataFrame:
    """Decisions not yet evaluated whose review date has passed or falls within the review
    horizon (a setting, 30 days by default)."""
    require(role, Permission.VIEW_INTERNAL)
    horizon = dt.timedelta(days=settings.load(engine).review_horizon_days)
    stmt = (
        select(Decision.id, Decision.subject, Decision.outcome, Decision.decided_on,
               Decision.body, Decision.review_on, Decision.status)
        .where(Decision.deleted.is_(False), Decision.review_on.is_not(None),
               Decision.review_on <= today + horizon,
               Decision.status != DecisionStatus.EVALUATED)
        .order_by(Decision.review_on)
    )
    df = _frame(engine, stmt)
    df["outcome"] = df["outcome"].map(lambda o: o.value)
    df["status"] = df["status"].map(lambda o: o.value)
    return df


def _month_back(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def stale_figures(engine: Engine, role: Role, today: dt.date) -> pd.DataFrame:
    """Coaches and kernteams whose figures miss the last ``stale_periods`` complete periods
    (a setting)."""
    require(role, Permission.VIEW_INTERNAL)
    last_month = _month_back(today.replace(day=1), 1)  # the last complete month
    periods = settings.load(engine).stale_periods
    month_limit = _month_back(last_month, periods - 1)
    this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter_limit = _month_back(this_quarter, 3 * periods)
    coach_rows = _frame(engine, select(Coach.code, func.max(CoachMonth.month).label("latest"))
                     .outerjoin(CoachMonth, CoachMonth.coach_id == Coach.id)
                     .where(Coach.ended_on.is_(None), Coach.active.is_(True))
                     .group_by(Coach.code))
    teams = _frame(engine, select(Kernteam.code,
                                  func.max(KernteamQuarter.quarter_start).label("latest"),
                                  func.max(KernteamQuarter.quarter).label("label"))
                   .outerjoin(KernteamQuarter, KernteamQuarter.kernteam_id == Kernteam.id)
                   .where(Kernteam.active.is_(True)).group_by(Kernteam.code))
    rows = [{"what": "Maandcijfers welzijnscoach", "code": r.code,
             "latest": "nooit" if r.latest is None else fmt_month(r.latest)}
            for r in coach_rows.itertuples() if r.latest is None or r.latest < month_limit]
    rows += [{"what": "Kwartaalcijfers kernteam", "code": r.code,
              "latest": "nooit" if r.latest is None else r.label}
             for r in teams.itertuples() if r.latest is None or r.latest < quarter_limit]
    return pd.DataFrame(rows, columns=["what", "code", "latest"])


def agenda(engine: Engine, role: Role, today: dt.date,
           signals: Sequence[AgendaItem] | NewSignals | None = None) -> list[AgendaSection]:
    """The meeting agenda, generated from the data. ``signals`` (signals from the SPC
    module, e.g. ``new_kernteam_signals``) adds its section only when a signal source is
    wired in; ``NewSignals`` brings its ranking and chance sentence along."""
    require(role, Permission.VIEW_INTERNAL)
    sections = []
    if isinstance(signals, NewSignals):
        sections.append(AgendaSection("signals", "Nieuwe signalen", "Geen nieuwe signalen.",
                                      list(signals.items), signals.note))
    elif signals is not None:
        sections.append(AgendaSection("signals", "Nieuwe signalen", "Geen nieuwe signalen.",
                                      list(signals)))
    overloaded = overloaded_coaches(engine, role)
    sections.append(AgendaSection(
        "coaches", "Overbelaste welzijnscoaches", "Geen coach zit boven de norm.",
        [AgendaItem(f"{r.coach} ({r.area})",
                    f"{fmt_number(r.active_households)} actieve huishoudens bij "
                    f"{fmt_number(r.fte, 1)} fte: {fmt_number(r.capacity_used_pct, 0)}% van de norm; "
                    f"wachtlijst {fmt_number(r.waiting_list)}")
         for r in overloaded.itertuples()]))
    milestones = overdue_milestones(engine, role, today)
    sections.append(AgendaSection(
        "milestones", "Mijlpalen over tijd", "Geen mijlpalen over tijd.",
        [AgendaItem(f"{r.code} {r.project}: {r.title}",
                    f"uiterlijk {fmt_date(r.due_on)}, {fmt_number(r.days_overdue)} dagen over tijd")
         for r in milestones.itertuples()]))
    decisions = decisions_due(engine, role, today)
    sections.append(AgendaSection(
        "decisions", "Besluiten om te evalueren", "Geen besluiten om te evalueren.",
        [AgendaItem(f"{r.subject} ({r.outcome})",
                    f"besloten {fmt_date(r.decided_on)} door {r.body}; evaluatie "
                    f"{'was' if r.review_on < today else 'is'} op {fmt_date(r.review_on)}; "
                    f"status {r.status}",
                    prefill=(("decision", decision_ref(r.decided_on, r.subject)),))
         for r in decisions.itertuples()]))
    stale = stale_figures(engine, role, today)
    sections.append(AgendaSection(
        "stale", "Gegevens niet bijgewerkt", "Alle maand- en kwartaalcijfers zijn bijgewerkt.",
        [AgendaItem(f"{r.what} {r.code}", f"laatste periode: {r.latest}")
         for r in stale.itertuples()]))
    return sections


def changes_since(engine: Engine, role: Role, since: dt.datetime) -> pd.DataFrame:
    """Successful writes since ``since`` (from the audit trail), newest first; as people
    read them: ``dashboard.domain.audit.readable_changes``."""
    require(role, Permission.EDIT_DATA)
    stmt = (
        select(AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.object_type,
               AuditLog.object_id, AuditLog.old_values, AuditLog.new_values)
        .where(AuditLog.at >= since, AuditLog.result == "ok",
               AuditLog.action.in_(WRITE_ACTIONS))
        .order_by(AuditLog.at.desc())
        .limit(500)
    )
    return _frame(engine, stmt)


# ---------------------------------------------------------------- the audit log (beheerder)


def audit_log(engine: Engine, role: Role, since: dt.date, until: dt.date, actor: str = "",
              action: str = "", result: str = "", limit: int = 5_000) -> pd.DataFrame:
    """Audit rows between two local (Dutch) days, inclusive, optionally filtered; newest
    first. ``old_values``/``new_values`` are the stored dicts (``domain.audit`` reads them)."""
    require(role, Permission.ADMINISTER)
    start, end = audit.local_day_bounds(since, until)
    stmt = select(AuditLog.id, AuditLog.at, AuditLog.actor, AuditLog.role, AuditLog.action,
                  AuditLog.object_type, AuditLog.object_id, AuditLog.result,
                  AuditLog.old_values, AuditLog.new_values
                  ).where(AuditLog.at >= start, AuditLog.at < end)
    if actor:
        stmt = stmt.where(AuditLog.actor == actor)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if result:
        stmt = stmt.where(AuditLog.result == result)
    return _frame(engine, stmt.order_by(AuditLog.id.desc()).limit(limit))


def audit_choices(engine: Engine, role: Role) -> dict[str, list[str]]:
    """Distinct actors, actions and results, for filter widgets."""
    require(role, Permission.ADMINISTER)
    out = {}
    for name, column in (("actor", AuditLog.actor), ("action", AuditLog.action),
                         ("result", AuditLog.result)):
        out[name] = sorted(v for (v,) in _frame(engine, select(column).distinct()).itertuples(
            index=False))
    return out
