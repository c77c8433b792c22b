"""Reusable altair charts (no Streamlit): the run/control chart used across pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from dashboard.spc import SeriesAnalysis

SIGNAL_COLOUR = "#D55E00"  # Okabe-Ito vermilion: visible for colour-blind readers
POINT_COLOUR = "#0072B2"
LIMIT_COLOUR = "#7F8C9A"
CHART_NAMES = {"run": "Runchart", "i": "I-kaart", "p": "P-kaart", "u": "U-kaart"}


def spc_frame(analysis: SeriesAnalysis, x: Sequence[Any], labels: Sequence[str]) -> pd.DataFrame:
    """The analysis as a table: one row per point with its x value and label."""
    df = analysis.to_frame()
    df.insert(0, "x", pd.to_datetime(list(x)))  # datetime.date objects do not serialise
    df.insert(1, "label", list(labels))
    df["status"] = df["signal"].map({True: "signaal", False: "geen signaal"})
    return df


def spc_chart(
    analysis: SeriesAnalysis,
    x: Sequence[Any],
    labels: Sequence[str],
    *,
    title: str,
    y_title: str,
    x_title: str = "Periode",
    interventions: Sequence[tuple[Any, str]] = (),
    value_format: str = ",.1f",
    height: int = 260,
) -> alt.LayerChart:
    """A run or control chart: points and line, centre line per phase, ±3σ limits, signal
    points highlighted, intervention dates annotated. ``x`` are dates, ``labels`` their
    Dutch period labels (tooltips). Carries an ``alt`` description for screen readers."""
    df = spc_frame(analysis, x, labels)
    base = alt.Chart(df).encode(x=alt.X("x:T", title=x_title, axis=alt.Axis(format="%b %Y")))
    tooltip = [alt.Tooltip("label:N", title="Periode"),
               alt.Tooltip("value:Q", title=y_title, format=value_format),
               alt.Tooltip("centre:Q", title="Middenlijn", format=value_format),
               alt.Tooltip("status:N", title="Beoordeling")]
    line = base.mark_line(color=POINT_COLOUR, strokeWidth=1.5).encode(
        # A y title longer than the plot is high collapses the plot in Streamlit: limit it.
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(titleLimit=height - 10)),
        detail="phase:N")
    points = base.mark_point(filled=True, size=70).encode(
        y="value:Q",
        color=alt.Color("status:N", title="Punt",
                        scale=alt.Scale(domain=["geen signaal", "signaal"],
                                        range=[POINT_COLOUR, SIGNAL_COLOUR])),
        shape=alt.Shape("status:N", title="Punt",
                        scale=alt.Scale(domain=["geen signaal", "signaal"],
                                        range=["circle", "diamond"])),
        tooltip=tooltip,
    )
    centre = base.mark_line(color="#1C2733", strokeDash=[1, 0], interpolate="step-after").encode(
        y="centre:Q", detail="phase:N")
    layers: list[alt.Chart] = [line, centre]
    if analysis.chart != "run":
        for col in ("lower", "upper"):
            layers.append(base.mark_line(color=LIMIT_COLOUR, strokeDash=[5, 4]).encode(
                y=f"{col}:Q", detail="phase:N"))
    layers.append(points)
    if interventions:
        marks = pd.DataFrame({"x": pd.to_datetime([d for d, _ in interventions]),
                              "text": [t for _, t in interventions]})
        rule = alt.Chart(marks).mark_rule(color="#6A3D9A", strokeDash=[2, 2]).encode(x="x:T")
        text = alt.Chart(marks).mark_text(align="left", dx=4, dy=-4, color="#6A3D9A",
                                          baseline="bottom").encode(
            x="x:T", y=alt.value(12), text="text:N")
        layers += [rule, text]
    verdict = analysis.verdict
    description = (f"{CHART_NAMES[analysis.chart]} van {y_title} over {analysis.n} perioden; "
                   f"beoordeling laatste fase: {verdict}; "
                   f"{sum(analysis.signal_points)} punten gemarkeerd als signaal.")
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=f"{CHART_NAMES[analysis.chart]} · {verdict}"),
        height=height, description=description,
    )
