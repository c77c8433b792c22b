"""Importeren: download a template, upload a filled-in file, check every row, then import
all rows in one go (or none). Rules and matching live in data_loaders.importers."""

import streamlit as st

from dashboard import ui
from dashboard.datasets import DATASETS
from dashboard.i18n import fmt_number
from data_loaders import importers

ui.entry_guard()

st.title("Importeren")
ui.demo_marker()

engine, role, actor = ui.engine(), ui.current_role(), ui.current_username() or ""
if flash := st.session_state.pop("import_flash", None):
    st.success(ui.escape_md(flash), icon=":material/check_circle:")

name = st.selectbox("Gegevensset", options=list(DATASETS), key="import_dataset",
                    format_func=lambda n: DATASETS[n].label)
ds = DATASETS[name]

st.subheader("1. Sjabloon")
st.markdown(f"Het sjabloon heeft de kolommen van *{ui.escape_md(ds.label)}* en een blad "
            "*Instructies* met de regels per kolom. Rijen worden herkend aan: "
            f"**{', '.join(ui.escape_md(ds.field(k).label) for k in ds.key)}** — bestaat die "
            "combinatie al, "
            "dan wordt de rij bijgewerkt. Hetzelfde bestand twee keer inlezen verandert niets.")
st.download_button("Sjabloon downloaden (Excel)", data=lambda: importers.template(name),
                   file_name=f"sjabloon_{name}.xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")

st.subheader("2. Bestand controleren")
max_mb = importers.MAX_UPLOAD_BYTES // (1024 * 1024)
upload = st.file_uploader(f"Bestand (.xlsx of .csv, hoogstens {fmt_number(max_mb)} MB)",
                          type=["xlsx", "csv"],
                          key=f"import_upload_{name}", max_upload_size=max_mb)
if upload is None:
    ui.empty_state("Kies een ingevuld sjabloon om de rijen te controleren.")
    st.stop()

try:
    table = importers.read_upload(upload.name, upload.getvalue())
except importers.UploadError as error:
    st.error(ui.escape_md(error), icon=":material/error:")
    st.stop()

checked = importers.check(engine, role, name, table)
counts = checked.counts()
a, b, c, d = st.columns(4)
a.metric("Nieuw", fmt_number(counts["nieuw"]))
b.metric("Gewijzigd", fmt_number(counts["gewijzigd"]))
c.metric("Ongewijzigd", fmt_number(counts["ongewijzigd"]))
d.metric("Problemen", fmt_number(len(checked.problems)))
if not checked.ok:
    st.error(f"Er is niets ingelezen: "
             f"{ui.escape_md(importers.problems_text(len(checked.problems)))} gevonden. "
             "Verbeter het bestand en kies het opnieuw.", icon=":material/error:")
    st.dataframe(checked.problem_table(), hide_index=True, width="stretch")
    st.stop()

st.dataframe(checked.preview_table(), hide_index=True, width="stretch", height=320)

st.subheader("3. Inlezen")
if counts["nieuw"] + counts["gewijzigd"] == 0:
    st.info("Alle rijen staan al zo in de database: inlezen verandert niets.",
            icon=":material/info:")
if st.button("Inlezen", type="primary", icon=":material/upload:", key="import_commit"):
    result, checked = importers.commit(engine, actor, role, name, table, upload.name)
    if result.ok:
        ui.clear_caches()
        st.session_state["import_flash"] = result.message
        st.session_state.pop(f"import_upload_{name}", None)
        st.rerun()
    st.error(ui.escape_md(result.message), icon=":material/error:")
    if checked.problems:
        st.dataframe(checked.problem_table(), hide_index=True, width="stretch")
