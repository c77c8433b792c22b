"""Tables and panels of the monitoring pages (Overzicht, Projecten, Welzijnscoaches,
Kernteams, Financiën): the Dutch column map of every table, and the small blocks of
widgets the pages compose (headline cards, a chart with its written verdict, the signal
table, the project board). Rules and arithmetic stay in ``dashboard.domain``; the pages
stay storyboards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.domain import coaches, disclosure, funnel, kernteams, monitoring, spc, verdicts
from dashboard.domain.i18n import fmt_date, fmt_euro, fmt_month, fmt_number, fmt_percent
from dashboard.domain.overview import AdmissionsTrend, ProgrammeHeadline
from dashboard.ui import charts, views

ICONS = {key: icon.markdown for key, icon in verdicts.VERDICT_ICONS.items()}
EXPLANATIONS = verdicts.EXPLANATIONS
READING = verdicts.CHART_EXPLANATIONS  # one plain-Dutch sentence per chart type
PENDING_ICON = ":material/hourglass_top:"


@dataclass(frozen=True)
class Columns:
    """A table's Dutch headers (data column -> header, in this order) and formats."""

    names: Mapping[str, str]
    config: Mapping[str, Any] = field(default_factory=dict)

    def show(self, chart: ui.VegaSpec | None, data: pd.DataFrame, name: str) -> None:
        """The chart with this table in its *Tabel* tab (or the table alone), downloads."""
        views.chart_with_table(chart, data, columns=self.names, name=name,
                               column_config=self.config)

    def table(self, data: pd.DataFrame) -> None:
        ui.table(data, columns=dict(self.names), column_config=dict(self.config))


# ---------------------------------------------------------------- verdicts and deliveries


def verdict_caption(verdict: verdicts.SeriesVerdict, chart: str, *details: str) -> None:
    """The written, direction-aware verdict with its icon and what it means, then how to
    read the chart (what the lines are, what counts as a real change) and ``details``."""
    st.markdown(f"**Oordeel:** {ICONS[verdict.key]} — {EXPLANATIONS[verdict.key]}")
    st.caption((READING[chart] + " " + " ".join(ui.escape_md(d) for d in details)).strip())


def pending_note(notes: Sequence[str], shown: str) -> None:
    """Periods that not every team or coach has delivered: named, and left out of the
    figures, which are those of ``shown``."""
    if notes:
        st.warning(f"Onvolledig: {'; '.join(ui.escape_md(n) for n in notes)}. Zo'n periode "
                   "telt nog niet mee; de cijfers gaan over "
                   f"{ui.escape_md(shown)}, de laatste volledige periode.", icon=PENDING_ICON)


def run_details(phase: spc.PhaseResult, unit: str) -> str:
    """The numbers behind a verdict, in Dutch."""
    return (f"{fmt_number(phase.n)} {unit} in de laatste fase; langste reeks aan één kant "
            f"{fmt_number(phase.longest_run)} (toeval reikt tot {fmt_number(phase.longest_run_max)}"
            f"); {fmt_number(phase.crossings)} keer van kant gewisseld (toeval: minstens "
            f"{fmt_number(phase.crossings_min)}); {fmt_number(phase.outside_limits)} punten "
            "buiten de grenzen.")


# ---------------------------------------------------------------- Overzicht

LATEST_DECISIONS = Columns(
    {"decided_on": "Datum", "programme": "Programma", "subject": "Onderwerp",
     "outcome": "Besluit", "body": "Besloten door", "review_on": "Evaluatie op"},
    {"Datum": views.DATE, "Evaluatie op": views.DATE})
AREAS = Columns(
    {"name": "Gebied", "programme": "Programma", "municipality_name": "Gemeente",
     "cbs_codes": "CBS-codes", "started_on": "Gestart", "residents": "Inwoners",
     "low_income_pct": "Laag inkomen (%)"},
    {"Gestart": views.DATE, "Inwoners": st.column_config.NumberColumn(format="localized"),
     "Laag inkomen (%)": st.column_config.NumberColumn(format="%.1f")})


