"""Streamlit widgets for editing: a form generated from a dataset spec, the problem list,
the side-by-side conflict view and download buttons. Pages call these; the rules live
in ``dashboard.domain.datasets`` and the saving in ``dashboard.store.writes``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard.domain import privacy
from dashboard.domain.datasets import Dataset, Field, display
from dashboard.domain.i18n import fmt_number
from dashboard.domain.learning import LESSON_HELP
from dashboard.domain.roles import Role
from dashboard.store import writes
from dashboard.store.writes import WriteResult
from dashboard.ui import escape_md, load

NONE_LABEL = "—"
NUMBER_HELP = "Een punt tussen duizendtallen, een komma voor decimalen: 1.234,5."


def number_text(value: float | int | None) -> str:
    """A stored number as Dutch text that ``parse_number`` reads back exactly (so saving
    a form unchanged changes nothing): the float's shortest exact digits, a dot between
    thousands and a decimal comma (1.234,5)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, int) or value.is_integer():
        return fmt_number(value)
    text = f"{Decimal(repr(value)):,f}"  # repr: the shortest digits that give this float
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _widget(f: Field, current: Any, refs: dict[str, dict[str, str]], key: str) -> Any:
    label = escape_md(f.label) + ("" if f.required else " (optioneel)")
    help_text = escape_md(f.help) or None
    k = f"{key}-{f.name}"
    if current is None and f.default is not None:
        current = f.default
    if f.kind == "text" or f.kind in ("quarter", "period"):
        return st.text_input(label, value="" if current is None else str(current), key=k,
                             max_chars=f.max_len, help=help_text)
    if f.kind == "codes":  # free codes, comma separated (parse_value splits them)
        return st.text_input(label, value=", ".join(current or []), key=k, help=help_text)
    if f.kind == "longtext":
        return st.text_area(label, value=current or "", key=k, height=90, help=help_text)
    if f.kind in ("int", "float"):  # text, read by the one Dutch parser (i18n.parse_number)
        return st.text_input(label, value=number_text(current), key=k,
                             help=help_text or NUMBER_HELP, placeholder="bv. 1.234,5"
                             if f.kind == "float" else "bv. 1.500")
    if f.kind in ("date", "month"):
        return st.date_input(label, value=current, format="DD-MM-YYYY", key=k,
                             min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
                             help=help_text)
    if f.kind == "bool":
        return st.checkbox(label, value=bool(current), key=k, help=help_text)
    if f.kind in ("list", "refs"):
        options = list(f.choices) if f.kind == "list" else list(refs.get(f.name, []))
        chosen = list(current or [])
        options += [c for c in chosen if c not in options]
        shown = refs.get(f.name, {}) if f.kind == "refs" else {}
        return st.multiselect(label, options=options, default=chosen, key=k, help=help_text,
                              placeholder="Kies…",
                              format_func=lambda v: shown.get(v, str(v)))
    options: list[Any] = list(refs.get(f.name, [])) if f.kind == "ref" else list(f.choices)
    if current is not None and current not in options:
        options.append(current)
    if not f.required:
        options = [None, *options]
    index = options.index(current) if current in options else None
    names = refs.get(f.name, {}) if f.kind == "ref" else {}
    return st.selectbox(label, options=options, index=index, key=k, help=help_text,
                        format_func=lambda v: NONE_LABEL if v is None else names.get(v, str(v)),
                        placeholder="Kies…")


def record_form(ds: Dataset, refs: dict[str, dict[str, str]], current: dict[str, Any] | None,
                key: str, submit_label: str) -> dict[str, Any] | None:
    """A form with one widget per field; returns the raw values when submitted."""
    current = current or {}
    with st.form(key, border=True, enter_to_submit=False):
        short = [f for f in ds.fields if f.kind != "longtext"]
        long = [f for f in ds.fields if f.kind == "longtext"]
        columns = st.columns(3)
        values: dict[str, Any] = {}
        for i, f in enumerate(short):
            with columns[i % 3]:
                values[f.name] = _widget(f, current.get(f.name), refs, key)
        for f in long:
            values[f.name] = _widget(f, current.get(f.name), refs, key)
        if ds.description:
            st.caption(escape_md(ds.description))
        submitted = st.form_submit_button(submit_label, type="primary", icon=":material/save:")
    return values if submitted else None


