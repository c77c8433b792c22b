"""Exports: tables as CSV/Excel that Dutch Excel reads, charts as PNG/SVG via vl-convert."""

from __future__ import annotations

import csv
import io

import altair as alt
import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard.domain.roles import Role
from dashboard.ui import exports
from tests.helpers.apptest import sign_in


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


def test_overzicht_offers_table_and_chart_downloads(app):
    at = app(Role.BESTUURDER)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("PNG") == 2 and labels.count("SVG") == 2
    assert labels.count("CSV") >= 2 and labels.count("Excel") >= 2


HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = [HYPERLINK, "+31 43 123", "-1+2", "@SUM(A1:A2)", "\tTab", "\rCR"]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def formula_cells(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_text_that_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe():
    frame = pd.DataFrame({"=kop": FORMULAS + ["gewoon", "e-mail: a@b.nl"],
                          "Aantal": [-5, 3.5, 0, -1, 2, 7, -12, 4],
                          "Domeinen": [["=Wmo", "Zvw"]] + [[]] * 7})
    rows = csv_rows(exports.to_csv(frame))
    assert rows[0] == ["'=kop", "Aantal", "Domeinen"]
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS] + ["gewoon", "e-mail: a@b.nl"]
    assert [r[1] for r in rows[1:3]] == ["-5,0", "3,5"]  # numbers stay numbers
    assert rows[1][2] == "'=Wmo, Zvw"
    book = exports.to_xlsx(frame)
    assert formula_cells(book) == []
    sheet = load_workbook(io.BytesIO(book)).active
    expected = ["'=kop"] + ["'" + f for f in FORMULAS] + ["gewoon", "e-mail: a@b.nl"]
    # XML stores a carriage return as a line feed
    assert [c.value for c in sheet["A"]] == [e.replace("\r", "\n") for e in expected]
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The files behind the page's download buttons (generated when clicked), by name."""
    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add)
    return made


def test_a_formula_typed_as_user_name_is_not_live_in_the_audit_log_export(app, downloads):
    visitor = app()
    sign_in(visitor, HYPERLINK, "fout")  # audited under the name as typed
    at = app(Role.BEHEERDER)
    at.switch_page("pages/auditlog.py").run()
    downloads.clear()
    at.selectbox(key="audit_actor").select(HYPERLINK).run()
    assert not at.exception
    [csv_name] = [n for n in downloads if n.startswith("auditlog_") and n.endswith(".csv")]
    rows = csv_rows(downloads[csv_name]())
    assert len(rows) == 2 and rows[1][1] == "'" + HYPERLINK
    assert not any(field[:1] in "=+-@\t\r" for row in rows for field in row if field)
    book = downloads[csv_name.removesuffix(".csv") + ".xlsx"]()
    assert formula_cells(book) == []
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet["B2"].value == "'" + HYPERLINK
