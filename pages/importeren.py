"""Importeren: download a template, upload a filled-in file, check every row, then import
all rows in one go (or none). Rules and matching live in dashboard.store.importers.

An uploaded file lives for one run: its bytes are read and checked, Streamlit's copy is
dropped and the uploader comes back empty under a new key. What the user then sees is the
preview kept in the session (one at a time); *Inlezen* passes that preview's row versions
to ``importers.commit``, which refuses rows that changed since."""

import streamlit as st

from dashboard import ui
from dashboard.domain.datasets import DATASETS, datasets_for
from dashboard.domain.i18n import fmt_number
from dashboard.store import importers
from dashboard.ui import edit_ui

ui.entry_guard()

st.title("Importeren")
ui.demo_marker()

engine, role, actor = ui.engine(), ui.current_role(), ui.current_username() or ""
if flash := st.session_state.pop("import_flash", None):
    st.success(ui.escape_md(flash), icon=":material/check_circle:")

name = st.selectbox("Gegevensset", options=datasets_for(role), key="import_dataset",
                    format_func=lambda n: DATASETS[n].label)
ds = DATASETS[name]
if st.session_state.get("import_preview", {}).get("dataset") not in (None, name):
    del st.session_state["import_preview"]  # a preview belongs to one dataset
preview = st.session_state.get("import_preview")

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
if failed := st.session_state.pop("import_failed", None):
    message, problems = failed
    st.error(ui.escape_md(message), icon=":material/error:")
    if problems:
        st.dataframe(importers.problem_table(problems), hide_index=True, width="stretch")

limit = ui.escape_md(importers.size_text(importers.MAX_UPLOAD_BYTES))
generation = st.session_state.setdefault("import_generation", 0)
# Streamlit's uploader has fixed English texts (Upload, "5MB per file"): the Dutch
# instructions are in the label and the help.
upload = st.file_uploader(
    f"Bestand (.xlsx of .csv, hoogstens {limit})", type=["xlsx", "csv"],
    key=f"import_upload_{generation}",
    help=f"Sleep het ingevulde sjabloon naar het vak of kies het met de knop *Upload*. "
         f"Hoogstens {limit} en {fmt_number(importers.MAX_ROWS)} rijen.")
if upload is not None:  # read and check it once; the session keeps the preview, not the file
    data = edit_ui.take_upload(upload)
    st.session_state["import_generation"] = generation + 1  # next run: an empty uploader
    st.session_state.pop("import_preview", None)
    try:
        table = importers.read_upload(upload.name, data)
    except importers.UploadError as error:
        st.session_state["import_failed"] = (str(error), [])
        st.rerun()
    st.session_state["import_preview"] = {
        "dataset": name, "filename": upload.name, "table": table,
        "checked": importers.check(engine, role, name, table)}
    st.rerun()
if preview is None:
    ui.empty_state("Kies een ingevuld sjabloon om de rijen te controleren.")
    st.stop()

checked = preview["checked"]
counts = checked.counts()
sheet = preview["table"].attrs.get("blad")
st.caption(f"Bestand: {ui.escape_md(preview['filename'])}" + (f" · blad '{ui.escape_md(sheet)}'" if sheet else ""))
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
    result, _ = importers.commit(engine, actor, role, name, preview["table"],
                                 preview["filename"], previewed=checked.versions())
    del st.session_state["import_preview"]  # done, or to be checked again: never re-used
    if result.ok:
        st.session_state["import_flash"] = result.message
    else:
        st.session_state["import_failed"] = (result.message, result.problems)
    st.rerun()
