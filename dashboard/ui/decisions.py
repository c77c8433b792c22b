"""Blocks of the Besluiten page: filters, the overview (board, timeline, list) and the
evidence panel of one decision: the written evidence strength, and per linked series its
run/control chart with the direction-aware verdict beside the effect size (before/after,
and against the comparison series) with its 95% interval.

Rules live in ``dashboard.domain`` (``evidence`` for strength and assessments, ``effects``
for the intervals, ``verdicts`` for icons, sentences and the glossary); internal pages
use the stored counts, and a missing or suppressed period stays a gap in the chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.domain import disclosure, effects, evidence, learning, spc, verdicts
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.ui import charts, views
from dashboard.ui.monitoring import ICONS, Columns

GLOSSARY = dict(verdicts.BEGRIPPEN)
STRENGTH_COLOURS = evidence.STRENGTH_COLOURS
HEADINGS = {False: "Pilotgebieden en -teams", True: "Vergelijkingsgebieden en -teams"}
GLOSSARY_PAGE = "pages/toegankelijkheid.py"
LISTING = Columns(
    {"decided_on": "Datum", "programme": "Programma", "subject": "Onderwerp",
     "outcome": "Besluit", "body": "Besloten door", "status": "Status",
     "review_on": "Evaluatie op", "due": "Evaluatie", "strength": "Bewijskracht",
     "published": "Gepubliceerd"},
    {"Datum": views.DATE, "Evaluatie op": views.DATE})
NUMBERS = {"period": "Periode", "value": "Waarde", "numerator_text": "Teller",
           "denominator_text": "Noemer", "status": "Status"}
INTERVAL_NOTE = f"95%-interval (BI): {GLOSSARY['95%-interval']}"
DID_NOTE = f"Verschil-in-verschillen: {GLOSSARY['Verschil-in-verschillen']}"


# ---------------------------------------------------------------- loading


def series_of(decision_id: int) -> list[evidence.EvidenceSeries]:
    """The decision's linked series, analysed (loads and analysis cached). An expected
    direction per series, when the evidence frame carries one, overrides the polarity."""
    points = ui.load("decision_evidence", decision_id=decision_id)
    directions = None
    if "expected_direction" in points:
        firsts = points.drop_duplicates("series_id")
        directions = {int(s): d for s, d in zip(firsts["series_id"], firsts["expected_direction"],
                                                strict=True) if isinstance(d, str) and d}
    return ui.computed(evidence.build_series, points,
                       ui.load("decision_interventions", decision_id=decision_id),
                       directions=directions)


def strengths(decisions: pd.DataFrame) -> dict[int, evidence.Strength]:
    return {int(d): evidence.evidence_strength(series_of(int(d))) for d in decisions["id"]}


# ---------------------------------------------------------------- overview


def filters(decisions: pd.DataFrame) -> pd.DataFrame:
    """Programme, area, outcome and body filters kept in the URL; the chosen decisions
    with ``review_due`` (review date reached and not yet evaluated)."""
    cols = st.columns(4)

    def pick(column: int, label: str, param: str, options: dict[str, str]) -> str | None:
        """``options``: URL value (a key) -> the name shown."""
        choice = views.url_select(label, {views.ALL: "Alle", **options}, param=param,
                                  key=f"url_{param}", container=cols[column])
        return None if choice == views.ALL else choice

    shown = learning.filter_decisions(
        decisions,
        programme=pick(0, "Programma", "programma", learning.programme_options(decisions)),
        area=pick(1, "Gebied", "gebied", learning.area_options(decisions)),
        outcome=pick(2, "Besluit", "uitkomst", {o: o for o in learning.OUTCOMES}),
        body=pick(3, "Besloten door", "orgaan", {b: b for b in sorted(decisions["body"].unique())}))
    today = ui.load("monitoring_settings")["as_of"]  # the one "today" (demo: its as-of date)
    return shown.assign(review_due=learning.due_for_review(shown, today))


def summary(shown: pd.DataFrame) -> None:
    """Counts, and a warning per decision whose review is overdue."""
    a, b, c = st.columns(3)
    a.metric("Besluiten", fmt_number(len(shown)), help="Na de gekozen filters.")
    b.metric("Evaluatie verlopen", fmt_number(int(shown["review_due"].sum())),
             help="Evaluatiedatum bereikt of voorbij, en nog niet geëvalueerd.")
    c.metric("Met gekoppeld bewijs", fmt_number(int((shown["n_evidence"] > 0).sum())))
    for row in shown[shown["review_due"]].itertuples():
        st.warning(f"Evaluatie verlopen: **{ui.escape_md(row.subject)}** "
                   f"({ui.escape_md(row.outcome)}, {fmt_date(row.decided_on)}) had op "
                   f"{fmt_date(row.review_on)} geëvalueerd moeten worden.",
                   icon=":material/event_busy:")


def overview(shown: pd.DataFrame, strength: dict[int, evidence.Strength]) -> None:
    """Board per outcome, timeline and list, in tabs."""
    board, timeline, listing = st.tabs(["Bord", "Tijdlijn", "Lijst"])
    with board:
        for col, name in zip(st.columns(len(learning.OUTCOMES)), learning.OUTCOMES, strict=True):
            group = shown[shown["outcome"] == name]
            col.subheader(f"{ui.escape_md(name.capitalize())} ({len(group)})")
            for row in group.itertuples():
                with col.container(border=True):
                    st.markdown(f"**{ui.escape_md(row.subject)}**")
                    st.caption(f"{ui.escape_md(row.programme)} · {ui.escape_md(row.body)} · "
                               f"{fmt_date(row.decided_on)}")
                    level = strength[int(row.id)].level
                    st.markdown(f":{STRENGTH_COLOURS[level]}[Bewijs: {ui.escape_md(level)}]")
                    st.markdown(f"Status: {ui.escape_md(row.status)}"
                                + (" · :orange[**evaluatie verlopen**]" if row.review_due else ""))
    with timeline:
        ui.vega(ui.chart_spec(charts.decision_timeline, shown, learning.OUTCOMES))
    with listing:
        LISTING.table(shown.assign(
            strength=shown["id"].map(lambda i: strength[int(i)].level),
            due=shown["review_due"].map({True: "verlopen", False: ""})))


def choose(shown: pd.DataFrame) -> pd.Series:
    """The decision whose evidence is shown, kept in the URL (``?besluit=``)."""
    ids = [str(i) for i in shown["id"]]
    labels = {str(r.id): f"{fmt_date(r.decided_on)} · {r.subject} · {r.outcome}"
              for r in shown.itertuples()}
    start = ui.url_choice("besluit", ids, None)
    chosen = st.selectbox("Toon bewijs bij besluit", ids, index=ids.index(start) if start else 0,
                          format_func=labels.__getitem__, key="url_besluit")
    st.query_params["besluit"] = chosen
    return shown[shown["id"] == int(chosen)].iloc[0]


# ---------------------------------------------------------------- one decision


def decision_header(decision: pd.Series, s: evidence.Strength) -> None:
    """What was decided, by whom and when, the written evidence strength with its
    explanation, rationale, expected effect and areas."""
    with st.container(border=True):
        st.subheader(f"{ui.escape_md(decision['subject'])}: {ui.escape_md(decision['outcome'])}")
        st.caption(f"{ui.escape_md(decision['programme'])} · besloten door "
                   f"{ui.escape_md(decision['body'])} op {fmt_date(decision['decided_on'])} · "
                   f"status {ui.escape_md(decision['status'])} · evaluatie op "
                   f"{fmt_date(decision['review_on'])}"
                   + (" (verlopen)" if decision["review_due"] else ""))
        level, _, rest = s.label.partition(" — ")  # 'Bewijs: matig — …', level in colour
        st.markdown(f"**:{STRENGTH_COLOURS[s.level]}[Bewijs: {ui.escape_md(level)}]**"
                    + (f" — {ui.escape_md(rest)}" if rest else ""))
        with st.expander("Wat betekent bewijskracht?", icon=":material/help:"):
            st.markdown(f"**Bewijskracht.** {GLOSSARY['Bewijskracht']}")
            st.markdown(f"**Basislijn.** {GLOSSARY['Basislijn']}")
            st.page_link(GLOSSARY_PAGE, label="Alle begrippen uitgelegd (Toegankelijkheid)",
                         icon=":material/menu_book:")
        st.markdown(f"**Onderbouwing.** {ui.escape_md(decision['rationale'])}")
        if decision["expected_effect"]:
            st.markdown(f"**Verwacht effect.** {ui.escape_md(decision['expected_effect'])}")
        st.markdown("**Gebieden.** "
                    + (", ".join(ui.escape_md(a) for a in decision["areas"]) or "–"))


def evidence_panel(decision_id: int) -> None:
    """Pilot series, then comparison series: chart, verdict and effect size each."""
    series = series_of(decision_id)
    if not series:
        ui.empty_state("Aan dit besluit zijn geen indicatorreeksen gekoppeld.")
        return
    interventions = ui.load("decision_interventions", decision_id=decision_id)
    pilots = [x for x in series if not x.is_comparison]
    comparisons = [x for x in series if x.is_comparison]
    direction = next((p.direction for p in pilots if p.direction), None)
    for is_comparison, group in ((False, pilots), (True, comparisons)):
        if group:
            st.subheader(HEADINGS[is_comparison])
        for x in group:
            judged_in = direction if x.is_comparison else None
            did = [] if x.is_comparison else evidence.comparison_effects(x, comparisons)
            series_block(x, interventions, judged_in, did)


def series_block(x: evidence.EvidenceSeries, interventions: pd.DataFrame,
                 direction: verdicts.Direction | None,
                 did: list[tuple[evidence.EvidenceSeries, effects.Effect]]) -> None:
    """One series: its chart with beside it the verdict after the start and the effect
    sizes, under it how to read the chart and the numbers behind it."""
    with st.container(border=True):
        st.markdown(f"**{ui.escape_md(x.label)}** · {ui.escape_md(x.where)}")
        if not x.n_points:
            ui.empty_state(f"Geen bruikbare punten: {fmt_number(x.n_suppressed)} onderdrukt, "
                           "de rest ontbreekt.")
            return
        e = evidence.assess(x, direction)
        verdict = evidence.outcome_verdict(e)
        chart_col, effect_col = st.columns([3, 2])
        with chart_col:
            marks = interventions[interventions["series_id"] == x.series_id]
            ui.vega(ui.chart_spec(
                charts.spc_chart, x.analysis, x.x, x.periods, title=x.where,
                y_title=x.unit, height=300, verdict=verdict.label,
                interventions=[(pd.Timestamp(r.started_on), r.label) for r in marks.itertuples()]))
        with effect_col:
            st.markdown(f"**Oordeel:** {ICONS[verdict.key]}")
            st.markdown(ui.escape_md(evidence.what_happened(e, direction)))
            if e.effect is not None:
                st.markdown(f"**Verandering na de start:** {ui.escape_md(e.effect.text)}")
            for c, effect in did:
                st.markdown(f"**Verschil-in-verschillen t.o.v. {ui.escape_md(c.where)}:** "
                            f"{ui.escape_md(effect.text)}")
            if did:
                st.caption(DID_NOTE)
            if e.effect is not None or did:
                st.caption(INTERVAL_NOTE)
        st.caption(" ".join(ui.escape_md(part) for part in series_caption(x)))
        with st.expander("Cijfers achter de grafiek"):
            numbers = x.points.assign(
                numerator_text=x.points["numerator"].map(disclosure.mark_small),
                denominator_text=x.points["denominator"].map(
                    lambda v: "–" if pd.isna(v) else fmt_number(v)))
            ui.table(numbers, columns=NUMBERS,
                     column_config={"Waarde": st.column_config.NumberColumn(format="%.1f")})


def series_caption(x: evidence.EvidenceSeries) -> list[str]:
    """How to read the chart (one sentence per chart type), which chart and why, and the
    numbers behind it."""
    n_total = "–" if x.n_total is None else fmt_number(x.n_total)
    parts = [verdicts.CHART_EXPLANATIONS[x.analysis.chart], x.chart_note,
             f"{fmt_number(x.n_points)} punten · n = {n_total}."]
    if x.baseline and x.analysis.baseline_too_short:
        parts.append(f"Geen bevroren grenzen: {fmt_number(x.baseline)} perioden vóór de start, "
                     f"minstens {spc.MIN_BASELINE} nodig.")
    elif x.baseline:
        parts.append(f"Middenlijn en grenzen vastgezet op de {fmt_number(x.baseline)} perioden "
                     "vóór de start (basislijn).")
    if x.n_small:
        parts.append(f"{fmt_number(x.n_small)} punten met een klein aantal (<10).")
    if x.n_suppressed:
        parts.append(f"{fmt_number(x.n_suppressed)} onderdrukte perioden: een gat in de lijn.")
    return [p for p in parts if p]


def linked_cases(decision_id: int) -> None:
    links = ui.load("decision_case_links")
    linked = links[links["decision_id"] == decision_id]
    if linked.empty:
        ui.empty_state("Geen casussen gekoppeld.")
    for row in linked.itertuples():
        st.page_link("pages/casussen.py",
                     label=f"{ui.escape_md(row.code)} · {ui.escape_md(row.title)}",
                     icon=":material/menu_book:", query_params={"zoek": row.code})
