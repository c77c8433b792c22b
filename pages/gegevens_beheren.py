"""Gegevens beheren: create, edit, delete and export the rows of every editable dataset.

Rows are picked and saved by primary key with the version the user loaded; a save over
someone else's newer edit shows both values and a reload button (the state machine lives in
``dashboard.ui.edit_ui.row_editor``; the rules in ``dashboard.store.writes``)."""

import streamlit as st

from dashboard import ui
from dashboard.domain.datasets import DATASETS, datasets_for
from dashboard.store import writes
from dashboard.store.importers import export_frame
from dashboard.ui import edit_ui

ui.entry_guard()

st.title("Gegevens beheren")
ui.demo_marker()

engine, role, actor = ui.engine(), ui.current_role(), ui.current_username() or ""
if flash := st.session_state.pop("beheer_flash", None):
    st.success(ui.escape_md(flash), icon=":material/check_circle:")

name = st.selectbox("Gegevensset", options=datasets_for(role), key="beheer_dataset",
                    format_func=lambda n: DATASETS[n].label)
ds = DATASETS[name]
rows = writes.list_rows(engine, role, name)
refs = writes.reference_keys(engine, role, name)
edit_tab, new_tab, export_tab = st.tabs(["Wijzigen of verwijderen", "Nieuw", "Exporteren"])

with edit_tab:
    search = st.text_input("Zoeken", key=f"beheer_search_{name}",
                           placeholder="Bijvoorbeeld een code, gebied of periode")
    described = {int(r["id"]): ds.describe(r) for r in rows.to_dict("records")}
    ids = [i for i, text in described.items() if search.lower() in text.lower()]
    st.caption(f"{len(ids)} van {len(rows)} rijen")
    row_id = st.selectbox("Rij", options=ids, key=f"beheer_row_{name}", index=0 if ids else None,
                          format_func=lambda i: described[i], placeholder="Geen rij gevonden")
    if row_id is None:
        ui.empty_state("Geen rijen gevonden. Pas de zoekterm aan of voeg een rij toe.")
    else:
        edit_ui.row_editor(engine, actor, role, ds, row_id, described[row_id], refs)

with new_tab:
    edit_ui.new_row_form(engine, actor, role, ds, refs)

with export_tab:
    st.caption("Het Excel-bestand heeft de kolommen van het sjabloon: je kunt het aanvullen of "
               "corrigeren en via Importeren weer inlezen.")
    frame = export_frame(name, rows)
    ui.downloads(frame, name)
    st.dataframe(frame, hide_index=True, width="stretch", height=360)
