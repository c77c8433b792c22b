"""Paper: a print layout for the pages people take to a meeting (Overzicht, Wijkprofiel,
Besluiten). A constant style sheet (static/print.css, no data in it) hides the sidebar and
every control when printing and numbers the A4 pages; ``print_header`` puts the source and
peildatum on the page itself, so they are on paper too."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.ui import escape_md

PRINT_CSS = Path(__file__).resolve().parent / "static" / "print.css"


def print_header(source: str, as_of: str) -> None:
    """The print style sheet, and a caption with the page's source and peildatum (Dutch)."""
    st.html(PRINT_CSS)  # style only: goes to the page's event container, takes no space
    st.caption(f"{escape_md(source)} · peildatum {escape_md(as_of)} · afdrukken of als pdf "
               "bewaren: Ctrl+P (de zijbalk en knoppen vallen weg)")