def clear_form(key: str) -> None:
    """Forget the widget values of a form (after a successful save or a reload)."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{key}-")]:
        del st.session_state[k]


def show_problems(result: WriteResult) -> None:
    lines = "\n".join(f"- **{escape_md(p.label) or 'Rij'}**: {escape_md(p.message)}"
                      for p in result.problems)
    st.error(f"Niet opgeslagen. Controleer:\n\n{lines}" if lines else escape_md(result.message),
             icon=":material/error:")


def show_conflict(ds: Dataset, result: WriteResult, on_reload: Callable[[], None],
                  key: str) -> None:
    """Both values side by side, and a button to load the stored version."""
    st.error(escape_md(result.message), icon=":material/sync_problem:")
    yours, stored = result.yours or {}, result.stored or {}
    names = [f for f in ds.fields if f.name in yours or f.name in stored]
    extra = [n for n in (*yours, *stored) if n not in {f.name for f in ds.fields}]
    rows = [{"Veld": f.label, "Jouw waarde": display(yours.get(f.name)),
             "Opgeslagen waarde": display(stored.get(f.name)),
             "Verschilt": "ja" if yours.get(f.name) != stored.get(f.name) else ""}
            for f in names]
    rows += [{"Veld": n.replace("_", " "), "Jouw waarde": display(yours.get(n)),
              "Opgeslagen waarde": display(stored.get(n)),
              "Verschilt": "ja" if yours.get(n) != stored.get(n) else ""}
             for n in dict.fromkeys(extra)]
    if rows:
        rows.sort(key=lambda r: r["Verschilt"] != "ja")  # the differences first
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not stored:
        st.caption("De rij bestaat niet meer: iemand heeft hem verwijderd.")
    st.button("Opnieuw laden", key=f"{key}-reload", icon=":material/refresh:",
              on_click=on_reload, type="primary")


def take_upload(upload: Any) -> bytes:
    """The bytes of an ``st.file_uploader`` file, after which Streamlit's server-side copy
    is dropped: a session keeps no uploaded file beyond the run that reads it (the page
    then shows a fresh uploader under a new key)."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    data = upload.getvalue()
    ctx = get_script_run_ctx()
    if ctx is not None and isinstance(ctx.uploaded_file_mgr, MemoryUploadedFileManager):
        ctx.uploaded_file_mgr.remove_file(session_id=ctx.session_id, file_id=upload.file_id)
    return data


# ---------------------------------------------------------------- Gegevens beheren


