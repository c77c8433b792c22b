"""Paper: a print layout for the pages people take to a meeting (Overzicht, Wijkprofiel,
Besluiten). A constant style sheet (static/print.css, no data in it) hides the sidebar and
every control when printing and numbers the A4 pages; ``print_header`` puts the source and
peildatum on the page itself, so they are on paper too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard.domain.i18n import fmt_date
from dashboard.ui import escape_md

PRINT_CSS = Path(__file__).resolve().parent / "static" / "print.css"
ALL_SOURCES = "Bronnen: CBS, RIVM, Vektis en de registraties van de programma's"


def print_header(source: str, as_of: dt.date) -> None:
    """The print style sheet, and a caption with the page's source and peildatum (Dutch)."""
    st.html(PRINT_CSS)  # style only: goes to the page's event container, takes no space
    st.caption(f"{escape_md(source)} · peildatum {fmt_date(as_of)} · afdrukken of als pdf "
               "bewaren: Ctrl+P (de zijbalk en knoppen vallen weg)")
