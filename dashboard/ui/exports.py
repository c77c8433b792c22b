"""File exports of tables and charts: CSV and Excel as Dutch users open them, charts as
PNG and SVG rendered on the server with vl-convert (Dutch number and date locale kept,
because ``charts.dutch`` puts the locale in the chart spec). No Streamlit here."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

PNG_SCALE = 2  # sharp enough for slides and reports


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it: semicolons, decimal commas, UTF-8 with BOM; list cells
    (e.g. domains) become comma-separated text."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list)).any():
            out[col] = out[col].map(lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v)
    return out.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Gegevens") -> bytes:
    out = frame.copy()
    for column in out.columns:  # Excel cannot store time zones
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def _spec(chart: Any) -> dict[str, Any]:
    """A Vega-Lite spec dict, from a dict or an altair chart."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def chart_svg(chart: Any) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart)).encode("utf-8")


def chart_png(chart: Any) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(_spec(chart), scale=PNG_SCALE))
