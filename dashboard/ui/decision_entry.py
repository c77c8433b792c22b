"""Vergadermodus: record a decision and link its evidence series, prefilled from an agenda
item; publish a decision as a lesson; build the meeting report. The rules are the
datasets' (``dashboard.domain.datasets``: decision and decision_evidence) and
``dashboard.domain.privacy``'s, the saving is ``dashboard.store.writes``; this module lays
out the forms and carries the agenda item's links into them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard.domain import verdicts
from dashboard.domain.datasets import DATASETS, clean, decision_ref
from dashboard.domain.i18n import fmt_date
from dashboard.domain.learning import LESSON_HELP
from dashboard.domain.roles import Role
from dashboard.store import writes
from dashboard.store.meeting import AgendaItem, AgendaSection
from dashboard.ui import edit_ui, empty_state, escape_md, lessons, load, pdf

LAST_DECISION = "meeting_decision_ref"  # the decision saved last in this session
MAX_REPORT_CHANGES = 200


def _agenda_choice(sections: Sequence[AgendaSection]) -> tuple[int | None, AgendaItem | None]:
    items = [(section.title, item) for section in sections for item in section.items]
    choice = st.selectbox(
        "Agendapunt", options=range(len(items)), index=None, key="meeting_item",
        format_func=lambda i: f"{items[i][0]}: {items[i][1].title}",
        placeholder="Geen: een onderwerp buiten de agenda",
        help="Vult het onderwerp en de bewijsreeks in vanuit het gekozen agendapunt.")
    return (choice, items[choice][1]) if choice is not None else (None, None)


def decision_with_evidence(engine: Engine, actor: str, role: Role, today: dt.date,
                           sections: Sequence[AgendaSection], flash_key: str) -> None:
    """The decision form and, below it, the form that links an evidence series to a decision
    (the one just recorded, or the agenda item's); both prefilled from the chosen agenda
    item. A saved form sets ``st.session_state[flash_key]`` and reruns the page."""
    choice, item = _agenda_choice(sections)
    links: dict[str, Any] = dict(item.prefill) if item is not None else {}
    suffix = "" if choice is None else f"-{choice}"

    key = f"meeting-decision{suffix}"
    current: dict[str, Any] = {"decided_on": today, "status": "open"}
    if item is not None and "decision" not in links:
        current["subject"] = item.title[:200]
    values = edit_ui.record_form(DATASETS["decision"], writes.reference_keys(engine, role,
                                                                             "decision"),
                                 current, key, "Besluit opslaan")
    if values is not None:
        result = writes.create(engine, actor, role, "decision", values)
        if result.ok:
            saved, _ = clean(DATASETS["decision"], values)
            st.session_state[LAST_DECISION] = decision_ref(saved["decided_on"], saved["subject"])
            edit_ui.clear_form(key)
            st.session_state[flash_key] = ("Besluit vastgelegd. Koppel hieronder de reeksen "
                                           "die het onderbouwen.")
            st.rerun()
        edit_ui.show_problems(result)

    st.markdown("**Bewijsreeks koppelen** · een indicator in een gebied, of een maat van een "
                "kernteam; pilot of vergelijking")
    decision = links.get("decision") or st.session_state.get(LAST_DECISION)
    series = {"decision": decision} | {k: v for k, v in links.items() if k != "decision"}
    evidence_key = f"meeting-evidence{suffix}-{decision or ''}"
    values = edit_ui.record_form(DATASETS["decision_evidence"],
                                 writes.reference_keys(engine, role, "decision_evidence"),
                                 series, evidence_key, "Bewijsreeks koppelen")
    if values is not None:
        result = writes.create(engine, actor, role, "decision_evidence", values)
        if result.ok:
            edit_ui.clear_form(evidence_key)
            st.session_state[flash_key] = (f"Bewijsreeks gekoppeld aan het besluit "
                                           f"'{values.get('decision')}'.")
            st.rerun()
        edit_ui.show_problems(result)
    if decision:
        st.caption(f"Besluit: {escape_md(str(decision))}. Alle gekoppelde reeksen staan op de "
                   "pagina Besluiten; corrigeren kan op Gegevens beheren.")


def meeting_report(sections: Sequence[AgendaSection], projects: pd.DataFrame,
                   changes: pd.DataFrame, since: dt.date, today: dt.date, title: str, *,
                   demo: bool) -> pdf.Document:
    """The meeting report (HTML with ``pdf.to_html``, A4 with ``pdf.render``): the agenda as
    it stands, each item with its written verdict; what changed since the last meeting
    (decisions taken, figures entered: ``audit.readable_changes``); every project, with
    names."""
    blocks: list[pdf.Block] = []
    for section in sections:
        blocks.append(pdf.Heading(section.title))
        if section.note:
            blocks.append(pdf.Text(section.note, small=True))
        if not section.items:
            blocks.append(pdf.Text(section.empty))
        for item in section.items:
            verdict = f"{verdicts.VERDICT_ICONS[item.verdict].text} — " if item.verdict else ""
            blocks.append(pdf.Text(f"• {item.title}: {verdict}{item.detail}"))
    blocks.append(pdf.Heading(f"Wat is er veranderd sinds {fmt_date(since)}"))
    if changes.empty:
        blocks.append(pdf.Text("Sinds die datum is er niets gewijzigd."))
    else:
        shown = changes.head(MAX_REPORT_CHANGES)
        blocks.append(pdf.TableBlock(list(shown.columns), shown.astype(str).values.tolist(),
                                     caption="" if len(changes) <= MAX_REPORT_CHANGES else
                                     f"De laatste {MAX_REPORT_CHANGES} van {len(changes)} "
                                     "wijzigingen; alle staan in het Auditlog."))
    blocks += [pdf.Heading("Projecten en programmalijnen"), pdf.TableBlock(
        ["Code", "Naam", "Programma", "Status", "Voortgang", "Domeinen"],
        [[str(r.code), str(r.name), str(r.programme), str(r.status), str(r.health),
          ", ".join(r.domains or [])] for r in projects.itertuples()])]
    return pdf.Document(title=title, subtitle=f"Stand van zaken op {fmt_date(today, long=True)}",
                        source="Bron: registraties van het lerend netwerk",
                        as_of=fmt_date(today), demo=demo, blocks=blocks)


def publish_lesson(engine: Engine, actor: str, role: Role, flash_key: str) -> None:
    """Publish a decision as a lesson learned, from the meeting: the public summary, a
    preview as the public page will show it, the "geen namen" check (``domain.privacy``)
    and a confirmation that nothing identifies a person before *Publiceren* works."""
    decisions = load("decisions")  # newest first; the row itself is read fresh below
    if decisions.empty:
        empty_state("Er zijn nog geen besluiten: leg eerst een besluit vast.")
        return
    refs = {int(r.id): decision_ref(r.decided_on, r.subject) for r in decisions.itertuples()}
    names = {int(r.id): f"{fmt_date(r.decided_on)} · {r.subject} · {r.programme}"
             for r in decisions.itertuples()}  # what a reader calls it, not the import key
    last = st.session_state.get(LAST_DECISION)
    ids = list(refs)
    chosen = st.selectbox("Besluit", ids, format_func=names.__getitem__, key="meeting_publish",
                          index=ids.index(next((i for i, r in refs.items() if r == last),
                                               ids[0])))
    row = writes.get_row(engine, role, "decision", chosen)
    summary = st.text_area(
        "Openbare samenvatting", value=row["public_summary"] or "", max_chars=writes.MAX_SUMMARY,
        key=f"meeting-summary-{chosen}",
        help=LESSON_HELP)
    st.caption("Zo komt de les op de openbare pagina Geleerde lessen:")
    lessons.lesson_card(SimpleNamespace(
        id=chosen, subject=row["subject"], outcome=row["outcome"], decided_on=row["decided_on"],
        public_summary=summary or "(nog geen samenvatting)",
        programme=decisions.set_index("id").loc[chosen, "programme"]), pd.DataFrame(
            columns=["decision_id", "title", "lessons"]), link=False)
    confirmed = edit_ui.no_names_check(summary, f"meeting-no-names-{chosen}")
    if st.button("Publiceren als geleerde les", icon=":material/public:", type="primary",
                 disabled=not (confirmed and summary.strip()), key=f"meeting-publish-{chosen}"):
        result = writes.publish_decision(engine, actor, role, chosen, int(row["version"]),
                                         summary)
        if result.ok:
            st.session_state[flash_key] = (f"Gepubliceerd: '{row['subject']}' staat nu op "
                                           "Geleerde lessen.")
            st.rerun()
        edit_ui.show_problems(result)
