"""File exports of tables and charts: CSV and Excel as Dutch users open them, charts as
PNG and SVG rendered on the server with vl-convert (Dutch number and date locale kept,
because ``charts.dutch`` puts the locale in the chart spec). No Streamlit here."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from dashboard.domain.spreadsheet import neutralise

PNG_SCALE = 2  # sharp enough for slides and reports

# OWASP CSV injection: a cell starting with one of these is a formula (or starts one) in
# Excel, LibreOffice and Google Sheets. Such text gets a leading apostrophe, so it is shown
# as typed and never evaluated (an =HYPERLINK typed as a user name at sign-in would
# otherwise be live in the beheerder's audit log export).
def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table every download writes: headers and text cells neutralised, list cells
    (e.g. domains) as comma-separated text, numbers and dates untouched."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.map(lambda v: isinstance(v, list)).any():
            values = values.map(lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v)
        if values.map(lambda v: isinstance(v, str)).any():
            out[column] = values.map(neutralise).astype(object)
        else:
            out[column] = values
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it: semicolons, decimal commas, UTF-8 with BOM, CRLF line
    ends (so a carriage return inside a value is quoted, not a new row); text that would
    be a formula is neutralised (``safe_frame``)."""
    return safe_frame(frame).to_csv(index=False, sep=";", decimal=",",
                                    lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Gegevens") -> bytes:
    """An Excel workbook of ``frame``: every text cell is stored as text, never as a
    formula (``safe_frame``), and time zones are dropped (Excel cannot store them)."""
    out = safe_frame(frame)
    for column in out.columns:
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