def headline_card(row: ProgrammeHeadline) -> None:
    """One programme's headline figures; a month or quarter still being delivered is
    named below them and not counted."""
    st.subheader(ui.escape_md(row.programme))
    # Pairs of metrics, and the long kernteam label on a row of its own: nothing is cut off
    # in a card half the page wide (tests/e2e/test_e2e_walk.py).
    a, b = st.columns(2)
    a.metric("Gebieden", fmt_number(row.areas))
    b.metric("Inwoners", fmt_number(row.residents),
             help=f"Peiljaar {ui.escape_md(row.residents_year)}")
    a, b = st.columns(2)
    a.metric("Projecten in uitvoering", fmt_number(row.projects_running),
             delta=f"van {fmt_number(row.projects_total)} in totaal", delta_color="off",
             delta_arrow="off")
    if row.capacity and row.coach_month:
        b.metric("Benutte capaciteit", fmt_percent(row.capacity_used_pct, 0),
                 delta=f"van {fmt_number(row.capacity)} huishoudens", delta_color="off",
                 delta_arrow="off",
                 help="Actieve huishoudens tegen de capaciteit (fte × norm per fte).")
        st.metric("Huishoudens bij welzijnscoaches", fmt_number(row.active_households),
                  help=f"Actieve huishoudens in {fmt_month(row.coach_month)}, de laatste maand "
                       "die alle coaches aanleverden.")
    if row.admissions_per_1000 is not None:
        st.metric(f"Opnames per 1.000 kwetsbare ouderen ({ui.escape_md(row.admissions_quarter)})",
                  fmt_number(row.admissions_per_1000, 1),
                  delta=None if row.admissions_delta is None
                  else f"{fmt_number(row.admissions_delta, 1)} t.o.v. vorig kwartaal",
                  delta_color="inverse",
                  help="Het laatste kwartaal dat alle kernteams aanleverden; het verschil is "
                       "berekend over de teams die beide kwartalen aanleverden.")
    for note in [*row.coach_pending, *row.admissions_pending]:
        st.caption(f"{PENDING_ICON} Onvolledig: {ui.escape_md(note)}; telt nog niet mee.")


def admissions_chart(trend: AdmissionsTrend, name: str) -> None:
    """A programme's admission rate per quarter as a control chart with its verdict;
    quarters still being delivered stay open in the line."""
    rows, evidence = trend.rows, trend.evidence
    ui.chart(ui.chart_spec(
        charts.spc_chart, evidence.analysis, list(rows["quarter_start"]), list(rows["quarter"]),
        title=f"{trend.programme}: opnames per 1.000 kwetsbare ouderen",
        y_title="Opnames per 1.000", x_title="Kwartaal", verdict=evidence.verdict.label), name)
    open_quarters = [f"{q} ({fmt_number(t)} van {fmt_number(e)} teams)" for q, t, e in
                     rows.loc[~rows["complete"], ["quarter", "teams", "expected"]].itertuples(
                         index=False)]
    gaps = (f"Open in de lijn, want niet alle teams leverden aan: {', '.join(open_quarters)}."
            if open_quarters else "")
    verdict_caption(evidence.verdict, evidence.analysis.chart, evidence.choice.caption, gaps)


# ---------------------------------------------------------------- Projecten

STATUS_OPTIONS = {views.ALL: "Alle statussen", **{s: s for s in monitoring.STATUS_ORDER}}
HEALTH_OPTIONS = {views.ALL: "Alle", **{h: h for h in monitoring.HEALTH_ORDER}}
HEALTH_BADGE = {"op koers": "green", "aandacht nodig": "orange", "risico": "red"}
PROJECTS = Columns(
    {"code": "Code", "name": "Naam", "programme": "Programma", "kind": "Soort",
     "status": "Status", "health": "Gezondheid", "domains_text": "Domeinen",
     "areas_text": "Gebieden", "milestones_done": "Mijlpalen behaald", "milestones": "Mijlpalen",
     "overdue": "Over tijd", "next_due": "Volgende mijlpaal"},
    {"Volgende mijlpaal": views.DATE})
