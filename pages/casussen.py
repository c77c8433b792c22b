"""Casussen: the casussenboek, searchable, with the decisions that used each case."""

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.domain import learning
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.domain.vocab import DOMAINS
from dashboard.ui import labels

ui.entry_guard()

st.title("Casussen")
ui.demo_marker()
st.caption("Het casussenboek: geanonimiseerde casussen, ingedeeld naar knelpunt, waarmee het "
           "lerend netwerk leert.")

cases = ui.load("cases")
if cases.empty:
    ui.empty_state("Er zijn nog geen casussen vastgelegd.")
    st.stop()

text = st.text_input("Zoeken", value=st.query_params.get("zoek", ""), max_chars=100,
                     placeholder="Zoek in titel, samenvatting en les", key="case_search")
if text:
    st.query_params["zoek"] = text
else:
    st.query_params.pop("zoek", None)
left, middle, right = st.columns(3)
knelpunten = left.multiselect("Knelpunt", list(labels.KNELPUNTEN),
                              format_func=lambda k: f"{k}. {labels.KNELPUNTEN[k]}", key="case_k",
                              placeholder="Alle knelpunten")
domains = middle.multiselect("Domeinen (alle gekozen)", list(DOMAINS), key="case_domains",
                             placeholder="Alle domeinen")
area_options = sorted(cases["area"].dropna().unique())
area = right.selectbox("Gebied", ["Alle", *area_options], key="case_area")
shown = learning.search_cases(cases, text=text, knelpunten=knelpunten, domains=domains,
                              area=None if area == "Alle" else area)
st.caption(f"{fmt_number(len(shown))} van {fmt_number(len(cases))} casussen")

st.subheader("Casussen per knelpunt per jaar")
counts = learning.cases_per_category_year(shown)
if counts.empty:
    ui.empty_state("Geen casussen bij deze filters.")
    st.stop()
counts = counts.assign(category=counts["knelpunt"].map(lambda k: f"Knelpunt {k}"))
chart = (
    alt.Chart(counts, title="Aantal casussen per jaar, naar knelpunt")
    .mark_bar()
    .encode(
        x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(cases):Q", title="Casussen", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("category:N", title="Knelpunt"),
        tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip("category:N", title="Knelpunt"),
                 alt.Tooltip("cases:Q", title="Casussen")],
    )
    .properties(height=280, description="Gestapeld staafdiagram van het aantal casussen per jaar, "
                "per knelpuntcategorie. De tabel hieronder toont dezelfde aantallen.")
)
ui.vega(chart)
st.caption(" · ".join(f"{int(k)} = {ui.escape_md(name)}" for k, name in labels.KNELPUNTEN.items()))
with st.expander("Aantallen als tabel"):
    table = counts.pivot_table(index="year", columns="knelpunt", values="cases", aggfunc="sum")
    table.columns = [f"Knelpunt {k}" for k in table.columns]
    st.dataframe(table.rename_axis("Jaar").reset_index().astype({"Jaar": str}), hide_index=True)

st.subheader("Casussen")
links = ui.load("decision_case_links")
for case in shown.itertuples():
    used = links[links["case_id"] == case.id]
    with st.expander(f"{ui.escape_md(case.code)} · {ui.escape_md(case.title)} "
                     f"({ui.escape_md(case.area) or 'gebied onbekend'})"):
        st.markdown(f"*Knelpunt {int(case.knelpunt)}: {labels.KNELPUNTEN[case.knelpunt]}*")
        st.markdown(ui.escape_md(case.summary))
        st.markdown(f"**Les:** {ui.escape_md(case.lessons)}")
        st.caption(f"Domeinen: {', '.join(ui.escape_md(d) for d in case.domains) or '–'} · "
                   "vastgelegd "
                   f"{fmt_date(case.recorded_on)} · "
                   + ("publiceerbaar" if case.publishable else "niet publiceerbaar"))
        if used.empty:
            st.caption("Nog niet gebruikt in een besluit.")
        for row in used.itertuples():
            st.page_link("pages/besluiten.py", icon=":material/gavel:",
                         label=f"Besluit {fmt_date(row.decided_on)}: {ui.escape_md(row.subject)} "
                               f"({ui.escape_md(row.outcome)})",
                         query_params={"besluit": str(row.decision_id)})
