"""Streamlit widgets shared by the monitoring pages: filters kept in the URL and a chart
with its table view and CSV download. Values read from the URL are validated by the pure
functions of ``dashboard.domain.monitoring``; unknown values are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.domain import monitoring

ALL = ""  # the "no filter" choice of a select box


def _write_url(param: str, value: str | list[str] | None) -> None:
    if value in (None, ALL, []):
        if param in st.query_params:
            del st.query_params[param]
    else:
        st.query_params[param] = value  # type: ignore[assignment]


def url_select(label: str, options: Mapping[str, str], *, param: str, key: str,
               default: str = ALL, container: Any = None, help: str | None = None) -> str:
    """A select box whose value (a key of ``options``; the names are display only) comes
    from (and goes back to) URL parameter ``param``. A value in the link that is not one
    of the keys (an old link with a name, say) is ignored, with a notice."""
    raw = st.query_params.get(param)
    if raw is not None and monitoring.clean_choice(raw, options) is None:
        (container or st).caption(ui.unknown_url_value(raw, param))
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = monitoring.clean_choice(st.query_params.get(param),
                                                        options) or default
    value = (container or st).selectbox(label, list(options), format_func=options.get, key=key,
                                        help=help)
    _write_url(param, None if value == default else value)
    return str(value)


def url_multiselect(label: str, options: Mapping[str, str], *, param: str, key: str,
                    placeholder: str, container: Any = None) -> list[str]:
    """A multiselect whose values come from (and go back to) repeated URL parameter ``param``.
    Values in the link that are not among the keys are ignored, each with a notice."""
    if key not in st.session_state:
        raw = st.query_params.get_all(param)
        for value in dict.fromkeys(raw):
            if monitoring.clean_choice(value, options) is None:
                (container or st).caption(ui.unknown_url_value(value, param))
        st.session_state[key] = monitoring.clean_choices(raw, options)
    else:
        st.session_state[key] = monitoring.clean_choices(st.session_state[key], options)
    values = (container or st).multiselect(label, list(options), format_func=options.get,
                                           key=key, placeholder=placeholder)
    _write_url(param, list(values))
    return list(values)


def programme_area_filters(prefix: str) -> monitoring.Filters:
    """Programme and area filters in the main area, kept in the URL (programma, gebied)."""
    areas = ui.load("area_choices")
    programmes = {ALL: "Alle programma's"}
    for key, name in areas.drop_duplicates("programme")[["programme_key", "programme"]].itertuples(
            index=False):
        programmes[key] = name
    left, right = st.columns([1, 2])
    programme = url_select("Programma", programmes, param="programma", key=f"{prefix}_programma",
                           container=left)
    shown = areas if programme == ALL else areas[areas["programme_key"] == programme]
    area_options = dict(zip(shown["key"], shown["name"], strict=True))
    chosen = url_multiselect("Gebied", area_options, param="gebied", key=f"{prefix}_gebied",
                             placeholder="Alle gebieden", container=right)
    return monitoring.Filters(programme or None, tuple(chosen))


def chart_with_table(chart: ui.VegaSpec | alt.TopLevelMixin | None, data: pd.DataFrame, *,
                     columns: Mapping[str, str], name: str,
                     column_config: Mapping[str, Any] | None = None) -> None:
    """A chart and, in a second tab, its table with a CSV download of the same rows."""
    if data.empty:
        ui.empty_state("Geen gegevens voor deze selectie.")
        return
    shown = data[list(columns)].rename(columns=dict(columns))
    data = data.copy()
    for col in columns:  # one decimal on screen (the CSV keeps full precision)
        if pd.api.types.is_float_dtype(data[col]):
            data[col] = data[col].round(1)
    if chart is None:  # a table on its own
        table_tab = st.container()
    else:
        chart_tab, table_tab = st.tabs(["Grafiek", "Tabel"])
        with chart_tab:
            ui.chart(chart, name)  # with PNG and SVG downloads
    with table_tab:  # CSV and Excel downloads keep full precision
        ui.table(data, columns=dict(columns), column_config=dict(column_config or {}),
                 download=None)
        ui.downloads(shown, name)


DATE = st.column_config.DateColumn(format="D MMM YYYY")
MONTH = st.column_config.DateColumn(format="MMM YYYY")
EURO = st.column_config.NumberColumn(format="localized")  # header says (€)
ONE_DECIMAL = st.column_config.NumberColumn(format="localized")  # 1.234,5 in a Dutch browser