TIMELINE = Columns({"project_code": "Project", "title": "Mijlpaal", "due_on": "Gepland",
                    "done_on": "Behaald op", "state": "Stand"},
                   {"Gepland": views.DATE, "Behaald op": views.DATE})
MILESTONES = Columns({"title": "Mijlpaal", "due_on": "Gepland", "done_on": "Behaald op",
                      "state": "Stand"}, {"Gepland": views.DATE, "Behaald op": views.DATE})
PROJECT_DECISIONS = Columns(
    {"decided_on": "Datum", "outcome": "Besluit", "body": "Besloten door",
     "rationale": "Onderbouwing", "expected_effect": "Verwacht effect",
     "review_on": "Evaluatie op", "status": "Status", "published": "Gepubliceerd"},
    {"Datum": views.DATE, "Evaluatie op": views.DATE})
PLAN_FIELDS = (("goal", "Doel"), ("approach", "Aanpak en planning"),
               ("participants", "Deelnemers"), ("facilities", "Faciliteiten"),
               ("expected_results", "Verwachte resultaten"),
               ("resident_participation", "Participatie van bewoners"))


def project_metrics(counts: monitoring.ProjectCounts, milestones: pd.DataFrame,
                    as_of: Any) -> None:
    """Counts of projects and overdue milestones, and which milestones are overdue."""
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Projecten en programmalijnen", fmt_number(counts.projects))
    m2.metric("In uitvoering", fmt_number(counts.running))
    m3.metric("Met risico", fmt_number(counts.at_risk))
    m4.metric("Mijlpalen over tijd", fmt_number(counts.overdue_milestones),
              help=f"Niet behaald en de datum ligt vóór {fmt_date(as_of)}.")
    late = milestones[milestones["overdue"]]
    if len(late):
        st.warning("Mijlpalen over tijd: " + "; ".join(
            f"{ui.escape_md(r.project_code)} – {ui.escape_md(r.title)} (gepland "
            f"{fmt_date(r.due_on)})" for r in late.itertuples()), icon=":material/schedule:")


def project_board(overview: pd.DataFrame) -> None:
    """A column per status with a card per project: health, overdue milestones, domains."""
    statuses = monitoring.statuses_present(overview)
    for col, status in zip(st.columns(len(statuses)), statuses, strict=True):
        with col:
            group = overview[overview["status"] == status]
            st.markdown(f"**{ui.escape_md(status.capitalize())}** ({len(group)})")
            for r in group.itertuples():
                with st.container(border=True):
                    st.markdown(f"**{ui.escape_md(r.code)}** {ui.escape_md(r.name)}")
                    st.badge(ui.escape_md(r.health), color=HEALTH_BADGE.get(r.health, "gray"))
                    if r.health != r.health_reported:
                        st.caption(f"Team meldt '{ui.escape_md(r.health_reported)}'; "
                                   "aandacht nodig door mijlpalen over tijd.")
                    if r.overdue:
                        st.badge(f"{fmt_number(r.overdue)} mijlpaal over tijd", color="red",
                                 icon=":material/schedule:")
                    st.caption(f"{ui.escape_md(r.domains_text)} · {ui.escape_md(r.programme)}")


