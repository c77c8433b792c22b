"""Welzijnscoaches: caseload per coach and area against the norm per FTE, FTE against the
plan, the waiting list, inflow and outflow, and run charts of the key series."""

import streamlit as st

from dashboard.ui import charts, views
from dashboard.domain import coaches, monitoring, spc
from dashboard import ui
from dashboard.domain.i18n import fmt_month, fmt_number, fmt_percent

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

last = coaches.latest_month(months)
caseload = coaches.coach_caseload(months, norm)
monthly = coaches.monthly_totals(months)
current = monthly.iloc[-1]
fte = coaches.total_fte(months)
plan = cfg["coach_fte_plan"]
overloaded = caseload[caseload["overloaded"]]

m1, m2, m3, m4, m5, m6 = st.columns(6)
if filters.areas or filters.programme:
    m1.metric("Fte welzijnscoaches", f"{fmt_number(fte, 1)} fte",
              help=f"In deze selectie; het plan is {fmt_number(plan, 1)} fte voor heel PlusWIJken "
                   f"(nu {fmt_number(coaches.total_fte(all_months), 1)} fte).")
else:
    m1.metric("Fte welzijnscoaches", f"{fmt_number(fte, 1)} fte",
              delta=f"plan {fmt_number(plan, 1)} fte",
              delta_color="off", delta_arrow="off")
m2.metric(f"Actieve huishoudens ({fmt_month(last)})", fmt_number(current["active_households"]))
m3.metric("Benutte capaciteit",
          fmt_percent(coaches.capacity_used_pct(caseload), 0))
m4.metric("Overbelaste coaches", f"{len(overloaded)} van {len(caseload)}")
m5.metric("Wachtlijst", fmt_number(current["waiting_list"]))
m6.metric("Gemiddelde duur", f"{fmt_number(current['mean_duration_days'])} dagen",
          help="Gemiddelde duur van de trajecten die deze maand zijn afgesloten.")
if len(overloaded):
    st.warning(f"Overbelast in {fmt_month(last)} "
               f"(meer dan {fmt_number(norm)} huishoudens per fte): "
               + ", ".join(f"{ui.escape_md(r.coach)} ({fmt_percent(r.capacity_used_pct, 0)})"
                           for r in overloaded.itertuples()), icon=":material/warning:")

# ------------------------------------------------------------------ caseload per coach
st.subheader(f"Caseload per coach, {fmt_month(last)}")
table = caseload.assign(flag=caseload["overloaded"].map({True: "overbelast",
                                                         False: "binnen norm"}))
views.chart_with_table(
    ui.chart_spec(charts.capacity_bars, table),
    table, name="welzijnscoaches-caseload",
    columns={"coach": "Coach", "area": "Gebied", "fte": "Fte",
             "active_households": "Actieve huishoudens", "capacity": "Capaciteit",
             "capacity_used_pct": "Benutte capaciteit (%)", "flag": "Overbelast",
             "waiting_list": "Wachtlijst"},
    column_config={"Fte": views.ONE_DECIMAL, "Benutte capaciteit (%)": views.ONE_DECIMAL})

# ------------------------------------------------------------------ caseload per area and month
st.subheader("Caseload per gebied per maand")
per_area = coaches.area_caseload(months, norm)
views.chart_with_table(
    ui.chart_spec(charts.capacity_lines, per_area),
    per_area.assign(flag=per_area["overloaded"].map({True: "overbelast", False: "binnen norm"})),
    name="welzijnscoaches-gebieden",
    columns={"area": "Gebied", "month": "Maand", "coaches": "Coaches", "fte": "Fte",
             "active_households": "Actieve huishoudens", "capacity": "Capaciteit",
             "capacity_used_pct": "Benutte capaciteit (%)", "flag": "Overbelast",
             "waiting_list": "Wachtlijst"},
    column_config={"Maand": views.MONTH, "Fte": views.ONE_DECIMAL,
                   "Benutte capaciteit (%)": views.ONE_DECIMAL})

# ------------------------------------------------------------------ inflow and outflow
left, right = st.columns(2)
for col, mapping, name, title in (
        (left, coaches.REFERRERS, "verwijzer", "Instroom naar verwijzer"),
        (right, coaches.OUTCOMES, "resultaat", "Uitstroom naar resultaat")):
    with col:
        st.subheader(ui.escape_md(title))
        flow = coaches.long_by(monthly, mapping, name)
        bar = ui.chart_spec(charts.stacked_months, flow, name, list(mapping.values()), title)
        views.chart_with_table(bar, flow, name=f"welzijnscoaches-{name}",
                               columns={"month": "Maand", name: name.capitalize(),
                                        "count": "Huishoudens"},
                               column_config={"Maand": views.MONTH})

# ------------------------------------------------------------------ run charts
st.subheader("Runcharts")
st.caption(f"Mediaan als middenlijn; signalen volgens Anhøj en IHI. Minder dan {spc.MIN_POINTS} "
           "maanden: geen oordeel.")
series = {
    "waiting_list": ("Wachtlijst", "Huishoudens op de wachtlijst", ",d"),
    "active_households": ("Actieve huishoudens", "Actieve huishoudens", ",d"),
    "new": ("Nieuwe aanmeldingen", "Aanmeldingen", ",d"),
    "mean_duration_days": ("Gemiddelde duur van trajecten", "Dagen", ",.0f"),
}
cols = st.columns(2)
for i, (key, (title, y_title, fmt)) in enumerate(series.items()):
    data = monthly[monthly[key].notna()]
    with cols[i % 2]:
        analysis = ui.computed(spc.analyse, list(data[key]))
        labels = [fmt_month(m) for m in data["month"]]
        chart = ui.chart_spec(charts.spc_chart, analysis, list(data["month"]), labels,
                              title=title, y_title=y_title, x_title="Maand", value_format=fmt)
        views.chart_with_table(
            chart, charts.spc_frame(analysis, list(data["month"]), labels),
            name=f"welzijnscoaches-run-{key}",
            columns={"label": "Maand", "value": y_title, "centre": "Mediaan",
                     "status": "Beoordeling"},
            column_config={y_title: views.ONE_DECIMAL, "Mediaan": views.ONE_DECIMAL})
