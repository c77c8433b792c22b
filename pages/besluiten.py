"""Besluiten: every decision of the learning network, its outcome and its evidence."""


import altair as alt
import pandas as pd
import streamlit as st

from dashboard.domain import evidence, learning
from dashboard import ui
from dashboard.ui import views
from dashboard.ui.charts import spc_chart
from dashboard.domain.disclosure import mark_small
from dashboard.domain.i18n import fmt_date, fmt_number

ui.entry_guard()

STRENGTH_COLOURS = evidence.STRENGTH_COLOURS
OUTCOME_ICONS = {"opschalen": ":material/trending_up:", "doorgaan": ":material/play_arrow:",
                 "aanpassen": ":material/tune:", "stoppen": ":material/stop_circle:"}

st.title("Besluiten")
ui.demo_marker()
st.caption("Wat het lerend netwerk besloot (opschalen, doorgaan, aanpassen of stoppen), op basis "
           "van welk bewijs, en wanneer het besluit opnieuw wordt bekeken.")

all_decisions = ui.load("decisions")
if all_decisions.empty:
    ui.empty_state("Er zijn nog geen besluiten vastgelegd.")
    st.stop()
today = ui.load("monitoring_settings")["as_of"]  # the one "today" (demo: its as-of date)

cols = st.columns(4)


def url_filter(column, label: str, param: str, options: dict[str, str]) -> str | None:  # noqa: ANN001
    """``options``: URL value (a key) -> the name shown."""
    choice = views.url_select(label, {views.ALL: "Alle", **options}, param=param,
                              key=f"url_{param}", container=column)
    return None if choice == views.ALL else choice


programme = url_filter(cols[0], "Programma", "programma", learning.programme_options(all_decisions))
area = url_filter(cols[1], "Gebied", "gebied", learning.area_options(all_decisions))
outcome = url_filter(cols[2], "Besluit", "uitkomst", {o: o for o in learning.OUTCOMES})
body = url_filter(cols[3], "Besloten door", "orgaan",
                  {b: b for b in sorted(all_decisions["body"].unique())})
shown = learning.filter_decisions(all_decisions, programme=programme, area=area,
                                  outcome=outcome, body=body)
shown = shown.assign(review_due=learning.due_for_review(shown, today))


def series_of(decision_id: int) -> list[evidence.EvidenceSeries]:
    """The decision's linked series, analysed (loads and analysis cached)."""
    return ui.computed(evidence.build_series,
                       ui.load("decision_evidence", decision_id=decision_id),
                       ui.load("decision_interventions", decision_id=decision_id))


strength = {int(d): evidence.evidence_strength(series_of(int(d))) for d in shown["id"]}

a, b, c = st.columns(3)
a.metric("Besluiten", fmt_number(len(shown)), help="Na de gekozen filters.")
b.metric("Evaluatie verlopen", fmt_number(int(shown["review_due"].sum())),
         help="Evaluatiedatum bereikt of voorbij, en nog niet geëvalueerd.")
c.metric("Met gekoppeld bewijs", fmt_number(int((shown["n_evidence"] > 0).sum())))
for row in shown[shown["review_due"]].itertuples():
    st.warning(f"Evaluatie verlopen: **{ui.escape_md(row.subject)}** ({ui.escape_md(row.outcome)}, "
               f"{fmt_date(row.decided_on)}) "
               f"had op {fmt_date(row.review_on)} geëvalueerd moeten worden.",
               icon=":material/event_busy:")

if shown.empty:
    ui.empty_state("Geen besluiten bij deze filters.")
    st.stop()

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
                s = strength[int(row.id)]
                st.markdown(f":{STRENGTH_COLOURS[s.level]}[Bewijskracht: "
                            f"{ui.escape_md(s.label)}]")
                st.markdown(f"Status: {ui.escape_md(row.status)}"
                            + (" · :orange[**evaluatie verlopen**]" if row.review_due else ""))
with timeline:
    chart = (
        alt.Chart(shown.assign(date=pd.to_datetime(shown["decided_on"])), title="Besluiten in de tijd")
        .mark_point(filled=True, size=140)
        .encode(
            x=alt.X("date:T", title="Datum", axis=alt.Axis(format="%Y")),
            y=alt.Y("programme:N", title=None),
            color=alt.Color("outcome:N", title="Besluit", sort=list(learning.OUTCOMES),
                            scale=alt.Scale(domain=list(learning.OUTCOMES),
                                            range=["#009E73", "#0072B2", "#E69F00", "#D55E00"])),
            shape=alt.Shape("outcome:N", title="Besluit", sort=list(learning.OUTCOMES)),
            tooltip=[alt.Tooltip("subject:N", title="Onderwerp"),
                     alt.Tooltip("outcome:N", title="Besluit"),
                     alt.Tooltip("body:N", title="Besloten door"),
                     alt.Tooltip("date:T", title="Datum", format="%e %b %Y")],
        )
        .properties(height=220, description=f"Tijdlijn van {len(shown)} besluiten per programma, "
                    "gekleurd naar besluit (opschalen, doorgaan, aanpassen, stoppen)."))
    ui.vega(chart)
