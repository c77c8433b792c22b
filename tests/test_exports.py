"""Exports: tables as CSV/Excel that Dutch Excel reads, charts as PNG/SVG via vl-convert."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
from openpyxl import load_workbook

from dashboard.ui import exports
from dashboard.domain.roles import Role
from tests.test_app import app, app_db_url  # noqa: F401 - fixtures


def sample() -> pd.DataFrame:
    return pd.DataFrame({"Gebied": ["Daalhof", "Limmel"], "Inwoners": [6100.5, 2200.0],
                         "Tijdstip": pd.to_datetime(["2026-11-23 10:00", "2026-11-22 09:00"],
                                                    utc=True)})


def test_csv_uses_semicolons_and_decimal_commas():
    text = exports.to_csv(sample()).decode("utf-8-sig")
    assert text.splitlines()[0] == "Gebied;Inwoners;Tijdstip"
    assert text.splitlines()[1].startswith("Daalhof;6100,5;2026-11-23 10:00:00")


def test_excel_holds_the_values_even_with_time_zones():
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(sample()))).active
    assert [c.value for c in sheet[1]] == ["Gebied", "Inwoners", "Tijdstip"]
    assert sheet["B2"].value == 6100.5 and sheet["C2"].value.hour == 10


def test_charts_render_to_png_and_svg_in_dutch_locale():
    from dashboard.ui.charts import dutch

    chart = dutch(alt.Chart(pd.DataFrame({"x": [1, 2], "y": [1500.5, 2500.0]}))
                  .mark_bar().encode(x="x:O", y=alt.Y("y:Q", axis=alt.Axis(format=",.1f"))))
    assert exports.chart_png(chart).startswith(b"\x89PNG")
    svg = exports.chart_svg(chart).decode()
    assert svg.startswith("<svg") and "2.500,0" in svg


def test_overzicht_offers_table_and_chart_downloads(app):  # noqa: F811
    at = app(Role.BESTUURDER)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("PNG") == 2 and labels.count("SVG") == 2
    assert labels.count("CSV") >= 2 and labels.count("Excel") >= 2