def row_editor(engine: Engine, actor: str, role: Role, ds: Dataset, row_id: int, label: str,
               refs: dict[str, dict[str, str]]) -> None:
    """Edit, publish or delete one row with optimistic locking: the form saves with the
    version this user first saw; a save over someone else's newer edit shows both values
    and a reload button; a delete asks for confirmation first."""
    seen_key, conflict_key = f"seen:{ds.name}:{row_id}", f"conflict:{ds.name}:{row_id}"
    current = writes.get_row(engine, role, ds.name, row_id)
    if seen_key not in st.session_state and current is not None:
        st.session_state[seen_key] = current["version"]
    seen = st.session_state.get(seen_key)
    form_key = f"edit-{ds.name}-{row_id}-{seen}"

    def reload() -> None:
        st.session_state.pop(seen_key, None)
        st.session_state.pop(conflict_key, None)
        st.session_state.pop(f"confirm:{ds.name}:{row_id}", None)
        clear_form(form_key)

    def settle(result: writes.WriteResult) -> None:
        """Saved: remember the new version; conflict: show both values; else the problems."""
        if result.ok:
            st.session_state[seen_key] = result.version
            st.session_state["beheer_flash"] = result.message
            st.rerun()
        elif result.status == writes.CONFLICT:
            st.session_state[conflict_key] = result
            st.rerun()
        else:
            show_problems(result)

    if conflict_key in st.session_state:
        show_conflict(ds, st.session_state[conflict_key], reload, form_key)
    elif current is None:
        st.warning("Deze rij bestaat niet meer.")
    else:
        submitted = record_form(ds, refs, current, form_key, "Opslaan")
        if submitted is not None:
            settle(writes.update(engine, actor, role, ds.name, row_id, seen, submitted))

        if ds.name == "decision":
            with st.container(border=True):
                st.markdown("**Openbare samenvatting** · wordt na publiceren een geleerde les")
                summary = st.text_area("Openbare samenvatting", value=current["public_summary"],
                                       key=f"{form_key}-summary", label_visibility="collapsed",
                                       help=LESSON_HELP)
                st.caption("Gepubliceerd." if current["published"] else "Niet gepubliceerd.")
                confirmed = no_names_check(summary, f"{form_key}-no-names")
                publish, withdraw = st.columns(2)
                action = None
                if publish.button("Publiceren", key=f"{form_key}-publish",
                                  icon=":material/public:",
                                  disabled=not (confirmed and summary.strip())):
                    action = True
                if current["published"] and withdraw.button(
                        "Publicatie intrekken", key=f"{form_key}-withdraw",
                        icon=":material/public_off:"):
                    action = False
                if action is not None:
                    settle(writes.publish_decision(engine, actor, role, row_id, seen,
                                                   summary, publish=action))

        confirm_key = f"confirm:{ds.name}:{row_id}"
        if not st.session_state.get(confirm_key):
            if st.button("Verwijderen…", key=f"{form_key}-delete", icon=":material/delete:"):
                st.session_state[confirm_key] = True
                st.rerun()
        else:
            st.warning(f"Weet je zeker dat je **{escape_md(label)}** wilt "
                       "verwijderen? "
                       + ("De rij verdwijnt uit het dashboard; de gegevens blijven in het "
                          "auditlog bewaard." if ds.soft_delete else
                          "De cijfers verdwijnen; de oude waarden blijven in het auditlog."),
                       icon=":material/warning:")
            yes, no = st.columns(2)
            if yes.button("Ja, verwijderen", key=f"{form_key}-delete-yes", type="primary"):
                st.session_state.pop(confirm_key, None)
                result = writes.delete(engine, actor, role, ds.name, row_id, seen)
                if result.ok:
                    st.session_state["beheer_flash"] = result.message
                    st.rerun()
                if result.status != writes.CONFLICT:  # refused: master data with figures
                    show_problems(result)
                else:
                    st.session_state[conflict_key] = result
                    st.rerun()
            if no.button("Annuleren", key=f"{form_key}-delete-no"):
                st.session_state.pop(confirm_key, None)
                st.rerun()


def new_row_form(engine: Engine, actor: str, role: Role, ds: Dataset,
                 refs: dict[str, dict[str, str]]) -> None:
    """The empty form of a dataset; a valid row is created and the form cleared."""
    new_key = f"new-{ds.name}"
    submitted = record_form(ds, refs, None, new_key, "Toevoegen")
    if submitted is not None:
        result = writes.create(engine, actor, role, ds.name, submitted)
        if result.ok:
            clear_form(new_key)
            st.session_state["beheer_flash"] = f"Toegevoegd: {ds.describe(submitted)}."
            st.rerun()
        show_problems(result)


def no_names_check(summary: str, key: str) -> bool:
    """The "geen namen" check before a lesson goes public (Vergadermodus and Gegevens
    beheren): what in ``summary`` looks personal (``privacy.personal_data_hints``) as a
    warning, and the team's confirmation; True once confirmed."""
    known = [*load("programmes")["name"], *load("areas")[["name", "municipality_name"]].stack()]
    if hints := privacy.personal_data_hints(summary, known):
        st.warning("Kijk dit na voor je publiceert; het lijkt persoonlijk: "
                   + "; ".join(escape_md(h) for h in hints) + ".", icon=":material/person_off:")
    return st.checkbox("Gecontroleerd: geen namen of andere gegevens die een persoon "
                       "herkenbaar maken", key=key)
