"""Projecten: the Blauwe Zorg projects and PlusWIJken programme lines — status, health,
domains, milestones (overdue highlighted), a timeline, a board by status and a detail view."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.ui import charts, views
from dashboard.domain import monitoring
from dashboard import ui
from dashboard.domain.i18n import fmt_date, fmt_euro, fmt_number

ui.entry_guard()

st.title("Projecten")
ui.demo_marker()
st.caption("De acht projecten van Blauwe Zorg in de wijk en de programmalijnen van PlusWIJken. "
           "Elk project overstijgt minstens twee domeinen.")

cfg = ui.load("monitoring_settings")
as_of = cfg["as_of"]
filters = views.programme_area_filters("pr")
c1, c2 = st.columns(2)
status = views.url_select("Status", {views.ALL: "Alle statussen",
                                     **{s: s for s in monitoring.STATUS_ORDER}},
                          param="status", key="pr_status", container=c1)
health = views.url_select("Gezondheid", {views.ALL: "Alle",
                                         **{h: h for h in monitoring.HEALTH_ORDER}},
                          param="gezondheid", key="pr_gezondheid", container=c2)

projects = monitoring.apply_filters(ui.load("project_list"), filters, area_col="area_keys")
if status:
    projects = projects[projects["status"] == status]
if health:
    projects = projects[projects["health"] == health]
milestones = ui.load("project_milestones")
overview = monitoring.project_overview(projects, milestones, as_of)
if overview.empty:
    ui.empty_state("Geen projecten in deze selectie.")
    st.stop()
ms = monitoring.milestone_status(milestones[milestones["project_code"].isin(overview["code"])],
                                 as_of)

m1, m2, m3, m4 = st.columns(4)
m1.metric("Projecten en programmalijnen", fmt_number(len(overview)))
m2.metric("In uitvoering", fmt_number((overview["status"] == "uitvoering").sum()))
m3.metric("Met risico", fmt_number((overview["health"] == "risico").sum()))
m4.metric("Mijlpalen over tijd", fmt_number(overview["overdue"].sum()),
          help=f"Niet behaald en de datum ligt vóór {fmt_date(as_of)}.")
late = ms[ms["overdue"]]
if len(late):
    st.warning("Mijlpalen over tijd: " + "; ".join(
        f"{ui.escape_md(r.project_code)} – {ui.escape_md(r.title)} (gepland {fmt_date(r.due_on)})"
        for r in late.itertuples()),
        icon=":material/schedule:")

# ------------------------------------------------------------------ overview table
st.subheader("Overzicht")
views.chart_with_table(
    None, overview, name="projecten",
    columns={"code": "Code", "name": "Naam", "programme": "Programma", "kind": "Soort",
             "status": "Status", "health": "Gezondheid", "domains_text": "Domeinen",
             "areas_text": "Gebieden", "milestones_done": "Mijlpalen behaald",
             "milestones": "Mijlpalen", "overdue": "Over tijd", "next_due": "Volgende mijlpaal"},
    column_config={"Volgende mijlpaal": views.DATE})

# ------------------------------------------------------------------ timeline (Gantt)
st.subheader("Tijdlijn")
gantt = monitoring.gantt_frame(overview, as_of)
marks = ms.merge(gantt[["code", "label"]], left_on="project_code", right_on="code")
# Altair wants timestamps, not datetime.date objects, on a time axis.
gantt_plot = gantt.assign(start=pd.to_datetime(gantt["start"]),
                          end=pd.to_datetime(gantt["end"]))
marks_plot = marks.assign(due_on=pd.to_datetime(marks["due_on"]))
order = list(gantt.sort_values("start")["label"])
bars = alt.Chart(gantt_plot).mark_bar(opacity=0.55, cornerRadius=2).encode(
    y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
    x=alt.X("start:T", title="Planning", axis=alt.Axis(format="%Y", labelAngle=0)), x2="end:T",
    color=alt.Color("status:N", title="Status", scale=alt.Scale(
        domain=list(monitoring.STATUS_ORDER),
        range=["#BBBBBB", "#56B4E9", "#0072B2", "#009E73", "#7F8C9A"])),
    tooltip=[alt.Tooltip("label:N", title="Project"), alt.Tooltip("status:N", title="Status"),
             alt.Tooltip("start:T", title="Start", format="%d %b %Y"),
             alt.Tooltip("end:T", title="Einde", format="%d %b %Y")])
points = alt.Chart(marks_plot).mark_point(filled=True, size=90).encode(
    y=alt.Y("label:N", sort=order), x="due_on:T",
    shape=alt.Shape("state:N", title="Mijlpaal",
                    scale=alt.Scale(domain=[monitoring.DONE, monitoring.PLANNED,
                                            monitoring.OVERDUE],
                                    range=["circle", "square", "diamond"])),
    color=alt.value("#1C2733"),
    stroke=alt.condition(alt.datum.overdue, alt.value(charts.SIGNAL_COLOUR),
                         alt.value("white")),
    tooltip=[alt.Tooltip("title:N", title="Mijlpaal"), alt.Tooltip("state:N", title="Stand"),
             alt.Tooltip("due_on:T", title="Gepland", format="%d %b %Y")])
overdue_marks = alt.Chart(marks_plot[marks_plot["overdue"]]).mark_point(
    shape="diamond", size=220, filled=True, color=charts.SIGNAL_COLOUR).encode(
    y=alt.Y("label:N", sort=order), x="due_on:T")
today = alt.Chart(pd.DataFrame({"today": [pd.Timestamp(as_of)]})).mark_rule(
    color=charts.SIGNAL_COLOUR, strokeDash=[4, 3]).encode(x="today:T")
timeline = alt.layer(bars, points, overdue_marks, today).properties(
    height=max(260, 36 * len(gantt)), title=f"Planning en mijlpalen (vandaag: {fmt_date(as_of)})",
    description=f"Gantt-diagram van {len(gantt)} projecten met {len(marks)} mijlpalen, waarvan "
                f"{int(marks['overdue'].sum())} over tijd (rood).")
views.chart_with_table(
    timeline, marks.sort_values("due_on"), name="projecten-mijlpalen",
    columns={"project_code": "Project", "title": "Mijlpaal", "due_on": "Gepland",
             "done_on": "Behaald op", "state": "Stand"},
    column_config={"Gepland": views.DATE, "Behaald op": views.DATE})

# ------------------------------------------------------------------ board by status
st.subheader("Bord per status")
statuses = [s for s in monitoring.STATUS_ORDER if s in set(overview["status"])]
HEALTH_BADGE = {"op koers": "green", "aandacht nodig": "orange", "risico": "red"}
for col, s in zip(st.columns(len(statuses)), statuses, strict=True):
    with col:
        group = overview[overview["status"] == s]
        st.markdown(f"**{ui.escape_md(s.capitalize())}** ({len(group)})")
        for r in group.itertuples():
            with st.container(border=True):
                st.markdown(f"**{ui.escape_md(r.code)}** {ui.escape_md(r.name)}")
                st.badge(ui.escape_md(r.health), color=HEALTH_BADGE.get(r.health, "gray"))
                if r.overdue:
                    st.badge(f"{fmt_number(r.overdue)} mijlpaal over tijd", color="red",
                             icon=":material/schedule:")
                st.caption(f"{ui.escape_md(r.domains_text)} · {ui.escape_md(r.programme)}")

# ------------------------------------------------------------------ detail view
st.subheader("Projectplan")
options = dict(zip(overview["code"], overview["code"] + " · " + overview["name"], strict=True))
code = views.url_select("Project", options, param="project", key="pr_project",
                        default=next(iter(options)))
p = overview.set_index("code").loc[code]
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
for field, label in (("goal", "Doel"), ("approach", "Aanpak en planning"),
                     ("participants", "Deelnemers"), ("facilities", "Faciliteiten"),
                     ("expected_results", "Verwachte resultaten"),
                     ("resident_participation", "Participatie van bewoners")):
    st.markdown(f"**{ui.escape_md(label)}**")
    st.text(p[field] or "–")

st.markdown("**Mijlpalen**")
own = ms[ms["project_code"] == code]
if own.empty:
    ui.empty_state("Geen mijlpalen vastgelegd.")
else:
    views.chart_with_table(
        None, own, name=f"mijlpalen-{code}",
        columns={"title": "Mijlpaal", "due_on": "Gepland", "done_on": "Behaald op",
                 "state": "Stand"},
        column_config={"Gepland": views.DATE, "Behaald op": views.DATE})
st.markdown("**Besluiten**")
decisions = ui.load("project_decisions")
decisions = decisions[decisions["project_code"] == code]
if decisions.empty:
    ui.empty_state("Nog geen besluiten over dit project.")
else:
    views.chart_with_table(
        None, decisions.assign(published=decisions["published"].map({True: "ja", False: "nee"})),
        name=f"besluiten-{code}",
        columns={"decided_on": "Datum", "outcome": "Besluit", "body": "Besloten door",
                 "rationale": "Onderbouwing", "expected_effect": "Verwacht effect",
                 "review_on": "Evaluatie op", "status": "Status", "published": "Gepubliceerd"},
        column_config={"Datum": views.DATE, "Evaluatie op": views.DATE})
