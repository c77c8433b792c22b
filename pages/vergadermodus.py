"""Vergadermodus: the agenda generated from the data, quick entry of decisions and figures
during the meeting, what changed since the last meeting, and the meeting report."""

import datetime as dt

import streamlit as st

from dashboard import ui
from dashboard.domain import audit
from dashboard.domain.datasets import DATASETS
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.store import meeting, settings, writes
from dashboard.ui import decision_entry, edit_ui, labels, pdf
from dashboard.ui.monitoring import ICONS

ui.entry_guard()

st.title("Vergadermodus")
ui.demo_marker()

engine, role, actor = ui.engine(), ui.current_role(), ui.current_username() or ""
today = settings.today(engine)
if flash := st.session_state.pop("meeting_flash", None):
    st.success(ui.escape_md(flash), icon=":material/check_circle:")

signals = ui.computed(meeting.new_kernteam_signals, ui.load("kernteam_quarters"),
                      ui.load("kernteam_interventions"),
                      ui.load("monitoring_settings")["min_baseline_points"])
sections = meeting.agenda(engine, role, today, signals=signals)

st.subheader(f"Agenda · {fmt_date(today, long=True)}")
for number, section in enumerate(sections, start=1):
    with st.expander(f"{fmt_number(number)}. {ui.escape_md(section.title)} ({len(section.items)})",
                     expanded=bool(section.items)):
        if not section.items:
            st.caption(ui.escape_md(section.empty))
        if section.note:  # signals: how many are new, and how many chance alone gives
            st.caption(f"{ui.escape_md(section.note)} Alle signalen en kaarten staan op de "
                       "pagina Kernteams.")
        for item in section.items:
            verdict = ICONS[item.verdict] + " · " if item.verdict else ""
            st.markdown(f"- {verdict}**{ui.escape_md(item.title)}** — {ui.escape_md(item.detail)}")

st.subheader("Wat is er veranderd sinds het vorige overleg?")
since = st.date_input("Vorig overleg op", value=dt.date.today() - dt.timedelta(days=28),
                      format="DD-MM-YYYY", key="meeting_since")
changes = audit.readable_changes(meeting.changes_since(
    engine, role, audit.local_day_bounds(since, since)[0]))  # real events: the real date
if changes.empty:
    ui.empty_state("Sinds die datum is er niets gewijzigd.")
else:
    ui.table(changes)

projects = writes.list_rows(engine, role, "project")
report = decision_entry.meeting_report(sections, projects, changes, since, today,
                                      f"{labels.APP_TITLE}: verslag lerend netwerk",
                                      demo=meeting.is_demo(engine))
html_col, pdf_col = st.columns(2)
html_col.download_button("Vergaderverslag (HTML)", data=pdf.to_html(report).encode("utf-8"),
                         file_name=f"vergadering_{today.isoformat()}.html", mime="text/html",
                         icon=":material/description:", on_click="ignore")
pdf_col.download_button("Vergaderverslag (pdf)", data=lambda: pdf.render(report),
                        file_name=f"vergadering_{today.isoformat()}.pdf",
                        mime="application/pdf", icon=":material/picture_as_pdf:",
                        on_click="ignore")

st.subheader("Snel invoeren")
decision_tab, publish_tab, figures_tab = st.tabs(["Besluit vastleggen", "Les publiceren",
                                                  "Cijfers invoeren"])
with decision_tab:
    decision_entry.decision_with_evidence(engine, actor, role, today, sections, "meeting_flash")
with publish_tab:
    decision_entry.publish_lesson(engine, actor, role, "meeting_flash")
with figures_tab:
    name = st.radio("Soort cijfers", ["coach_month", "kernteam_quarter"], horizontal=True,
                    format_func=lambda n: ui.escape_md(DATASETS[n].label), key="meeting_figures")
    key = f"meeting-{name}"
    values = edit_ui.record_form(DATASETS[name], writes.reference_keys(engine, role, name), None,
                                 key, "Cijfers opslaan")
    if values is not None:
        result = writes.create(engine, actor, role, name, values)
        if result.ok:
            edit_ui.clear_form(key)
            st.session_state["meeting_flash"] = "Cijfers opgeslagen."
            st.rerun()
        edit_ui.show_problems(result)
    st.caption("Bestaande cijfers corrigeren kan op de pagina Gegevens beheren.")
