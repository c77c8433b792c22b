"""The monitoring pages' chart builders (dashboard/ui/charts.py, "monitoring pages"): one
palette, Dutch titles and screen-reader descriptions; and pages that only compose them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.domain import funnel, monitoring, spc
from dashboard.ui import charts

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overzicht", "projecten", "welzijnscoaches", "kernteams", "financien"]
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b")
PALETTE = {c.upper() for c in (charts.SIGNAL_COLOUR, charts.POINT_COLOUR, charts.LIMIT_COLOUR,
                               charts.INK_COLOUR, charts.INTERVENTION_COLOUR,
                               charts.MUTED_COLOUR, *charts.CATEGORY_COLOURS)}


def spec(chart) -> dict:
    return charts.dutch(chart).to_dict()  # validates against the Vega-Lite schema


def colours(chart) -> set[str]:
    """Every hex colour in the chart's spec."""
    return {c.upper() for c in HEX.findall(json.dumps(spec(chart)))}


@pytest.mark.parametrize("page", PAGES)
def test_monitoring_pages_construct_no_chart_and_type_no_colour(page):
    """Issue 11: pages are storyboards; charts come from builders with one palette."""
    source = (ROOT / "pages" / f"{page}.py").read_text()
    assert "altair" not in source and "alt." not in source
    assert not HEX.findall(source)
    assert len(source.splitlines()) <= 70


def test_the_monitoring_ui_module_types_no_colour_either():
    assert not HEX.findall((ROOT / "dashboard" / "ui" / "monitoring.py").read_text())


def test_status_bars_stack_programmes_in_status_order():
    projects = pd.DataFrame({"programme": ["A", "A", "B"], "status": ["idee", "uitvoering", "idee"],
                             "projects": [1, 3, 2]})
    chart = charts.status_bars(projects, monitoring.STATUS_ORDER)
    d = spec(chart)
    assert d["encoding"]["y"]["sort"] == list(monitoring.STATUS_ORDER)
    assert d["encoding"]["color"]["scale"]["range"] == list(charts.CATEGORY_COLOURS)
    assert colours(chart) <= PALETTE and "description" in d


def test_project_timeline_marks_overdue_milestones_and_today():
    projects = pd.DataFrame({
        "code": ["P1", "P2"], "name": ["Een", "Twee"], "programme": ["A", "A"],
        "status": ["uitvoering", "idee"], "health": ["op koers", "risico"],
        "started_on": [dt.date(2025, 1, 1), dt.date(2026, 1, 1)], "ends_on": [None, None]})
    as_of = dt.date(2026, 6, 1)
    gantt = monitoring.gantt_frame(projects, as_of)
    ms = monitoring.milestone_status(pd.DataFrame({
        "project_code": ["P1", "P2"], "title": ["x", "y"],
        "due_on": [dt.date(2026, 3, 1), dt.date(2026, 9, 1)], "done_on": [None, None]}), as_of)
    marks = monitoring.timeline_marks(ms, gantt)
    chart = charts.project_timeline(gantt, marks, monitoring.STATUS_ORDER,
                                    monitoring.MILESTONE_STATES, as_of, "1 jun 2026")
    d = spec(chart)
    assert d["title"] == "Planning en mijlpalen (vandaag: 1 jun 2026)"
    assert "2 projecten met 2 mijlpalen, waarvan 1 over tijd" in d["description"]
    bars = d["layer"][0]["encoding"]["color"]["scale"]
    assert bars["domain"] == list(monitoring.STATUS_ORDER) and len(bars["range"]) == 5
    assert colours(chart) <= PALETTE


def test_funnel_chart_draws_both_limits_the_target_and_flags_outliers():
    result = funnel.funnel([5, 40, 30, 28, 2], [400, 500, 450, 420, 380], kind="u",
                           multiplier=1000)
    units = pd.concat([pd.DataFrame({"team": list("ABCDE"), "area": "X"}), result.units], axis=1)
    chart = charts.funnel_chart(units, result.curve, title="Opnames per team",
                                y_title="Opnames per 1.000", value_title="per 1.000")
    d = spec(chart)
    lines = [layer["encoding"]["y"]["field"] for layer in d["layer"][:5]]
    assert lines == ["lower998", "upper998", "lower95", "upper95", "target"]
    points = d["layer"][5]["encoding"]
    assert points["color"]["scale"]["range"] == [charts.POINT_COLOUR, charts.SIGNAL_COLOUR,
                                                 charts.SIGNAL_COLOUR]
    outside = int((units["position"] != "binnen").sum())
    assert f"5 kernteams; {outside} teams buiten de buitenste grenzen" in d["description"]
    assert colours(chart) <= PALETTE


def test_budget_and_spending_charts_use_the_palette_and_euro_axes():
    budgets = pd.DataFrame({"year": [2025, 2025, 2026], "financier": ["VGZ", "gemeente", "VGZ"],
                            "law": ["Zvw", "Wmo", "Zvw"], "amount_eur": [10.0, 30.0, 20.0]})
    data = monitoring.budget_by(budgets, "financier")
    bars = charts.budget_bars(data, "financier", "Financier", "Budget per financier")
    mix = charts.budget_mix(data)
    spent = charts.spending_bars(pd.DataFrame({"area": ["X", "Y"], "amount_eur": [5.0, 9.0]}),
                                 "area", "Gebied")
    assert spec(bars)["encoding"]["y"]["axis"]["format"] == charts.EURO_FORMAT
    assert spec(bars)["title"] == "Budget per financier per jaar"
    assert spec(mix)["encoding"]["y"]["stack"] == "normalize"
    assert spec(spent)["mark"]["color"] == charts.POINT_COLOUR
    for chart in (bars, mix, spent):
        assert colours(chart) <= PALETTE and spec(chart)["description"]


def test_spc_chart_subtitle_carries_the_written_verdict_and_gaps_stay_gaps():
    analysis = spc.analyse([5, 6, None, 7, 6, 5, 6, 7, 6, 5, 6])
    x = [dt.date(2026, 1, 1) + dt.timedelta(days=31 * i) for i in range(11)]
    chart = charts.spc_chart(analysis, x, [str(d) for d in x], title="T", y_title="Y",
                             verdict="Geen aantoonbare verandering")
    d = spec(chart)
    assert d["title"]["subtitle"] == "Runchart · Geen aantoonbare verandering"
    assert charts.spc_frame(analysis, x, [str(d) for d in x])["value"].isna().tolist()[2]
    assert colours(chart) <= PALETTE
