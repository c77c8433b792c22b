"""Overzicht: headline figures per programme for bestuurders and the programme team."""

import streamlit as st

from dashboard import ui
from dashboard.domain import monitoring, overview
from dashboard.ui import charts, paper, profile
from dashboard.ui import monitoring as panels

ui.entry_guard()

st.title("Overzicht")
ui.demo_marker()

cfg = ui.load("monitoring_settings")
paper.print_header(paper.ALL_SOURCES, cfg["as_of"])
areas = ui.load("areas")
quarters = ui.load("kernteam_quarters")
projects = ui.load("projects_by_status")

st.subheader("Is het aan het werken?")  # first: the question the reader comes with
for programme in ui.load("programmes").itertuples():
    panels.outcome_block(programme.name, ui.view(profile.programme_outcomes,
                                                 programme_key=programme.key))

st.subheader("Programma's in cijfers")
headlines = ui.computed(overview.programme_headlines, areas, ui.load("coach_months"), quarters,
                        projects, cfg["caseload_norm_per_fte"])
for col, row in zip(st.columns(len(headlines)), headlines, strict=True):
    with col, st.container(border=True):
        panels.headline_card(row)

left, right = st.columns([3, 2])
with left:
    st.subheader("Ziekenhuisopnames van kwetsbare ouderen")
    trends = ui.computed(overview.admissions_trends, quarters, cfg["min_baseline_points"])
    if not trends:
        ui.empty_state("Nog geen kwartaalcijfers van kernteams.")
    for i, trend in enumerate(trends):
        panels.admissions_chart(trend, "opnames-kwetsbare-ouderen" + (f"-{i + 1}" if i else ""))
with right:
    st.subheader("Projecten naar status")
    if projects.empty:
        ui.empty_state("Nog geen projecten vastgelegd.")
    else:
        ui.chart(ui.chart_spec(charts.status_bars, projects, monitoring.STATUS_ORDER),
                 "projecten-naar-status")

st.subheader("Laatste besluiten van het lerend netwerk")
decisions = ui.load("latest_decisions")
if decisions.empty:
    ui.empty_state("Nog geen besluiten vastgelegd.")
else:
    panels.LATEST_DECISIONS.table(decisions)

st.subheader("Programmagebieden")
panels.AREAS.table(areas)