def project_plan(p: pd.Series) -> None:
    """A project's plan: status, health, programme, areas, domains, contact, budget, term
    and the plan fields."""
    st.markdown(f"### {ui.escape_md(p['name'])}")
    st.badge(ui.escape_md(p["status"]), color="blue")
    st.badge(ui.escape_md(p["health"]), color=HEALTH_BADGE.get(p["health"], "gray"))
    a, b = st.columns(2)
    with a:
        st.markdown(f"**Programma:** {ui.escape_md(p['programme'])} ({ui.escape_md(p['kind'])})")
        st.markdown(f"**Gebieden:** {ui.escape_md(p['areas_text']) or '–'}")
        st.markdown(f"**Domeinen:** {ui.escape_md(p['domains_text'])}")
        if p["domain_count"] < monitoring.MIN_DOMAINS:
            st.error(f"Dit project overstijgt minder dan {monitoring.MIN_DOMAINS} domeinen.")
    with b:
        st.markdown(f"**Contactpersoon (rol):** {ui.escape_md(p['contact_role']) or '–'}")
        st.markdown(f"**Budget:** {fmt_euro(p['budget_eur'])}")
        st.markdown(f"**Looptijd:** {fmt_date(p['started_on'])} t/m {fmt_date(p['ends_on'])}")
    for key, label in PLAN_FIELDS:
        st.markdown(f"**{ui.escape_md(label)}**")
        st.text(p[key] or "–")


# ---------------------------------------------------------------- Welzijnscoaches

CASELOAD = Columns(
    {"coach": "Coach", "area": "Gebied", "fte": "Fte", "active_households": "Actieve huishoudens",
     "capacity": "Capaciteit", "capacity_used_pct": "Benutte capaciteit (%)",
     "flag": "Overbelast", "waiting_list": "Wachtlijst"},
    {"Fte": views.ONE_DECIMAL, "Benutte capaciteit (%)": views.ONE_DECIMAL})
AREA_CASELOAD = Columns(
    {"area": "Gebied", "month": "Maand", "coaches": "Coaches", "fte": "Fte",
     "active_households": "Actieve huishoudens", "capacity": "Capaciteit",
     "capacity_used_pct": "Benutte capaciteit (%)", "flag": "Overbelast",
     "waiting_list": "Wachtlijst"},
    {"Maand": views.MONTH, "Fte": views.ONE_DECIMAL, "Benutte capaciteit (%)": views.ONE_DECIMAL})
FLOWS = (("verwijzer", "Instroom naar verwijzer", coaches.REFERRERS),
         ("resultaat", "Uitstroom naar resultaat", coaches.OUTCOMES))


def flow_columns(name: str) -> Columns:
    return Columns({"month": "Maand", name: name.capitalize(), "count": "Huishoudens"},
                   {"Maand": views.MONTH})


def coach_metrics(head: coaches.Headline, *, norm: float, plan: float,
                  all_fte: float | None) -> None:
    """Headline figures of the latest complete month; ``all_fte``: the FTE of all coaches
    when the page shows a selection (the plan is for all of PlusWIJken)."""
    pending_note(coaches.delivery_notes(head.pending), fmt_month(head.month))
    m1, m2, m3 = st.columns(3)  # two rows of three: the labels fit at 1400 px
    if all_fte is None:
        m1.metric("Fte welzijnscoaches", f"{fmt_number(head.fte, 1)} fte",
                  delta=f"plan {fmt_number(plan, 1)} fte", delta_color="off", delta_arrow="off")
    else:
        m1.metric("Fte welzijnscoaches", f"{fmt_number(head.fte, 1)} fte",
                  help=f"In deze selectie; het plan is {fmt_number(plan, 1)} fte voor heel "
                       f"PlusWIJken (nu {fmt_number(all_fte, 1)} fte).")
    m2.metric(f"Actieve huishoudens ({fmt_month(head.month)})",
              fmt_number(head.active_households))
    m3.metric("Benutte capaciteit", fmt_percent(head.capacity_used_pct, 0))
    m4, m5, m6 = st.columns(3)
    m4.metric("Overbelaste coaches", f"{len(head.overloaded)} van {fmt_number(head.coaches)}")
    m5.metric("Wachtlijst", fmt_number(head.waiting_list))
    m6.metric("Gemiddelde duur", f"{fmt_number(head.mean_duration_days)} dagen",
              help="Gemiddelde duur van de trajecten die deze maand zijn afgesloten.")
    if head.overloaded:
        st.warning(f"Overbelast in {fmt_month(head.month)} (meer dan {fmt_number(norm)} "
                   "huishoudens per fte): " + ", ".join(
                       f"{ui.escape_md(c)} ({fmt_percent(p, 0)})" for c, p in head.overloaded),
                   icon=":material/warning:")


