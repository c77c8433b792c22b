"""Kernteams: quarterly results of the kernteams ouderen, run/control charts per team with
their written verdict, a comparison across teams that accounts for team size, and the
teams with a signal."""

import streamlit as st

from dashboard import ui
from dashboard.domain import kernteams, monitoring
from dashboard.ui import monitoring as panels
from dashboard.ui import views

ui.entry_guard()

st.title("Kernteams")
ui.demo_marker()
st.caption("Resultaten van de kernteams ouderen per kwartaal: tellingen met hun noemer "
           "(kwetsbare ouderen in beeld). Een signaal is een verandering die groter is dan "
           "toeval; het oordeel zegt of dat een verbetering of een verslechtering is.")

filters = views.programme_area_filters("kt")
quarters = monitoring.apply_filters(ui.load("kernteam_quarters"), filters)
interventions = ui.load("kernteam_interventions")
if quarters.empty:
    ui.empty_state("Geen kernteams in deze selectie. Kernteams werken in de PlusWIJken-gebieden.")
    st.stop()
min_baseline = ui.load("monitoring_settings")["min_baseline_points"]

c1, c2, c3 = st.columns(3)
metric_key = views.url_select("Kengetal", {k: m.label for k, m in kernteams.METRICS.items()},
                              param="kengetal", key="kt_kengetal", default="admissions",
                              container=c1)
metric = kernteams.METRICS[metric_key]
method = views.url_select(
    "Interventie in de kaart", kernteams.METHODS, param="methode", key="kt_methode",
    default="baseline", container=c3,
    help="Bij een interventie: de middenlijn en grenzen van de kwartalen ervóór doortrekken "
         "(bevroren basislijn), of na de interventie een nieuwe fase met eigen middenlijn.")
verdicts = ui.computed(kernteams.team_verdicts, quarters, interventions, method=method,
                       min_baseline=min_baseline)
signals = kernteams.signal_list(verdicts)
teams = kernteams.team_choices(quarters)
team = views.url_select("Kernteam", teams, param="team", key="kt_team", container=c2,
                        default=kernteams.first_signal_team(signals, metric_key, list(teams)))

head = kernteams.headline(quarters, metric)
panels.kernteam_metrics(head, metric, len(teams), kernteams.signal_count(signals, metric_key))

st.subheader("Teams met een signaal")
st.caption(ui.escape_md(kernteams.chance_note(verdicts)))
panels.signal_table(signals)

st.subheader(f"{ui.escape_md(metric.label)}: {ui.escape_md(team)}")
series = kernteams.team_series(quarters, team)
team_iv = interventions[interventions["team"] == team]
evidence = ui.computed(kernteams.analyse_team, series, metric, list(team_iv["started_on"]),
                       method, min_baseline)
panels.team_chart(evidence, series, metric, team_iv, title=teams[team])

st.subheader("Vergelijking tussen teams")
period = kernteams.funnel_period(quarters)
panels.funnel_panel(ui.computed(kernteams.team_funnel, quarters, metric, period), metric, period)

st.subheader("Resultaten per team en kwartaal")
chosen = views.url_select("Kwartaal", kernteams.quarter_choices(quarters), param="kwartaal",
                          key="kt_kwartaal", default=head.quarter)
panels.quarter_results(quarters, chosen)
