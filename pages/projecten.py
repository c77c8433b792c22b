"""Projecten: the Blauwe Zorg projects and PlusWIJken programme lines — status, health,
domains, milestones (overdue highlighted), a timeline, a board by status and a detail view."""

import streamlit as st

from dashboard import ui
from dashboard.domain import monitoring
from dashboard.domain.i18n import fmt_date
from dashboard.ui import charts, views
from dashboard.ui import monitoring as panels

ui.entry_guard()

st.title("Projecten")
ui.demo_marker()
st.caption("De acht projecten van Blauwe Zorg in de wijk en de programmalijnen van PlusWIJken. "
           "Elk project overstijgt minstens twee domeinen.")

as_of = ui.load("monitoring_settings")["as_of"]
filters = views.programme_area_filters("pr")
c1, c2 = st.columns(2)
status = views.url_select("Status", panels.STATUS_OPTIONS, param="status", key="pr_status",
                          container=c1)
health = views.url_select("Gezondheid", panels.HEALTH_OPTIONS, param="gezondheid",
                          key="pr_gezondheid", container=c2)
milestones = ui.load("project_milestones")
overview = monitoring.select_projects(
    monitoring.project_overview(ui.load("project_list"), milestones, as_of), filters, status,
    health)
if overview.empty:
    ui.empty_state("Geen projecten in deze selectie.")
    st.stop()
ms = monitoring.overview_milestones(milestones, overview, as_of)
panels.project_metrics(monitoring.project_counts(overview), ms, as_of)

st.subheader("Overzicht")
panels.PROJECTS.show(None, overview, "projecten")

st.subheader("Tijdlijn")
gantt = monitoring.gantt_frame(overview, as_of)
marks = monitoring.timeline_marks(ms, gantt)
timeline = ui.chart_spec(charts.project_timeline, gantt, marks, monitoring.STATUS_ORDER,
                         monitoring.MILESTONE_STATES, as_of, fmt_date(as_of))
panels.TIMELINE.show(timeline, marks.sort_values("due_on"), "projecten-mijlpalen")

st.subheader("Bord per status")
panels.project_board(overview)

st.subheader("Projectplan")
options = monitoring.project_choices(overview)
code = views.url_select("Project", options, param="project", key="pr_project",
                        default=next(iter(options)))
panels.project_plan(overview.set_index("code").loc[code])
st.markdown("**Mijlpalen**")
own = ms[ms["project_code"] == code]
if own.empty:
    ui.empty_state("Geen mijlpalen vastgelegd.")
else:
    panels.MILESTONES.show(None, own, f"mijlpalen-{code}")
st.markdown("**Besluiten**")
decisions = monitoring.project_decisions(ui.load("project_decisions"), code)
if decisions.empty:
    ui.empty_state("Nog geen besluiten over dit project.")
else:
    panels.PROJECT_DECISIONS.show(None, decisions, f"besluiten-{code}")
