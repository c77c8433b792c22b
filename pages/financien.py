"""Financiën (ontschotting): the pooled budget by financier and by law per year, spending
per area and project, and how the mix shifts over time ("geld volgt zorg")."""

import streamlit as st

from dashboard import ui
from dashboard.domain import monitoring
from dashboard.ui import charts, views
from dashboard.ui import monitoring as panels

ui.entry_guard()

st.title("Financiën")
ui.demo_marker()
st.caption("Ontschotting: gemeente, zorgverzekeraars en provincie leggen budgetten uit "
           "verschillende wetten samen, zodat het geld de zorg volgt.")

filters = views.programme_area_filters("fin")
budgets = monitoring.apply_filters(ui.load("budgets"), filters)
spending = monitoring.apply_filters(ui.load("spending"), filters)
if budgets.empty and spending.empty:
    ui.empty_state("Geen budgetten of uitgaven in deze selectie.")
    st.stop()
if filters.areas:
    st.info("Het gezamenlijke budget is per programma vastgesteld, niet per gebied; het "
            "gebiedsfilter geldt voor de uitgaven.", icon=":material/info:")

summary = monitoring.budget_summary(budgets, spending, ui.load("monitoring_settings")["as_of"])
if summary is not None:
    panels.budget_metrics(summary)
    costs = monitoring.unit_costs(
        spending, monitoring.apply_filters(ui.load("coach_months"), filters),
        monitoring.apply_filters(ui.load("kernteam_quarters"), filters), summary.year)
    if costs is not None:
        panels.unit_cost_metrics(costs)

for by, title, header in panels.BUDGET_VIEWS:
    st.subheader(ui.escape_md(title))
    data = monitoring.budget_by(budgets, by)  # type: ignore[arg-type]
    panels.budget_columns(by, header).show(
        ui.chart_spec(charts.budget_bars, data, by, header, title), data,
        f"budget-{header.lower()}")

st.subheader("Geld volgt zorg: verschuiving in de mix")
st.caption("Het aandeel van elke financier in het budget van het jaar. Een groeiend aandeel "
           "van de zorgverzekeraars (Zvw) betekent dat besparingen in de zorg terugvloeien "
           "naar de wijk.")
mix = monitoring.budget_by(budgets, "financier")
panels.MIX.show(ui.chart_spec(charts.budget_mix, mix), mix, "mix-financiers")

st.subheader("Uitgaven")
year = views.url_select("Jaar", {views.ALL: "Alle jaren",
                                 **{y: y for y in monitoring.spending_years(spending)}},
                        param="jaar", key="fin_jaar")
spent = monitoring.spending_in(spending, year)
for col, (by, header) in zip(st.columns(2), panels.SPENDING_VIEWS, strict=True):
    with col:
        data = monitoring.spending_by(spent, by)  # type: ignore[arg-type]
        panels.spending_columns(by, header).show(
            ui.chart_spec(charts.spending_bars, data, by, header), data,
            f"uitgaven-{header.lower()}")
