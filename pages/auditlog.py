"""Auditlog: the beheerder browses, filters and exports the append-only audit trail."""

import datetime as dt

import streamlit as st

from dashboard import ui
from dashboard.domain import audit
from dashboard.domain.i18n import fmt_number
from dashboard.store import meeting

ui.entry_guard()

st.title("Auditlog")
ui.demo_marker()

engine, role = ui.engine(), ui.current_role()
choices = meeting.audit_choices(engine, role)
today = dt.datetime.now(audit.LOCAL).date()  # audit rows are real events: the real date
a, b, c, d, e = st.columns(5)
since = a.date_input("Van", value=today - dt.timedelta(days=30), format="DD-MM-YYYY",
                     key="audit_since")
until = b.date_input("Tot en met", value=today, format="DD-MM-YYYY", key="audit_until")
actor = c.selectbox("Gebruiker", options=["", *choices["actor"]], key="audit_actor",
                    format_func=lambda v: v or "Iedereen")
action = d.selectbox("Actie", options=["", *choices["action"]], key="audit_action",
                     format_func=lambda v: v or "Alle acties")
result = e.selectbox("Resultaat", options=["", *choices["result"]], key="audit_result",
                     format_func=lambda v: v or "Alle resultaten")

log = meeting.audit_log(engine, role, since, until, actor, action, result)
st.caption(f"{fmt_number(len(log))} regels (hoogstens 5.000, nieuwste eerst). Het auditlog "
           "wordt nooit gewijzigd of verwijderd; tijden in Nederlandse tijd.")
if log.empty:
    ui.empty_state("Geen regels voor deze selectie.")
else:
    ui.table(audit.readable(log), download=f"auditlog_{since.isoformat()}_{until.isoformat()}")
