"""Indicatoren: the catalogue of every indicator with its metadata and coverage."""

import streamlit as st

from dashboard import ui

ui.entry_guard()

st.title("Indicatoren")
ui.demo_marker()

catalogue = ui.load("indicators")
if catalogue.empty:
    ui.empty_state("Er zijn nog geen indicatoren vastgelegd.")
    st.stop()
st.caption("Elke indicator met definitie, bron en dekking: voor hoeveel gebieden en regio's er "
           "cijfers zijn, over welke periode, en hoeveel cijfers onderdrukt of onbekend zijn.")
ui.table(catalogue,
         columns={"label": "Indicator", "unit": "Eenheid", "polarity": "Polariteit",
                  "areas_covered": "Gebieden", "regions_covered": "Regio's",
                  "first_period": "Eerste periode", "last_period": "Laatste periode",
                  "values": "Cijfers", "not_ok": "Onderdrukt of onbekend",
                  "period_type": "Periode", "source": "Bron", "last_update": "Laatst bijgewerkt",
                  "is_public": "Openbaar", "disclosure_rule": "Onthullingsregel",
                  "owner": "Eigenaar", "definition": "Definitie"},
         column_config={"Laatst bijgewerkt": st.column_config.DateColumn(format="D MMM YYYY"),
                        "Definitie": st.column_config.TextColumn(width="large")})