with listing:
    ui.table(shown.assign(strength=shown["id"].map(lambda i: strength[int(i)].label),
                          due=shown["review_due"].map({True: "verlopen", False: ""})),
             columns={"decided_on": "Datum", "programme": "Programma", "subject": "Onderwerp",
                      "outcome": "Besluit", "body": "Besloten door", "status": "Status",
                      "review_on": "Evaluatie op", "due": "Evaluatie", "strength": "Bewijskracht",
                      "published": "Gepubliceerd"},
             column_config={"Datum": views.DATE, "Evaluatie op": views.DATE})

# ---------------------------------------------------------------- evidence panel
st.header("Bewijs bij een besluit")
ids = [str(i) for i in shown["id"]]
labels = {str(r.id): f"{fmt_date(r.decided_on)} · {r.subject} · {r.outcome}" for r in shown.itertuples()}
start = ui.url_choice("besluit", ids, None)
chosen = st.selectbox("Toon bewijs bij besluit", ids, index=ids.index(start) if start else 0,
                      format_func=labels.__getitem__, key="url_besluit")
st.query_params["besluit"] = chosen
decision = shown[shown["id"] == int(chosen)].iloc[0]
series = series_of(int(chosen))
s = strength[int(chosen)]

with st.container(border=True):
    st.subheader(f"{ui.escape_md(decision['subject'])}: {ui.escape_md(decision['outcome'])}")
    st.caption(f"{ui.escape_md(decision['programme'])} · besloten door "
               f"{ui.escape_md(decision['body'])} op {fmt_date(decision['decided_on'])} · status "
               f"{ui.escape_md(decision['status'])} · evaluatie op "
               f"{fmt_date(decision['review_on'])}"
               + (" (verlopen)" if decision["review_due"] else ""))
    st.badge(f"Bewijskracht: {ui.escape_md(s.label)}", color=STRENGTH_COLOURS[s.level],
             icon=":material/insights:")
    st.markdown(f"**Onderbouwing.** {ui.escape_md(decision['rationale'])}")
    if decision["expected_effect"]:
        st.markdown(f"**Verwacht effect.** {ui.escape_md(decision['expected_effect'])}")
    st.markdown("**Gebieden.** " + (", ".join(ui.escape_md(a) for a in decision["areas"]) or "–"))

if not series:
    ui.empty_state("Aan dit besluit zijn geen indicatorreeksen gekoppeld.")
interventions = ui.load("decision_interventions", decision_id=int(chosen))
for title, group in (("Pilot", [x for x in series if not x.is_comparison]),
                     ("Vergelijking", [x for x in series if x.is_comparison])):
    if not group:
        continue
    st.subheader("Pilotgebieden en -teams" if title == "Pilot" else "Vergelijkingsgebieden en -teams")
    for x in group:
        with st.container(border=True):
            if not x.n_points:
                st.markdown(f"**{ui.escape_md(x.label)} · {ui.escape_md(x.where)}**")
                ui.empty_state(f"Geen bruikbare punten: {fmt_number(x.n_suppressed)} onderdrukt, "
                               "de rest "
                               "ontbreekt.")
                continue
            marks = interventions[interventions["series_id"] == x.series_id]
            ui.vega(ui.chart_spec(spc_chart, x.analysis, x.x, x.periods,
                                  title=f"{x.label} · {x.where}", y_title=x.unit, height=300,
                                  interventions=[(pd.Timestamp(r.started_on), r.label)
                                                 for r in marks.itertuples()]))
            n_total = "–" if x.n_total is None else fmt_number(x.n_total)
            st.markdown(f"**{ui.escape_md(x.verdict.capitalize())}** · {fmt_number(x.n_points)} "
                        f"punten · n = {n_total}"
                        + (f" · basislijn: eerste {fmt_number(x.baseline)} punten"
                           if x.baseline else "")
                        + (f" · :orange[{fmt_number(x.n_small)} punten met een klein aantal "
                           "(<10)]" if x.n_small else "")
                        + (f" · {fmt_number(x.n_suppressed)} onderdrukte punten weggelaten"
                           if x.n_suppressed else ""))
            with st.expander("Cijfers achter de grafiek"):
                numbers = x.points.assign(
                    numerator_text=x.points["numerator"].map(mark_small),
                    denominator_text=x.points["denominator"].map(
                        lambda v: "–" if pd.isna(v) else fmt_number(v)))
                ui.table(numbers, columns={"period": "Periode", "value": x.label,
                                           "numerator_text": "Teller",
                                           "denominator_text": "Noemer", "status": "Status"},
                         column_config={x.label: st.column_config.NumberColumn(format="%.1f")})

st.subheader("Gekoppelde casussen")
links = ui.load("decision_case_links")
linked = links[links["decision_id"] == int(chosen)]
if linked.empty:
    ui.empty_state("Geen casussen gekoppeld.")
for row in linked.itertuples():
    st.page_link("pages/casussen.py", label=f"{ui.escape_md(row.code)} · {ui.escape_md(row.title)}",
                 icon=":material/menu_book:", query_params={"zoek": row.code})
