"""Geleerde lessen: the public face of the learning network (published lessons only).

Lessons first: a visitor on a phone sees the first lesson on the first screen. Everything
here comes from public queries (published decisions, publishable cases, disclosed figures).
"""

import streamlit as st

from dashboard import ui
from dashboard.ui import lessons as blocks

ui.entry_guard()

st.title("Geleerde lessen")
st.markdown("Wat werkt in **Blauwe Zorg in de wijk** en **PlusWIJken**, en wat niet: wat werkt "
            "wordt opgeschaald, wat niet werkt wordt gestopt.")
ui.demo_marker()

lessons = ui.load("published_lessons")
lesson_cases = ui.load("published_lesson_cases")
single = blocks.lesson_from_link(lessons)
if single is not None:
    st.header("Les uit een besluit")
    blocks.lesson_card(single, lesson_cases)
    st.page_link(blocks.PAGE, label="Alle geleerde lessen", icon=":material/arrow_back:")
    st.stop()

st.header("Lessen uit besluiten")
if lessons.empty:
    ui.empty_state("Er zijn nog geen lessen gepubliceerd.")
for lesson in lessons.itertuples():
    blocks.lesson_card(lesson, lesson_cases)

st.header("Lessen uit de praktijk")
blocks.cases(ui.load("publishable_cases"))

st.header("Kerncijfers per gebied")
blocks.key_figures(ui.load("public_indicators"), ui.load("public_references"))

blocks.programmes(ui.load("programmes"))
st.caption("Afdrukken of als pdf bewaren: Ctrl+P (⌘P). Elke les heeft een eigen link om te delen.")
st.page_link("pages/toegankelijkheid.py", label="Toegankelijkheidsverklaring",
             icon=":material/accessibility_new:")
