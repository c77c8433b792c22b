"""Kaart: a choropleth of one indicator and period for every programme area."""

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.domain.roles import Permission, can
from dashboard.ui import labels, maps

ui.entry_guard()

st.title("Kaart")
ui.demo_marker()

catalogue = ui.load("indicators")
areas = ui.load("areas")
if catalogue.empty:
    ui.empty_state("Er zijn nog geen indicatoren vastgelegd.")
    st.stop()

meta_by_key = catalogue.set_index("key")
keys = list(catalogue["key"])
c1, c2, c3, c4 = st.columns([3, 1.3, 2, 1.3])
indicator = c1.selectbox("Indicator", keys, format_func=lambda k: meta_by_key.at[k, "label"],
                         index=keys.index(ui.url_choice("indicator", keys, keys[0])))
meta = meta_by_key.loc[indicator]
periods = ui.view(maps.periods, indicator_key=indicator)
if not periods:
    ui.empty_state(f"Nog geen cijfers voor {ui.escape_md(meta['label'])}.")
    st.stop()
period = c2.selectbox("Periode", periods,
                      index=periods.index(ui.url_choice("periode", periods, periods[0])))
modes = list(maps.MODES)
mode = c3.selectbox("Vergelijking", modes, format_func=maps.MODES.get,
                    index=modes.index(ui.url_choice("vergelijk", modes, "waarde")))
baseline = None
if mode == "basisjaar":
    earlier = [p for p in periods if p < period] or periods
    baseline = c4.selectbox("Basisjaar", earlier,
                            index=earlier.index(ui.url_choice("basis", earlier, earlier[-1])))

f1, f2, _ = st.columns([2, 2, 3])
programmes = maps.programme_options(areas)  # key -> name: the URL holds the key
programme = f1.selectbox("Programma", list(programmes), format_func=programmes.get,
                         index=list(programmes).index(
                             ui.url_choice("programma", list(programmes), maps.ALL, notice=f1)))
munis = maps.municipality_options(areas)  # CBS code -> name
muni = f2.selectbox("Gemeente", list(munis), format_func=munis.get,
                    index=list(munis).index(
                        ui.url_choice("gemeente", list(munis), maps.ALL, notice=f2)))

# The URL reproduces this view (a filter left at "alle" stays out of it).
st.query_params.from_dict({k: v for k, v in {
    "indicator": indicator, "periode": period, "vergelijk": mode, "basis": baseline,
    "programma": programme, "gemeente": muni}.items() if v not in (None, maps.ALL)})

view = ui.view(maps.map_view, indicator_key=indicator, period=period, mode=mode,
               baseline=baseline, programme=programme, municipality=muni)
if view is None:
    ui.empty_state("Geen programmagebieden voor deze combinatie van programma en gemeente.")
    st.stop()
if can(ui.current_role(), Permission.ADMINISTER) and view.source in labels.GEO_OPERATIONS_NOTES:
    st.info(labels.GEO_OPERATIONS_NOTES[view.source], icon=":material/build:")

tab_map, tab_table = st.tabs(["Kaart", "Tabel"])
with tab_map:
    map_col, legend_col = st.columns([4, 1.4])
    with map_col:
        event = st.pydeck_chart(maps.JsonDeck(view), on_select="rerun",
                                selection_mode="single-object", key="kaart_map", height=540,
                                alt=f"Kaart van {meta['label']} ({maps.MODES[mode].lower()}, "
                                    f"{period}) per programmagebied; dezelfde cijfers staan "
                                    "in het tabblad Tabel.")
        st.caption("Klik op een gebied om het wijkprofiel te openen. Grijze vlakken: andere buurten "
                   "in dezelfde gemeenten.")
        if view.without_polygon:
            st.caption("Niet op de kaart: " + "; ".join(ui.escape_md(t) for t in view.without_polygon)
                       + ".")
        st.caption(ui.escape_md(view.attribution))
    with legend_col:
        st.markdown(f"**{ui.escape_md(meta['label'])}**  \n{maps.MODES[mode]}, "
                    f"{ui.escape_md(period)} ({ui.escape_md(meta['unit'])})")
        if view.legend:
            entries = pd.DataFrame({"Kleur": ["" for _ in view.legend],
                                    "Klasse": [e.label for e in view.legend]})
            colours = [f"background-color: {e.hex}" for e in view.legend]
            st.dataframe(entries.style.apply(lambda _: colours, subset=["Kleur"]),
                         hide_index=True, key="legenda",
                         column_config={"Kleur": st.column_config.TextColumn(width=40)})
        st.caption(ui.escape_md(maps.legend_caption(view.legend, unit=meta["unit"],
                                                    polarity=meta["polarity"], mode=mode)))
        if view.totals:
            st.caption("Het programma als geheel (alle gebieden samen; opent het wijkprofiel):")
        for key, name, value in view.totals:  # the programme as a whole, to its profile
            st.page_link("pages/wijkprofiel.py", label=ui.escape_md(f"{name}: {value}"),
                         icon=":material/functions:", query_params={"gebied": key})

selected = (event.selection.objects.get("gebieden") if event and event.selection else None) or []
if selected:
    st.switch_page("pages/wijkprofiel.py", query_params={"gebied": selected[0]["key"]})

with tab_table:
    table = view.table
    ui.table(table, columns={c: c for c in table.columns},
             column_config={c: st.column_config.NumberColumn(format="localized")
                            for c in ("Waarde", "Teller", "Noemer", "Gemeente (referentie)",
                                      "Zuid-Limburg", "Nederland", "Getoond op kaart")})
    st.download_button("Download als CSV", view.csv,
                       file_name=f"kaart_{indicator}_{period}.csv", mime="text/csv",
                       icon=":material/download:")
