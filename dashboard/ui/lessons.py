"""The public Geleerde lessen page's blocks: a lesson card, the published cases, the key
figures after disclosure control and the programmes. Everything shown here comes from the
public queries (published decisions, publishable cases, disclosed figures only)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.domain.disclosure import LEGEND
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.domain.learning import lesson_parts
from dashboard.ui import charts, labels

PAGE = "pages/geleerde_lessen.py"
OUTCOME_ICONS = {"opschalen": ":material/trending_up:", "doorgaan": ":material/play_arrow:",
                 "aanpassen": ":material/tune:", "stoppen": ":material/stop_circle:"}


def lesson_from_link(lessons: pd.DataFrame) -> Any | None:
    """The lesson a shared link (``?les=<id>``) points to; a Dutch warning when it is gone."""
    raw = st.query_params.get("les")
    if raw is None:
        return None
    match = lessons[lessons["id"].astype(str) == raw]
    if match.empty:
        st.warning(f"De les uit de link ('{ui.escape_md(raw)}') bestaat niet of is niet "
                   "gepubliceerd. Hieronder staan alle gepubliceerde lessen.",
                   icon=":material/link_off:")
        return None
    st.query_params["les"] = raw  # keep the lesson in the address bar, ready to share
    return next(match.itertuples())


def lesson_card(lesson: Any, lesson_cases: pd.DataFrame, *, link: bool = True) -> None:
    """One published lesson: what was decided, why, from which cases, and a link to share
    (``link=False``: the preview of a lesson not yet published)."""
    with st.container(border=True):
        st.subheader(ui.escape_md(lesson.subject))
        st.badge(f"Besluit: {ui.escape_md(lesson.outcome)}",
                 icon=OUTCOME_ICONS.get(str(lesson.outcome), ":material/gavel:"))
        for label, text in lesson_parts(str(lesson.public_summary)):
            if label:
                st.markdown(f"**{ui.escape_md(label)}:** {ui.escape_md(text)}")
            else:
                st.markdown(ui.escape_md(text))
        used = lesson_cases[lesson_cases["decision_id"] == lesson.id]
        if not used.empty:
            st.markdown("**Casussen achter dit besluit:** " + "; ".join(
                f"{ui.escape_md(c.title)} ({ui.escape_md(c.lessons)})" for c in used.itertuples()))
        # no internal body names or project codes for the public: programme and date only
        st.caption(f"{ui.escape_md(lesson.programme)} · besloten op {fmt_date(lesson.decided_on)}")
        if link:
            st.page_link(PAGE, label="Link naar deze les", icon=":material/link:",
                         query_params={"les": str(lesson.id)})


def cases(published: pd.DataFrame) -> None:
    """The published, anonymised cases, filterable by bottleneck (knelpunt)."""
    if published.empty:
        ui.empty_state("Er zijn nog geen casussen gepubliceerd.")
        return
    chosen = st.pills("Knelpunt", list(labels.KNELPUNTEN), selection_mode="multi",
                      format_func=lambda k: labels.KNELPUNTEN[k], key="knelpunt")
    shown = published[published["knelpunt"].isin(chosen)] if chosen else published
    st.caption(f"{fmt_number(len(shown))} van {fmt_number(len(published))} gepubliceerde casussen")
    for case in shown.itertuples():
        with st.expander(f"{ui.escape_md(case.title)} "
                         f"({ui.escape_md(case.area) or 'gebied onbekend'})"):
            st.markdown(f"*Knelpunt: {labels.KNELPUNTEN[case.knelpunt]}*")
            st.markdown(ui.escape_md(case.summary))
            st.markdown(f"**Les:** {ui.escape_md(case.lessons)}")


def key_figures(figures: pd.DataFrame, references: pd.DataFrame) -> None:
    """One public indicator at a time: the disclosed table, with the programme total, the
    municipalities and Nederland as the comparison, and a bar chart of the published
    (rounded) rates."""
    if figures.empty:
        ui.empty_state("Er zijn nog geen openbare kerncijfers.")
        return
    catalogue = figures.drop_duplicates("indicator_key")
    names = dict(zip(catalogue["indicator_key"], catalogue["indicator"], strict=True))
    key = st.selectbox("Kerncijfer", list(names), format_func=names.__getitem__,
                       key="public_indicator")
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
    st.caption(LEGEND + " De regel *totaal* per programma is de vergelijking: alle gebieden "
               "van dat programma samen.")
    compare = references[references["indicator_key"] == key]
    if not compare.empty:
        st.markdown(f"**Ter vergelijking** ({ui.escape_md(info['unit'])}): " + "; ".join(
            f"{ui.escape_md(r.region)} {ui.escape_md(r.value_text)} ({ui.escape_md(r.period)})"
            for r in compare.itertuples()) + ".")
    if is_rate:
        areas = rows[~rows["is_total"]]
        hidden = areas[areas["rate"].isna()]["area"].tolist()
        ui.vega(charts.public_rate_bars(areas[areas["rate"].notna()][["area", "rate", "rate_text"]],
                                        info["indicator"], info["unit"], hidden))
        if hidden:
            st.caption("Niet in de grafiek omdat de aantallen te klein zijn: "
                       + ", ".join(ui.escape_md(a) for a in hidden))


def programmes(rows: pd.DataFrame) -> None:
    """What the programmes are, folded away below the lessons."""
    with st.expander("Over de programma's en het lerend netwerk"):
        st.markdown(
            "**Blauwe Zorg in de wijk** (Maastricht, sinds 2016) brengt zorg en welzijn samen in "
            "vier wijken, met Positieve Gezondheid als rode draad. **PlusWIJken** (Zuid-Limburg, "
            "2025–2028) werkt met welzijnscoaches voor huishoudens met een onzeker bestaan, "
            "kernteams voor kwetsbare ouderen en PlusPraktijken bij de huisarts. In het **lerend "
            "netwerk** leggen de gebieden hun resultaten naast elkaar en besluiten ze samen wat "
            "wordt opgeschaald, voortgezet, aangepast of gestopt.")
        for prog in rows.itertuples():
            st.markdown(f"**{ui.escape_md(prog.name)}**: {ui.escape_md(prog.description)}")
            st.caption(f"Gestart {fmt_date(prog.started_on)} · {fmt_number(prog.areas)} "
                       "programmagebieden")
