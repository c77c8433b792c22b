"""Geleerde lessen: the public face of the learning network (published lessons only).

Everything here comes from public queries, which return only published decisions,
publishable cases and figures after disclosure control.
"""

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.domain.disclosure import LEGEND
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.ui import labels

ui.entry_guard()

PAGE = "pages/geleerde_lessen.py"

st.title("Geleerde lessen")
st.markdown(
    "Het **lerend netwerk** van Blauwe Zorg in de wijk en PlusWIJken deelt hier wat werkt "
    "en wat niet. Wat werkt wordt opgeschaald, wat niet werkt wordt gestopt. Elke les is een "
    "gepubliceerde samenvatting van een besluit van het netwerk of een geanonimiseerde casus."
)
ui.demo_marker()
st.caption("Deze pagina afdrukken of als pdf bewaren: gebruik de afdrukfunctie van je browser "
           "(Ctrl+P of ⌘P). Elke les heeft een eigen link om te delen.")

lessons = ui.load("published_lessons")
lesson_cases = ui.load("published_lesson_cases")
raw = st.query_params.get("les")
single = None
if raw is not None:
    match = lessons[lessons["id"].astype(str) == raw]
    if match.empty:
        st.warning(f"De les uit de link ('{ui.escape_md(raw)}') bestaat niet of is niet gepubliceerd. "
                   "Hieronder staan alle gepubliceerde lessen.", icon=":material/link_off:")
    else:
        single = match
        st.query_params["les"] = raw  # keep the lesson in the address bar, ready to share


def show_lesson(lesson) -> None:  # type: ignore[no-untyped-def]
    with st.container(border=True):
        st.subheader(ui.escape_md(lesson.subject))
        st.caption(f"{ui.escape_md(lesson.programme)} · {ui.escape_md(lesson.body)} · besloten "
                   f"op {fmt_date(lesson.decided_on)}")
        st.markdown(f"**Besluit: {ui.escape_md(lesson.outcome)}**")
        st.markdown(ui.escape_md(lesson.public_summary))
        used = lesson_cases[lesson_cases["decision_id"] == lesson.id]
        if not used.empty:
            st.markdown("**Casussen achter dit besluit:** "
                        + "; ".join(f"{ui.escape_md(c.title)} ({ui.escape_md(c.lessons)})" for c in used.itertuples()))
        st.page_link(PAGE, label="Link naar deze les", icon=":material/link:",
                     query_params={"les": str(lesson.id)})


if single is not None:
    st.header("Les uit een besluit")
    show_lesson(next(single.itertuples()))
    st.page_link(PAGE, label="Alle geleerde lessen", icon=":material/arrow_back:")
    st.stop()

st.header("De programma's")
st.markdown(
    "**Blauwe Zorg in de wijk** (Maastricht, sinds 2016) brengt zorg en welzijn samen in vier "
    "wijken. De bouwstenen: *burgers aan zet*, *professionals aan zet*, *ontschotten van "
    "financiering* (geld volgt zorg) en *kennis verspreiden*, met Positieve Gezondheid als "
    "rode draad. **PlusWIJken** (Zuid-Limburg, 2025–2028) werkt met welzijnscoaches voor "
    "huishoudens met een onzeker bestaan, kernteams voor kwetsbare ouderen en PlusPraktijken "
    "bij de huisarts. In het **lerend netwerk** leggen de gebieden hun resultaten naast elkaar "
    "en besluiten ze samen wat wordt opgeschaald, voortgezet, aangepast of gestopt."
)
for prog in ui.load("programmes").itertuples():
    with st.container(border=True):
        st.subheader(ui.escape_md(prog.name))
        st.markdown(ui.escape_md(prog.description))
        st.caption(f"Gestart {fmt_date(prog.started_on)} · {fmt_number(prog.areas)} "
                   "programmagebieden")

st.header("Lessen uit besluiten")
if lessons.empty:
    ui.empty_state("Er zijn nog geen lessen gepubliceerd.")
for lesson in lessons.itertuples():
    show_lesson(lesson)

st.header("Kerncijfers per gebied")
figures = ui.load("public_indicators")
if figures.empty:
    ui.empty_state("Er zijn nog geen openbare kerncijfers.")
else:
    catalogue = figures.drop_duplicates("indicator_key")
    key = st.selectbox("Kerncijfer", list(catalogue["indicator_key"]),
                       format_func=dict(zip(catalogue["indicator_key"], catalogue["indicator"],
                                            strict=True)).__getitem__, key="public_indicator")
    rows = figures[figures["indicator_key"] == key]
    info = rows.iloc[0]
    st.markdown(f"**{ui.escape_md(info['indicator'])}** ({ui.escape_md(info['unit'])}). "
                f"{ui.escape_md(info['definition'])} Bron: {ui.escape_md(info['source'])}. "
                f"Peiljaar {ui.escape_md(rows['period'].max())}.")
    is_rate = bool(rows["rate_state"].ne("").any())
    table = rows.rename(columns={"programme": "Programma", "area": "Gebied",
                                 "count_text": "Aantal", "rate_text": info["unit"]})
    ui.md_table(table[["Programma", "Gebied", "Aantal", *([info["unit"]] if is_rate else [])]]
                .set_index("Gebied"))
    st.caption(LEGEND)
    if is_rate:
        bars = rows[~rows["is_total"] & rows["rate"].notna()][["area", "rate", "rate_text"]]
        hidden = rows[~rows["is_total"] & rows["rate"].isna()]["area"].tolist()
        chart = (
            alt.Chart(bars, title=f"{info['indicator']} per gebied")
            .mark_bar(color="#0072B2")
            .encode(y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
                    x=alt.X("rate:Q", title=info["unit"]),
                    tooltip=[alt.Tooltip("area:N", title="Gebied"),
                             alt.Tooltip("rate_text:N", title=info["unit"])])
            .properties(height=alt.Step(32), description=(
                f"Staafdiagram van {info['indicator']} per gebied; dezelfde cijfers staan in de "
                "tabel erboven." + (f" Niet getoond (kleine aantallen): {', '.join(hidden)}."
                                    if hidden else "")))
        )
        ui.vega(chart)
        if hidden:
            st.caption("Niet in de grafiek omdat de aantallen te klein zijn: "
                       + ", ".join(ui.escape_md(a) for a in hidden))

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
        with st.expander(f"{ui.escape_md(case.title)} "
                         f"({ui.escape_md(case.area) or 'gebied onbekend'})"):
            st.markdown(f"*Knelpunt: {labels.KNELPUNTEN[case.knelpunt]}*")
            st.markdown(ui.escape_md(case.summary))
            st.markdown(f"**Les:** {ui.escape_md(case.lessons)}")

st.divider()
st.page_link("pages/toegankelijkheid.py", label="Toegankelijkheidsverklaring",
             icon=":material/accessibility_new:")
