"""Besluiten: every decision of the learning network, its outcome and its evidence."""

import streamlit as st

from dashboard import ui
from dashboard.ui import decisions, paper

ui.entry_guard()

st.title("Besluiten")
ui.demo_marker()
st.caption("Wat het lerend netwerk besloot (opschalen, doorgaan, aanpassen of stoppen), op basis "
           "van welk bewijs, en wanneer het besluit opnieuw wordt bekeken.")

all_decisions = ui.load("decisions")
paper.print_header("Bron: besluitenlijst van het lerend netwerk",
                   ui.load("monitoring_settings")["as_of"])
if all_decisions.empty:
    ui.empty_state("Er zijn nog geen besluiten vastgelegd.")
    st.stop()

shown = decisions.filters(all_decisions)
strength = decisions.strengths(shown)
decisions.summary(shown)
if shown.empty:
    ui.empty_state("Geen besluiten bij deze filters.")
    st.stop()
decisions.overview(shown, strength)

st.header("Bewijs bij een besluit")
st.caption("Per gekoppelde reeks de grafiek met het oordeel over de periode na de start, en "
           "ernaast hoe groot de verandering is, met haar 95%-interval. Pilotreeksen tellen als "
           "bewijs; vergelijkingsreeksen laten zien wat zonder de maatregel gebeurde.")
decision = decisions.choose(shown)
decisions.decision_header(decision, strength[int(decision["id"])])
decisions.evidence_panel(int(decision["id"]))

st.subheader("Gekoppelde casussen")
decisions.linked_cases(int(decision["id"]))
