"""Geleerde lessen: the public face of the learning network (published lessons only)."""

import streamlit as st

from dashboard import labels, ui
from dashboard.i18n import fmt_date

st.title("Geleerde lessen")
st.markdown(
    "Het **lerend netwerk** van Blauwe Zorg in de wijk en PlusWIJken deelt hier wat werkt "
    "en wat niet. Wat werkt wordt opgeschaald, wat niet werkt wordt gestopt. Elke les is een "
    "gepubliceerde samenvatting van een besluit van het netwerk of een geanonimiseerde casus."
)
ui.demo_marker()

st.header("De programma's")
for prog in ui.load("programmes").itertuples():
    with st.container(border=True):
        st.subheader(prog.name)
        st.write(prog.description)
        st.caption(f"Gestart {fmt_date(prog.started_on)} · {prog.areas} programmagebieden")

st.header("Lessen uit besluiten")
lessons = ui.load("published_lessons")
if lessons.empty:
    ui.empty_state("Er zijn nog geen lessen gepubliceerd.")
for lesson in lessons.itertuples():
    with st.container(border=True):
        st.subheader(lesson.subject)
        st.caption(f"{lesson.programme} · {lesson.body} · besloten op {fmt_date(lesson.decided_on)}")
        st.markdown(f"**Besluit: {lesson.outcome}**")
        st.write(lesson.public_summary)

st.header("Lessen uit de praktijk")
cases = ui.load("publishable_cases")
if cases.empty:
    ui.empty_state("Er zijn nog geen casussen gepubliceerd.")
else:
    options = list(labels.KNELPUNTEN)
    chosen = st.pills("Knelpunt", options, format_func=lambda k: labels.KNELPUNTEN[k],
                      selection_mode="multi", key="knelpunt")
    shown = cases[cases["knelpunt"].isin(chosen)] if chosen else cases
    st.caption(f"{len(shown)} van {len(cases)} gepubliceerde casussen")
    for case in shown.itertuples():
        with st.expander(f"{case.title} ({case.area or 'gebied onbekend'})"):
            st.markdown(f"*Knelpunt: {labels.KNELPUNTEN[case.knelpunt]}*")
            st.write(case.summary)
            st.markdown(f"**Les:** {case.lessons}")
