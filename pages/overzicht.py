"""Overzicht: headline figures per programme for bestuurders and the programme team."""

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.domain.i18n import fmt_number, fmt_percent
from dashboard.domain import coaches, monitoring
from dashboard.domain.overview import programme_headlines

ui.entry_guard()

st.title("Overzicht")
ui.demo_marker()

areas = ui.load("areas")
capacity = coaches.programme_caseload(
    ui.load("coach_months"), ui.load("monitoring_settings")["caseload_norm_per_fte"])
admissions = ui.load("admissions_trend")
projects = ui.load("projects_by_status")

headlines = programme_headlines(areas, capacity, admissions, projects)
for col, row in zip(st.columns(len(headlines)), headlines, strict=True):
    with col, st.container(border=True):
        st.subheader(ui.escape_md(row.programme))
        a, b = st.columns(2)
        a.metric("Gebieden", fmt_number(row.areas))
        b.metric("Inwoners", fmt_number(row.residents),
                 help=f"Peiljaar {ui.escape_md(row.residents_year)}")
        if row.capacity:
            a.metric("Huishoudens bij welzijnscoaches", fmt_number(row.active_households),
                     help="Actieve huishoudens in de laatste maand, tegen de capaciteit "
                          "(fte × norm per fte).")
            b.metric("Benutte capaciteit", fmt_percent(row.capacity_used_pct, 0),
                     delta=f"capaciteit {fmt_number(row.capacity)} huishoudens", delta_color="off", delta_arrow="off")
        if row.admissions_per_1000 is not None:
            a.metric("Opnames per 1.000 kwetsbare ouderen "
                     f"({ui.escape_md(row.admissions_quarter)})",
                     fmt_number(row.admissions_per_1000, 1),
                     delta=None if row.admissions_delta is None
                     else f"{fmt_number(row.admissions_delta, 1)} t.o.v. vorig kwartaal",
                     delta_color="inverse")
        b.metric("Projecten in uitvoering", fmt_number(row.projects_running),
                 delta=f"van {fmt_number(row.projects_total)} in totaal", delta_color="off", delta_arrow="off")

left, right = st.columns([3, 2])
with left:
    st.subheader("Ziekenhuisopnames van kwetsbare ouderen")
    if admissions.empty:
        ui.empty_state("Nog geen kwartaalcijfers van kernteams.")
    else:
        chart = (
            alt.Chart(admissions, title="Opnames per 1.000 kwetsbare ouderen, per kwartaal")
            .mark_line(point=True)
            .encode(
                x=alt.X("quarter_start:T", title="Kwartaal", axis=alt.Axis(format="%b %Y")),
                y=alt.Y("per_1000:Q", title="Opnames per 1.000", scale=alt.Scale(zero=True)),
                color=alt.Color("programme:N", title="Programma"),
                tooltip=[alt.Tooltip("quarter:N", title="Kwartaal"),
                         alt.Tooltip("per_1000:Q", title="Per 1.000", format=",.1f"),
                         alt.Tooltip("admissions:Q", title="Opnames", format=",d"),
                         alt.Tooltip("frail_elderly:Q", title="Kwetsbare ouderen", format=",d"),
                         alt.Tooltip("teams:Q", title="Kernteams")],
            )
            .properties(height=300, description="Lijngrafiek van ziekenhuisopnames per 1.000 "
                        "kwetsbare ouderen per kwartaal, per programma.")
        )
        ui.chart(chart, "opnames-kwetsbare-ouderen")
with right:
    st.subheader("Projecten naar status")
    if projects.empty:
        ui.empty_state("Nog geen projecten vastgelegd.")
    else:
        chart = (
            alt.Chart(projects, title="Aantal projecten en programmalijnen")
            .mark_bar()
            .encode(
                y=alt.Y("status:N", title=None,
                        sort=list(monitoring.STATUS_ORDER)),
                x=alt.X("sum(projects):Q", title="Aantal", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("programme:N", title="Programma"),
                tooltip=[alt.Tooltip("programme:N", title="Programma"),
                         alt.Tooltip("status:N", title="Status"),
                         alt.Tooltip("projects:Q", title="Aantal")],
            )
            .properties(height=300, description="Staafdiagram van het aantal projecten per status.")
        )
        ui.chart(chart, "projecten-naar-status")

st.subheader("Laatste besluiten van het lerend netwerk")
decisions = ui.load("latest_decisions")
if decisions.empty:
    ui.empty_state("Nog geen besluiten vastgelegd.")
else:
    ui.table(decisions, columns={"decided_on": "Datum", "programme": "Programma",
                                 "subject": "Onderwerp", "outcome": "Besluit",
                                 "body": "Besloten door", "review_on": "Evaluatie op"},
             column_config={"Datum": st.column_config.DateColumn(format="D MMM YYYY"),
                            "Evaluatie op": st.column_config.DateColumn(format="D MMM YYYY")})

st.subheader("Programmagebieden")
ui.table(areas, columns={"name": "Gebied", "programme": "Programma",
                         "municipality_name": "Gemeente", "cbs_codes": "CBS-codes",
                         "started_on": "Gestart", "residents": "Inwoners",
                         "low_income_pct": "Laag inkomen (%)"},
         column_config={"Gestart": st.column_config.DateColumn(format="D MMM YYYY"),
                        "Inwoners": st.column_config.NumberColumn(format="localized"),
                        "Laag inkomen (%)": st.column_config.NumberColumn(format="%.1f")})
