"""Gegevens beheren: create, edit, delete and export the rows of every editable dataset.

Rows are picked and saved by primary key with the version the user loaded; a save over
someone else's newer edit shows both values and a reload button (dashboard.store.writes)."""

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
        seen_key, conflict_key = f"seen:{name}:{row_id}", f"conflict:{name}:{row_id}"
        current = writes.get_row(engine, role, name, row_id)
        if seen_key not in st.session_state and current is not None:
            st.session_state[seen_key] = current["version"]
        seen = st.session_state.get(seen_key)
        form_key = f"edit-{name}-{row_id}-{seen}"

        def reload() -> None:
            st.session_state.pop(seen_key, None)
            st.session_state.pop(conflict_key, None)
            st.session_state.pop(f"confirm:{name}:{row_id}", None)
            edit_ui.clear_form(form_key)

        def after_save(result: writes.WriteResult) -> None:
            st.session_state[seen_key] = result.version
            st.session_state["beheer_flash"] = result.message
            st.rerun()

        if conflict_key in st.session_state:
            edit_ui.show_conflict(ds, st.session_state[conflict_key], reload, form_key)
        elif current is None:
            st.warning("Deze rij bestaat niet meer.")
        else:
            submitted = edit_ui.record_form(ds, refs, current, form_key, "Opslaan")
            if submitted is not None:
                result = writes.update(engine, actor, role, name, row_id, seen, submitted)
                if result.ok:
                    after_save(result)
                elif result.status == writes.CONFLICT:
                    st.session_state[conflict_key] = result
                    st.rerun()
                else:
                    edit_ui.show_problems(result)

            if name == "decision":
                with st.container(border=True):
                    st.markdown("**Openbare samenvatting** · wordt na publiceren een geleerde les")
                    summary = st.text_area("Openbare samenvatting", value=current["public_summary"],
                                           key=f"{form_key}-summary", label_visibility="collapsed")
                    st.caption("Gepubliceerd." if current["published"] else "Niet gepubliceerd.")
                    publish, withdraw = st.columns(2)
                    action = None
                    if publish.button("Publiceren", key=f"{form_key}-publish",
                                      icon=":material/public:"):
                        action = True
                    if current["published"] and withdraw.button(
                            "Publicatie intrekken", key=f"{form_key}-withdraw",
                            icon=":material/public_off:"):
                        action = False
                    if action is not None:
                        result = writes.publish_decision(engine, actor, role, row_id, seen,
                                                         summary, publish=action)
                        if result.ok:
                            after_save(result)
                        elif result.status == writes.CONFLICT:
                            st.session_state[conflict_key] = result
                            st.rerun()
                        else:
                            edit_ui.show_problems(result)

            confirm_key = f"confirm:{name}:{row_id}"
            if not st.session_state.get(confirm_key):
                if st.button("Verwijderen…", key=f"{form_key}-delete", icon=":material/delete:"):
                    st.session_state[confirm_key] = True
                    st.rerun()
            else:
                st.warning(f"Weet je zeker dat je **{ui.escape_md(described[row_id])}** wilt "
                           "verwijderen? "
                           + ("De rij verdwijnt uit het dashboard; de gegevens blijven in het "
                              "auditlog bewaard." if ds.soft_delete else
                              "De cijfers verdwijnen; de oude waarden blijven in het auditlog."),
                           icon=":material/warning:")
                yes, no = st.columns(2)
                if yes.button("Ja, verwijderen", key=f"{form_key}-delete-yes", type="primary"):
                    st.session_state.pop(confirm_key, None)
                    result = writes.delete(engine, actor, role, name, row_id, seen)
                    if result.ok:
                        st.session_state["beheer_flash"] = result.message
                        st.rerun()
                    if result.status != writes.CONFLICT:  # refused: master data with figures
                        edit_ui.show_problems(result)
                    else:
                        st.session_state[conflict_key] = result
                        st.rerun()
                if no.button("Annuleren", key=f"{form_key}-delete-no"):
                    st.session_state.pop(confirm_key, None)
                    st.rerun()

with new_tab:
    new_key = f"new-{name}"
    submitted = edit_ui.record_form(ds, refs, None, new_key, "Toevoegen")
    if submitted is not None:
        result = writes.create(engine, actor, role, name, submitted)
        if result.ok:
            edit_ui.clear_form(new_key)
            st.session_state["beheer_flash"] = f"Toegevoegd: {ds.describe(submitted)}."
            st.rerun()
        edit_ui.show_problems(result)

with export_tab:
    st.caption("Het Excel-bestand heeft de kolommen van het sjabloon: je kunt het aanvullen of "
               "corrigeren en via Importeren weer inlezen.")
    frame = export_frame(name, rows)
    ui.downloads(frame, name)
    st.dataframe(frame, hide_index=True, width="stretch", height=360)