def coach_run_chart(monthly: pd.DataFrame, series: coaches.RunSeries) -> None:
    """Run chart of one monthly total with its written verdict; a month not every coach
    delivered is a gap."""
    analysis, verdict = ui.computed(coaches.run_chart, monthly, series)
    months = list(monthly["month"])
    labels = [fmt_month(m) for m in months]
    chart = ui.chart_spec(charts.spc_chart, analysis, months, labels, title=series.title,
                          y_title=series.y_title, x_title="Maand",
                          value_format=series.value_format, verdict=verdict.label)
    Columns({"label": "Maand", "value": series.y_title, "centre": "Mediaan",
             "status": "Beoordeling"},
            {series.y_title: views.ONE_DECIMAL, "Mediaan": views.ONE_DECIMAL}).show(
        chart, charts.spc_frame(analysis, months, labels), f"welzijnscoaches-run-{series.key}")
    verdict_caption(verdict, analysis.chart)


# ---------------------------------------------------------------- Kernteams

RESULTS = Columns(
    {"team": "Kernteam", "area": "Gebied", "practice": "PlusPraktijk",
     "frail_elderly": "Kwetsbare ouderen", "with_care_plan": "Met zorgplan",
     "discussed_mdo": "Besproken in MDO", "ed_visits": "SEH-bezoeken", "admissions": "Opnames",
     "readmissions": "Heropnames", "falls": "Valincidenten", "rate_ed_visits": "SEH per 1.000",
     "rate_admissions": "Opnames per 1.000", "rate_with_care_plan": "Zorgplan (%)",
     "rate_discussed_mdo": "MDO (%)"},
    {c: views.ONE_DECIMAL for c in ("SEH per 1.000", "Opnames per 1.000", "Zorgplan (%)",
                                    "MDO (%)")})
SMALL_COUNTS = ["with_care_plan", "discussed_mdo", "ed_visits", "admissions", "readmissions",
                "falls"]


def kernteam_metrics(head: kernteams.Headline, metric: kernteams.Metric, teams: int,
                     signals: int) -> None:
    """Headline figures of the latest complete quarter."""
    pending_note(kernteams.delivery_notes(head.pending), head.quarter)
    m1, m2, m3, m4 = st.columns([0.8, 1.2, 1.2, 0.8])  # the labels fit at 1400 px
    m1.metric("Kernteams", fmt_number(teams))
    m2.metric(f"Kwetsbare ouderen in beeld ({ui.escape_md(head.quarter)})",
              fmt_number(head.frail_elderly))
    m3.metric(f"{ui.escape_md(metric.short)} ({ui.escape_md(head.quarter)})",
              fmt_number(head.rate, 1), help=ui.escape_md(metric.label))
    m4.metric("Teams met signaal", fmt_number(signals),
              help="Kernteams met een signaal in de grafiek van dit kengetal.")


def signal_table(signals: pd.DataFrame) -> None:
    """Teams with a signal and the written verdict with its icon; CSV and Excel carry
    the verdict as text."""
    if signals.empty:
        ui.empty_state("Geen signalen in deze selectie.")
        return
    shown = pd.DataFrame({
        "Kernteam": signals["team"], "Gebied": signals["area"],
        "Kengetal": signals["metric_label"], "Oordeel": signals["judgement"].map(ICONS),
        "Richting": signals["direction"], "Signaalpunten": signals["signal_points"],
        "Kwartalen": signals["points"],
        "Middenlijn": [fmt_number(v, 1) for v in signals["centre"]],
        "Laatste waarde": [fmt_number(v, 1) for v in signals["latest"]],
        "Interventie": signals["intervention"]})
    ui.md_table(shown.set_index("Kernteam"), height=480 if len(shown) > 12 else "content")
    ui.downloads(shown.assign(Oordeel=signals["judgement"].str.capitalize()),
                 "kernteams-signalen")


