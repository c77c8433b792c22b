"""Financiën (ontschotting): the pooled budget by financier and by law per year, spending
per area and project, and how the mix shifts over time ("geld volgt zorg")."""

import altair as alt
import streamlit as st

from dashboard.domain import monitoring
from dashboard import ui
from dashboard.ui import views
from dashboard.domain.i18n import fmt_euro, fmt_number, fmt_percent

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

EURO_AXIS = alt.Axis(format="$,.0f")
as_of = ui.load("monitoring_settings")["as_of"]
shares = monitoring.insurer_share(budgets)
current = shares[shares["year"] <= as_of.year]  # later years are plans
if len(current):
    first, last = current.iloc[0], current.iloc[-1]
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Gezamenlijk budget {int(last['year'])}", fmt_euro(last["total_eur"]))
    m2.metric(f"Aandeel zorgverzekeraars {int(last['year'])}",
              fmt_percent(last["insurer_share_pct"], 0),
              delta=f"{fmt_number(last['insurer_share_pct'] - first['insurer_share_pct'], 0)} "
                    f"procentpunt sinds {int(first['year'])}", delta_color="off")
    m3.metric("Uitgaven in de selectie", fmt_euro(spending["amount_eur"].sum()))

for by, title, header in (("financier", "Budget per financier", "Financier"),
                          ("law", "Budget per wet", "Wet")):
    st.subheader(ui.escape_md(title))
    data = monitoring.budget_by(budgets, by)  # type: ignore[arg-type]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("amount_eur:Q", title="Budget (euro)", axis=EURO_AXIS),
        color=alt.Color(f"{by}:N", title=header),
        tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip(f"{by}:N", title=header),
                 alt.Tooltip("amount_eur:Q", title="Budget", format="$,.0f"),
                 alt.Tooltip("share_pct:Q", title="Aandeel (%)", format=",.1f")],
    ).properties(height=300, title=f"{title} per jaar",
                 description=f"Gestapeld staafdiagram van het gezamenlijke budget per jaar, "
                             f"verdeeld naar {header.lower()}.")
    views.chart_with_table(chart, data, name=f"budget-{header.lower()}",
                           columns={"year": "Jaar", by: header, "amount_eur": "Budget (€)",
                                    "share_pct": "Aandeel (%)"},
                           column_config={"Budget (€)": views.EURO,
                                          "Aandeel (%)": views.ONE_DECIMAL})

st.subheader("Geld volgt zorg: verschuiving in de mix")
st.caption("Het aandeel van elke financier in het budget van het jaar. Een groeiend aandeel "
           "van de zorgverzekeraars (Zvw) betekent dat besparingen in de zorg terugvloeien "
           "naar de wijk.")
mix = monitoring.budget_by(budgets, "financier")
area_chart = alt.Chart(mix).mark_area().encode(
    x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("share_pct:Q", title="Aandeel (%)", stack="normalize",
            axis=alt.Axis(format="%")),
    color=alt.Color("financier:N", title="Financier"),
    tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip("financier:N", title="Financier"),
             alt.Tooltip("share_pct:Q", title="Aandeel (%)", format=",.1f")],
).properties(height=280, title="Aandeel per financier",
             description="Gestapeld vlakdiagram van het aandeel van elke financier per jaar.")
views.chart_with_table(area_chart, mix, name="mix-financiers",
                       columns={"year": "Jaar", "financier": "Financier",
                                "amount_eur": "Budget (€)", "share_pct": "Aandeel (%)"},
                       column_config={"Budget (€)": views.EURO, "Aandeel (%)": views.ONE_DECIMAL})

st.subheader("Uitgaven")
years = sorted(spending["year"].unique())
year = views.url_select("Jaar", {views.ALL: "Alle jaren", **{str(y): str(y) for y in years}},
                        param="jaar", key="fin_jaar")
spent = spending if not year else spending[spending["year"] == int(year)]
left, right = st.columns(2)
for col, by, header in ((left, "area", "Gebied"), (right, "project", "Project")):
    with col:
        data = monitoring.spending_by(spent, by)  # type: ignore[arg-type]
        chart = alt.Chart(data).mark_bar(color="#0072B2").encode(
            y=alt.Y(f"{by}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("amount_eur:Q", title="Uitgaven (euro)", axis=EURO_AXIS),
            tooltip=[alt.Tooltip(f"{by}:N", title=header),
                     alt.Tooltip("amount_eur:Q", title="Uitgaven", format="$,.0f")],
        ).properties(height=max(260, 34 * len(data)), title=f"Uitgaven per {header.lower()}",
                     description=f"Staafdiagram van de uitgaven per {header.lower()}.")
        views.chart_with_table(chart, data, name=f"uitgaven-{header.lower()}",
                               columns={by: header, "amount_eur": "Uitgaven (€)"},
                               column_config={"Uitgaven (€)": views.EURO})
