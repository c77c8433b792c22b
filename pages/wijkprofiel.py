"""Wijkprofiel: one area's trends, Positive Health, projects, coaches and kernteams."""

import streamlit as st

from dashboard import ui
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.ui import charts, paper, pdf
from dashboard.ui.charts import CHART_NAMES
from dashboard.ui.monitoring import EXPLANATIONS, ICONS
from dashboard.ui.profile import (
    area_subtitle,
    profile_areas,
    profile_document,
    spider_grid,
    spider_selection,
    spider_table,
    trend_panels,
)

ui.entry_guard()

st.title("Wijkprofiel")
ui.demo_marker()

areas = ui.view(profile_areas)  # per programme: its total, then its areas
keys = list(areas["key"])
names = dict(zip(areas["key"], areas["name"], strict=True))
key = st.selectbox("Gebied", keys, format_func=names.get,
                   index=keys.index(ui.url_choice("gebied", keys, keys[0], notice=st)))
st.query_params["gebied"] = key
area = areas.set_index("key").loc[key]
profile = ui.load("area_profile", area_key=key)
catalogue = ui.load("indicators")

st.markdown(f"**{ui.escape_md(area['name'])}** · {ui.escape_md(area_subtitle(area))}")
if area["note"]:
    st.caption(ui.escape_md(area["note"]))
m1, m2, m3, m4 = st.columns(4)
m1.metric("Inwoners", fmt_number(area["residents"]),
          help=f"Peiljaar {ui.escape_md(area['residents_year'])}")
m2.metric("Projecten en programmalijnen", fmt_number(len(profile["projects"])))
m3.metric("Welzijnscoaches", fmt_number(len(profile["coaches"])),
          delta=f"{fmt_number(profile['coaches']['fte'].sum(), 1)} fte" if len(profile["coaches"])
          else None, delta_color="off", delta_arrow="off")
m4.metric("Kernteams", fmt_number(len(profile["kernteams"])))
panels = ui.view(trend_panels, area_key=key)
as_of, demo = ui.load("monitoring_settings")["as_of"], ui.demo_data()
paper.print_header(paper.ALL_SOURCES, as_of)
st.download_button("Download als pdf", icon=":material/picture_as_pdf:", mime="application/pdf",
                   file_name=f"wijkprofiel-{key}.pdf", on_click="ignore",
                   data=lambda: pdf.render(profile_document(area, profile, panels,
                                                            as_of=fmt_date(as_of), demo=demo)))

# Only the open tab runs and is sent (eleven or more charts are heavy for the browser);
# the tab is in the URL (?tab=…), so a link opens the same view.
tab_trends, tab_ph, tab_work, tab_meta = st.tabs(
    ["Trends", "Positieve Gezondheid", "Projecten, coaches en kernteams", "Indicatoren"],
    key="tab", bind="query-params")

if tab_trends.open:
    with tab_trends:
        marks = profile["interventions"]
        if len(marks):
            st.caption("Verticale stippellijnen: interventies (" + "; ".join(
                f"{ui.escape_md(r.label)}, {fmt_date(r.started_on)}" for r in marks.itertuples())
                + ").")
        cols = st.columns(2)
        for i, panel in enumerate(panels):
            with cols[i % 2]:
                ui.vega(panel.spec)
                if panel.verdict:  # direction-aware, when the series is long enough
                    st.markdown(f"**Oordeel** ({CHART_NAMES[panel.chart]}, "
                                f"{fmt_number(panel.periods)} perioden): {ICONS[panel.verdict]} "
                                f"— {EXPLANATIONS[panel.verdict]}")
                st.caption(ui.escape_md(panel.caption))

if tab_ph.open:
    with tab_ph:
        scores = ui.load("survey_scores", area_key=key)
        selection = spider_selection(scores)
        if selection is None:
            ui.empty_state("Nog geen metingen Positieve Gezondheid in dit gebied.")
        else:
            ui.vega(ui.chart_spec(charts.spider_chart, *selection, *spider_grid()))
            st.dataframe(spider_table(scores), hide_index=True, width="stretch")

if tab_work.open:
    with tab_work:
        left, mid, right = st.columns([3.2, 1.6, 2.2])
        with left:
            st.subheader("Projecten en programmalijnen")
            if profile["projects"].empty:
                ui.empty_state("Geen projecten in dit gebied.")
            else:
                ui.table(profile["projects"], columns={"code": "Code", "status": "Status",
                                                       "health": "Voortgang", "name": "Naam"})
        with mid:
            st.subheader("Welzijnscoaches")
            if profile["coaches"].empty:
                ui.empty_state("Geen welzijnscoaches in dit gebied.")
            else:
                ui.table(profile["coaches"], columns={"code": "Code", "fte": "Fte"})
        with right:
            st.subheader("Kernteams")
            if profile["kernteams"].empty:
                ui.empty_state("Geen kernteams in dit gebied.")
            else:
                ui.table(profile["kernteams"], columns={"code": "Code", "practice": "PlusPraktijk"})

if tab_meta.open:
    with tab_meta:
        ui.table(catalogue, columns={"label": "Indicator", "definition": "Definitie",
                                     "unit": "Eenheid",
                                     "polarity": "Polariteit", "source": "Bron",
                                     "period_type": "Periode", "last_update": "Laatst bijgewerkt"},
                 column_config={"Laatst bijgewerkt":
                                st.column_config.DateColumn(format="D MMM YYYY")})