def team_chart(evidence: kernteams.Evidence, series: pd.DataFrame, metric: kernteams.Metric,
               interventions: pd.DataFrame, *, title: str) -> None:
    """One team's P(′)/U(′)-chart with its table and written verdict; a quarter the team
    did not deliver is a gap."""
    x, labels = list(series["quarter_start"]), list(series["quarter"])
    chart = ui.chart_spec(
        charts.spc_chart, evidence.analysis, x, labels, title=title, y_title=metric.short,
        x_title="Kwartaal", verdict=evidence.verdict.label,
        interventions=list(zip(interventions["started_on"], interventions["label"],
                               strict=True)))
    frame = charts.spc_frame(evidence.analysis, x, labels).assign(
        numerator=[disclosure.mark_small(v) for v in series[metric.numerator]],
        denominator=list(series[metric.denominator]))
    Columns({"label": "Kwartaal", "numerator": "Aantal", "denominator": "Kwetsbare ouderen",
             "value": metric.unit, "centre": "Middenlijn", "lower": "Ondergrens",
             "upper": "Bovengrens", "status": "Beoordeling"},
            {c: views.ONE_DECIMAL for c in (metric.unit, "Middenlijn", "Ondergrens",
                                            "Bovengrens")}).show(
        chart, frame, f"kernteam-{series['team'].iloc[0]}-{metric.key}")
    verdict_caption(evidence.verdict, evidence.analysis.chart, evidence.choice.caption,
                    run_details(evidence.analysis.phases[-1], "kwartalen"))


def funnel_panel(result: funnel.Funnel | None, metric: kernteams.Metric,
                 period: Sequence[str]) -> None:
    """The funnel across teams over ``period``, with what it shows and how much the teams
    differ beyond chance."""
    if result is None or not period:
        ui.empty_state("Geen kwartaalcijfers om teams te vergelijken.")
        return
    st.caption(f"{READING['funnel']} Periode: {ui.escape_md(period[0])} t/m "
               f"{ui.escape_md(period[-1])}. {ui.escape_md(result.caption)}")
    chart = ui.chart_spec(charts.funnel_chart, result.units, result.curve,
                          title=f"{metric.label} per team", y_title=metric.short,
                          value_title=metric.unit)
    Columns({"team": "Kernteam", "area": "Gebied", "numerator": "Aantal",
             "denominator": "Kwetsbare ouderen", "value": metric.unit,
             "lower998": "Ondergrens (99,8%)", "upper998": "Bovengrens (99,8%)",
             "position": "Ten opzichte van de grenzen"},
            {c: views.ONE_DECIMAL for c in (metric.unit, "Ondergrens (99,8%)",
                                            "Bovengrens (99,8%)")}).show(
        chart, result.units.sort_values("value"), f"kernteams-trechter-{metric.key}")


def quarter_results(quarters: pd.DataFrame, quarter: str) -> None:
    """Every team's counts and rates in one quarter (small counts marked), and how many
    teams delivered it."""
    delivery = kernteams.quarter_delivery(quarters, quarter)
    if delivery is not None and not delivery.complete:
        st.caption(f"{PENDING_ICON} Onvolledig: {ui.escape_md(delivery.text(kernteams.UNITS))}.")
    RESULTS.show(None, disclosure.mark_small_columns(kernteams.quarter_table(quarters, quarter),
                                                     SMALL_COUNTS), f"kernteams-{quarter}")


# ---------------------------------------------------------------- Financiën

BUDGET_VIEWS = (("financier", "Budget per financier", "Financier"),
                ("law", "Budget per wet", "Wet"))
SPENDING_VIEWS = (("area", "Gebied"), ("project", "Project"))


def budget_columns(by: str, header: str) -> Columns:
    return Columns({"year": "Jaar", by: header, "amount_eur": "Budget (€)",
                    "share_pct": "Aandeel (%)"},
                   {"Budget (€)": views.EURO, "Aandeel (%)": views.ONE_DECIMAL})


