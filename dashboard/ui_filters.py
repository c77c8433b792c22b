"""Page filters that live in the URL (``st.query_params``), so a filtered view can be shared.

A value from the URL is used only when it is one of the options (``learning.choose``);
anything else is ignored with a short Dutch notice naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.learning import choose

ALL = "Alle"


def url_select(label: str, param: str, options: Sequence[str], *,
               format_func: Callable[[str], str] = str) -> str | None:
    """A selectbox whose value starts from ``?param=`` and is written back to the URL."""
    raw = st.query_params.get(param)
    start = choose(raw, options)
    if raw is not None and start is None:
        st.caption(f"Onbekende waarde '{raw}' voor '{param}' in de link; genegeerd.")
    choice = st.selectbox(label, [ALL, *options],
                          index=0 if start is None else list(options).index(start) + 1,
                          format_func=lambda v: v if v == ALL else format_func(v),
                          key=f"url_{param}")
    value = None if choice == ALL else choice
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value
    return value
