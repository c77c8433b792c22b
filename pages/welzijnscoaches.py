"""Welzijnscoaches: caseload per coach and area against the norm per FTE, FTE against the
plan, the waiting list, inflow and outflow, and run charts of the key series with their
written verdict."""

import streamlit as st

from dashboard import ui
from dashboard.domain import coaches, monitoring
from dashboard.domain.i18n import fmt_month, fmt_number
from dashboard.ui import charts, views
from dashboard.ui import monitoring as panels

ui.entry_guard()

st.title("Welzijnscoaches")
ui.demo_marker()
cfg = ui.load("monitoring_settings")
norm = cfg["caseload_norm_per_fte"]
st.caption(f"Alleen tellingen per coach (pseudoniem) en maand, geen cliëntgegevens. Norm: "
           f"{fmt_number(norm)} huishoudens per fte; boven 100% van de capaciteit is een coach "
           "overbelast.")

filters = views.programme_area_filters("wc")
all_months = ui.load("coach_months")
months = monitoring.apply_filters(all_months, filters)
if months.empty:
    ui.empty_state("Geen welzijnscoaches in deze selectie. Welzijnscoaches werken in de "
                   "PlusWIJken-gebieden.")
    st.stop()

head = ui.computed(coaches.headline, months, norm)
selection = bool(filters.areas or filters.programme)
panels.coach_metrics(head, norm=norm, plan=cfg["coach_fte_plan"],
                     all_fte=coaches.total_fte(all_months) if selection else None)

st.subheader(f"Caseload per coach, {fmt_month(head.month)}")
caseload = coaches.coach_caseload(months, norm, head.month)
panels.CASELOAD.show(ui.chart_spec(charts.capacity_bars, caseload), caseload,
                     "welzijnscoaches-caseload")

st.subheader("Caseload per gebied per maand")
per_area = coaches.area_caseload(months, norm)
panels.AREA_CASELOAD.show(ui.chart_spec(charts.capacity_lines, per_area), per_area,
                          "welzijnscoaches-gebieden")

monthly = ui.computed(coaches.monthly_totals, months)
for col, (name, title, mapping) in zip(st.columns(2), panels.FLOWS, strict=True):
    with col:
        st.subheader(ui.escape_md(title))
        flow = coaches.long_by(monthly, mapping, name)
        panels.flow_columns(name).show(
            ui.chart_spec(charts.stacked_months, flow, name, list(mapping.values()), title),
            flow, f"welzijnscoaches-{name}")

st.subheader("Verloop per maand")
st.caption("Een maand die nog niet alle coaches hebben aangeleverd, blijft open in de lijn.")
cols = st.columns(2)
for i, series in enumerate(coaches.RUN_SERIES):
    with cols[i % 2]:
        panels.coach_run_chart(monthly, series)