MIX = budget_columns("financier", "Financier")


def spending_columns(by: str, header: str) -> Columns:
    return Columns({by: header, "amount_eur": "Uitgaven (€)"}, {"Uitgaven (€)": views.EURO})


def budget_metrics(summary: monitoring.BudgetSummary) -> None:
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Gezamenlijk budget {int(summary.year)}", fmt_euro(summary.total_eur))
    m2.metric(f"Aandeel zorgverzekeraars {int(summary.year)}",
              fmt_percent(summary.insurer_share_pct, 0),
              delta=f"{fmt_number(summary.share_change_pp, 0)} procentpunt sinds "
                    f"{int(summary.first_year)}", delta_color="off")
    realised = summary.realised_pct
    m3.metric(f"Uitgaven {int(summary.year)}", fmt_euro(summary.spent_eur),
              delta=None if realised is None else f"{fmt_percent(realised, 0)} van het budget",
              delta_color="off",
              help="Uitgaven in de selectie in hetzelfde jaar als het budget ernaast.")


def unit_cost_metrics(costs: monitoring.UnitCosts) -> None:
    """What a year's spending comes to per household coached and per frail elderly person
    in view (rough: the spending pays for more than coaches and kernteams)."""
    per_household, per_elderly, _ = st.columns(3)
    if costs.per_household_eur is not None:
        per_household.metric(
            f"Per begeleid huishouden {int(costs.year)}", fmt_euro(costs.per_household_eur),
            help=f"Uitgaven {int(costs.year)} van de programma's met welzijnscoaches (in "
                 f"de selectie) gedeeld door de {fmt_number(costs.households)} huishoudens die "
                 "dat jaar een welzijnscoach hadden (actief in de eerste maand plus de nieuwe). "
                 "Een grove maat: de uitgaven betalen meer dan de coaches.")
    if costs.per_elderly_eur is not None:
        per_elderly.metric(
            f"Per kwetsbare oudere in beeld {int(costs.year)}",
            fmt_euro(costs.per_elderly_eur),
            help=f"Uitgaven {int(costs.year)} van de programma's met kernteams (in de "
                 f"selectie) gedeeld door de {fmt_number(costs.frail_elderly)} kwetsbare ouderen "
                 "die de kernteams gemiddeld per volledig aangeleverd kwartaal in beeld hadden. "
                 "Een grove maat.")


def outcome_block(programme: str, outcomes: Any) -> None:
    """Is it working? The programme's one-line answer, its total per outcome indicator, and
    per area and outcome indicator the latest value against its municipality and Nederland
    with the verdict."""
    with st.container(border=True):
        st.markdown(f"**{ui.escape_md(programme)}** — {ui.escape_md(outcomes.answer)}")
        if not outcomes.total.empty:
            ui.md_table(outcomes.total.set_index("Indicator"))
        if outcomes.note:
            st.caption(ui.escape_md(outcomes.note))
        if outcomes.table.empty:
            return
        with st.expander("Per gebied en indicator: laatste waarde, gemeente, Nederland en "
                         "oordeel over de trend"):
            ui.md_table(outcomes.table.set_index("Gebied"),
                        height=420 if len(outcomes.table) > 12 else "content")
            st.caption("Oordeel over de hele reeks van het gebied, met de regels van de "
                       "regelkaart (zie Begrippen op de pagina Toegankelijkheid). Gemeente en "
                       "Nederland in dezelfde periode; – als er geen vergelijkingscijfer is. "
                       "Het programma als geheel: alle gebieden samen, opgeteld en herberekend "
                       "met dezelfde regel als een gebied uit zijn CBS-delen.")
            ui.downloads(outcomes.table.assign(
                Oordeel=[o.split(": ", 1)[-1].rstrip("]") for o in outcomes.table["Oordeel"]]),
                f"uitkomsten-{programme.lower().replace(' ', '-')}")
