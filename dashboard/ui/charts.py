"""Reusable altair charts (no Streamlit): the run/control chart used across pages and the
Wijkprofiel and Welzijnscoaches charts. Pages show them through ``ui.chart_spec``, which
caches the built spec."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from dashboard.domain.i18n import VEGA_FORMAT_LOCALE, VEGA_TIME_LOCALE
from dashboard.domain.spc import SeriesAnalysis

SIGNAL_COLOUR = "#D55E00"  # Okabe-Ito vermilion: visible for colour-blind readers
POINT_COLOUR = "#0072B2"
LIMIT_COLOUR = "#7F8C9A"
AREA_COLOUR = "#1f77b4"  # the area's own line in Wijkprofiel trends
INK_COLOUR = "#1C2733"  # centre lines, norms, today and other reference marks
INTERVENTION_COLOUR = "#6A3D9A"  # intervention dates in run/control charts
MUTED_COLOUR = "#BBBBBB"  # what has not started (yet): ideas
# Okabe-Ito colours, colour-blind safe, for categories (programmes, financiers, laws, statuses)
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
CHART_NAMES = {"run": "Runchart", "i": "I-kaart", "p": "P-kaart", "u": "U-kaart", "p'": "P′-kaart",
               "u'": "U′-kaart"}


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Dutch number and date formats for an altair chart (1.234,5; 23 nov 2026)."""
    return chart.configure(
        locale=alt.Locale(number=alt.NumberLocale(**VEGA_FORMAT_LOCALE),
                          time=alt.TimeLocale(**VEGA_TIME_LOCALE)),
        font="Source Sans Pro, sans-serif",
    ).configure_view(stroke=None)


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
    verdict: str | None = None,
) -> alt.LayerChart:
    """A run or control chart: points and line, centre line per phase, ±3σ limits, signal
    points highlighted, intervention dates annotated. ``x`` are dates, ``labels`` their
    Dutch period labels (tooltips); a missing value is a gap in the line. ``verdict`` is
    the written verdict for the subtitle (default: the SPC verdict). Carries an ``alt``
    description for screen readers."""
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
    centre = base.mark_line(color=INK_COLOUR, strokeDash=[1, 0], interpolate="step-after").encode(
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
        rule = alt.Chart(marks).mark_rule(color=INTERVENTION_COLOUR, strokeDash=[2, 2]).encode(
            x="x:T")
        text = alt.Chart(marks).mark_text(align="left", dx=4, dy=-4, color=INTERVENTION_COLOUR,
                                          baseline="bottom").encode(
            x="x:T", y=alt.value(12), text="text:N")
        layers += [rule, text]
    verdict = verdict or analysis.verdict
    description = (f"{CHART_NAMES[analysis.chart]} van {y_title} over {analysis.n} perioden; "
                   f"beoordeling laatste fase: {verdict}; "
                   f"{sum(analysis.signal_points)} punten gemarkeerd als signaal.")
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=f"{CHART_NAMES[analysis.chart]} · {verdict}"),
        height=height, description=description,
    )


def trend_chart(series: pd.DataFrame, refs: pd.DataFrame, interventions: pd.DataFrame, *,
                title: str, unit: str, area_name: str,
                band: str = "95%-betrouwbaarheidsband (Wilson)") -> alt.LayerChart:
    """One indicator's trend in an area (``profile.trend_frame`` plus a ``value_text``
    column): its 95% band when there is one (``band`` names it), dashed reference lines (``reference_series``)
    and dotted intervention dates (``label``, ``started_on``)."""
    x = alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y"))
    layers: list[alt.Chart] = []
    has_band = bool(series["lower"].notna().any())
    if has_band:
        layers.append(alt.Chart(series).mark_area(opacity=0.18, color=AREA_COLOUR).encode(
            x=x, y=alt.Y("lower:Q", title=unit), y2="upper:Q"))
    if len(refs):
        layers.append(alt.Chart(refs).mark_line(strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q", title=unit),
            color=alt.Color("reference:N", title="Referentie",
                            scale=alt.Scale(range=["#7f7f7f", "#bcbd22", "#9467bd"])),
            tooltip=[alt.Tooltip("reference:N", title="Referentie"),
                     alt.Tooltip("period:N", title="Periode"),
                     alt.Tooltip("value:Q", title="Waarde", format=",.1f")]))
    layers.append(alt.Chart(series).mark_line(point=True, color=AREA_COLOUR).encode(
        x=x, y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("period:N", title="Periode"),
                 alt.Tooltip("value_text:N", title="Waarde"),
                 alt.Tooltip("numerator:Q", title="Teller", format=",.0f"),
                 alt.Tooltip("denominator:Q", title="Noemer", format=",.0f"),
                 alt.Tooltip("lower:Q", title="95%-interval ondergrens", format=",.1f"),
                 alt.Tooltip("upper:Q", title="95%-interval bovengrens", format=",.1f"),
                 alt.Tooltip("status:N", title="Status")]))
    if len(interventions):
        layers.append(alt.Chart(interventions).mark_rule(strokeDash=[2, 2], color="#d62728")
                      .encode(x="started_on:T",
                              tooltip=[alt.Tooltip("label:N", title="Interventie"),
                                       alt.Tooltip("started_on:T", title="Start",
                                                   format="%d %b %Y")]))
    shown = f" met {band}" if has_band else ""
    return alt.layer(*layers).properties(
        title=title, height=220,
        description=f"Trend van {title} in {area_name}{shown}, met referentielijnen.")


def spider_chart(own: pd.DataFrame, ref: pd.DataFrame, rings: pd.DataFrame,
                 spokes: pd.DataFrame) -> alt.LayerChart:
    """The Positive Health spider (``profile.spider_frame`` rows of the area and of its
    reference, on the ``profile.spider_grid`` rings and spokes)."""
    xs = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-13, 13]))
    ys = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-12, 12]))
    grid = alt.Chart(rings).mark_line(color="#ddd").encode(
        x=xs, y=ys, detail="level:N", order="order:Q")
    names_layer = alt.Chart(spokes).mark_text(fontSize=12, color="#333").encode(
        x=xs, y=ys, text="dimension:N")
    lines = alt.Chart(pd.concat([own, ref])).mark_line(point=True).encode(
        x=xs, y=ys, order="order:Q",
        color=alt.Color("series:N", title="Meting"),
        strokeDash=alt.StrokeDash("who:N", title="Wie",
                                  scale=alt.Scale(domain=["gebied", *ref["who"].unique()],
                                                  range=[[1, 0], [5, 3], [2, 2]])),
        tooltip=[alt.Tooltip("series:N", title="Meting"),
                 alt.Tooltip("dimension:N", title="Dimensie"),
                 alt.Tooltip("score:Q", title="Gemiddelde score (0-10)", format=",.1f"),
                 alt.Tooltip("n:Q", title="Respondenten")])
    return alt.layer(grid, names_layer, lines).properties(
        height=460, title="Positieve Gezondheid: gemiddelde score per dimensie (0-10)",
        description="Spinnenweb van de zes dimensies van Positieve Gezondheid per meting, "
                    "vergeleken met de referentie.")


def capacity_bars(table: pd.DataFrame) -> alt.LayerChart:
    """Capacity used per coach (``coaches.coach_caseload`` plus a ``flag`` column), with
    the 100% norm as a dashed rule; overloaded coaches in the signal colour."""
    bars = alt.Chart(table).mark_bar().encode(
        y=alt.Y("coach:N", title="Coach", sort="-x"),
        x=alt.X("capacity_used_pct:Q", title="Benutte capaciteit (%)"),
        color=alt.Color("flag:N", title="Signaal", scale=alt.Scale(
            domain=["binnen norm", "overbelast"], range=[POINT_COLOUR, SIGNAL_COLOUR])),
        tooltip=[alt.Tooltip("coach:N", title="Coach"), alt.Tooltip("area:N", title="Gebied"),
                 alt.Tooltip("fte:Q", title="Fte", format=",.1f"),
                 alt.Tooltip("active_households:Q", title="Actieve huishoudens"),
                 alt.Tooltip("capacity_used_pct:Q", title="Benut (%)", format=",.0f")])
    rule = alt.Chart().mark_rule(color=INK_COLOUR, strokeDash=[4, 3]).encode(x=alt.datum(100))
    overloaded = int((table["flag"] == "overbelast").sum())
    return alt.layer(bars, rule, data=table).properties(
        height=max(240, 22 * len(table)), title="Benutte capaciteit per coach",
        description=f"Staafdiagram van de benutte capaciteit van {len(table)} coaches; "
                    f"{overloaded} boven de norm.")


def capacity_lines(per_area: pd.DataFrame) -> alt.LayerChart:
    """Capacity used per area and month (``coaches.area_caseload``), 100% = the norm."""
    lines = alt.Chart(per_area).mark_line(point=True).encode(
        x=alt.X("month:T", title="Maand", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("capacity_used_pct:Q", title="Benutte capaciteit (%)"),
        color=alt.Color("area:N", title="Gebied"),
        tooltip=[alt.Tooltip("area:N", title="Gebied"),
                 alt.Tooltip("month:T", title="Maand", format="%b %Y"),
                 alt.Tooltip("capacity_used_pct:Q", title="Benut (%)", format=",.0f"),
                 alt.Tooltip("waiting_list:Q", title="Wachtlijst")])
    rule = alt.Chart().mark_rule(color=INK_COLOUR, strokeDash=[4, 3]).encode(y=alt.datum(100))
    return alt.layer(lines, rule, data=per_area).properties(
        height=300, title="Benutte capaciteit per gebied (100% = norm)",
        description="Lijngrafiek van de benutte capaciteit per gebied per maand.")


def stacked_months(flow: pd.DataFrame, name: str, order: Sequence[str], title: str,
                   y_title: str = "Huishoudens") -> alt.Chart:
    """Stacked bars per month of ``count`` by the category column ``name`` in ``order``."""
    return alt.Chart(flow).mark_bar().encode(
        x=alt.X("month:T", title="Maand", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("count:Q", title=y_title),
        color=alt.Color(f"{name}:N", title=name.capitalize(), sort=list(order)),
        tooltip=[alt.Tooltip("month:T", title="Maand", format="%b %Y"),
                 alt.Tooltip(f"{name}:N", title=name.capitalize()),
                 alt.Tooltip("count:Q", title=y_title)],
    ).properties(height=280, title=title,
                 description=f"Gestapeld staafdiagram: {title.lower()} per maand.")


# ---- monitoring pages
#
# Builders for Overzicht, Projecten, Kernteams and Financiën (Welzijnscoaches uses
# capacity_bars, capacity_lines and stacked_months above; every run/control chart is
# spc_chart). Colours come only from the palette at the top of this module.

EURO_FORMAT = "$,.0f"  # the Dutch locale of ``dutch`` writes € 1.234


def _categories(field: str, title: str, domain: Sequence[str] | None = None) -> alt.Color:
    """A colour per category from the Okabe-Ito palette."""
    scale = alt.Scale(range=list(CATEGORY_COLOURS)) if domain is None else alt.Scale(
        domain=list(domain), range=list(CATEGORY_COLOURS)[:len(domain)])
    return alt.Color(field, title=title, scale=scale)


def status_bars(projects: pd.DataFrame, order: Sequence[str]) -> alt.Chart:
    """Projects per status (``projects_by_status``: programme, status, projects), stacked
    by programme, statuses in ``order``."""
    return alt.Chart(projects, title="Aantal projecten en programmalijnen").mark_bar().encode(
        y=alt.Y("status:N", title=None, sort=list(order)),
        x=alt.X("sum(projects):Q", title="Aantal", axis=alt.Axis(tickMinStep=1)),
        color=_categories("programme:N", "Programma"),
        tooltip=[alt.Tooltip("programme:N", title="Programma"),
                 alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("projects:Q", title="Aantal")],
    ).properties(height=300, description="Staafdiagram van het aantal projecten per status.")


def project_timeline(gantt: pd.DataFrame, marks: pd.DataFrame, statuses: Sequence[str],
                     milestone_states: Sequence[str], today: Any, today_text: str
                     ) -> alt.LayerChart:
    """Gantt chart of projects (``monitoring.gantt_frame``) with their milestones
    (``milestone_status`` joined to the gantt ``label``), overdue ones in the signal colour,
    and today as a dashed rule. ``statuses`` and ``milestone_states`` give the legend order
    (idee … gestopt; behaald, gepland, over tijd)."""
    bars_data = gantt.assign(start=pd.to_datetime(gantt["start"]), end=pd.to_datetime(gantt["end"]))
    marks_data = marks.assign(due_on=pd.to_datetime(marks["due_on"]))
    order = list(gantt.sort_values("start")["label"])
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    status_colours = [MUTED_COLOUR, CATEGORY_COLOURS[4], POINT_COLOUR, CATEGORY_COLOURS[2],
                      LIMIT_COLOUR]
    bars = alt.Chart(bars_data).mark_bar(opacity=0.55, cornerRadius=2).encode(
        y=y, x=alt.X("start:T", title="Planning", axis=alt.Axis(format="%Y", labelAngle=0)),
        x2="end:T",
        color=alt.Color("status:N", title="Status", scale=alt.Scale(
            domain=list(statuses), range=status_colours[:len(statuses)])),
        tooltip=[alt.Tooltip("label:N", title="Project"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("start:T", title="Start", format="%d %b %Y"),
                 alt.Tooltip("end:T", title="Einde", format="%d %b %Y")])
    points = alt.Chart(marks_data).mark_point(filled=True, size=90).encode(
        y=alt.Y("label:N", sort=order), x="due_on:T",
        shape=alt.Shape("state:N", title="Mijlpaal", scale=alt.Scale(
            domain=list(milestone_states), range=["circle", "square", "diamond"])),
        color=alt.value(INK_COLOUR),
        stroke=alt.condition(alt.datum.overdue, alt.value(SIGNAL_COLOUR), alt.value("white")),
        tooltip=[alt.Tooltip("title:N", title="Mijlpaal"), alt.Tooltip("state:N", title="Stand"),
                 alt.Tooltip("due_on:T", title="Gepland", format="%d %b %Y")])
    overdue = alt.Chart(marks_data[marks_data["overdue"]]).mark_point(
        shape="diamond", size=220, filled=True, color=SIGNAL_COLOUR).encode(
        y=alt.Y("label:N", sort=order), x="due_on:T")
    now = alt.Chart(pd.DataFrame({"today": [pd.Timestamp(today)]})).mark_rule(
        color=SIGNAL_COLOUR, strokeDash=[4, 3]).encode(x="today:T")
    return alt.layer(bars, points, overdue, now).properties(
        height=max(260, 36 * len(gantt)), title=f"Planning en mijlpalen (vandaag: {today_text})",
        description=f"Gantt-diagram van {len(gantt)} projecten met {len(marks)} mijlpalen, "
                    f"waarvan {int(marks['overdue'].sum())} over tijd (rood).")


FUNNEL_POSITIONS = ("binnen", "boven", "onder")


def funnel_chart(units: pd.DataFrame, curve: pd.DataFrame, *, title: str, y_title: str,
                 value_title: str, x_title: str = "Kwetsbare ouderen (noemer)") -> alt.LayerChart:
    """Funnel plot (``funnel.Funnel`` units with ``team`` and ``area``, and its curve): the
    pooled value, the 95% limits dotted and the 99.8% limits dashed, units outside the
    99.8% limits in the signal colour and shape."""
    band = alt.Chart(curve).encode(x=alt.X("denominator:Q", title=x_title))
    layers = [band.mark_line(color=LIMIT_COLOUR, strokeDash=[5, 4]).encode(y=f"{c}:Q")
              for c in ("lower998", "upper998")]
    layers += [band.mark_line(color=LIMIT_COLOUR, strokeDash=[2, 2], opacity=0.6)
               .encode(y=f"{c}:Q") for c in ("lower95", "upper95")]
    layers.append(band.mark_line(color=INK_COLOUR).encode(y="target:Q"))
    legend = "Ten opzichte van de grenzen"
    layers.append(alt.Chart(units).mark_point(filled=True, size=80).encode(
        x="denominator:Q", y=alt.Y("value:Q", title=y_title),
        color=alt.Color("position:N", title=legend, scale=alt.Scale(
            domain=list(FUNNEL_POSITIONS), range=[POINT_COLOUR, SIGNAL_COLOUR, SIGNAL_COLOUR])),
        shape=alt.Shape("position:N", title=legend, scale=alt.Scale(
            domain=list(FUNNEL_POSITIONS), range=["circle", "triangle-up", "triangle-down"])),
        tooltip=[alt.Tooltip("team:N", title="Kernteam"), alt.Tooltip("area:N", title="Gebied"),
                 alt.Tooltip("value:Q", title=value_title, format=",.1f"),
                 alt.Tooltip("denominator:Q", title="Kwetsbare ouderen", format=",d")]))
    outside = int((units["position"] != "binnen").sum())
    return alt.layer(*layers).properties(
        title=title, height=320,
        description=f"Trechterdiagram van {title} voor {len(units)} kernteams; "
                    f"{outside} teams buiten de buitenste grenzen.")


def budget_bars(data: pd.DataFrame, by: str, header: str, title: str) -> alt.Chart:
    """Pooled budget per year stacked by ``by`` (``monitoring.budget_by``)."""
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("amount_eur:Q", title="Budget (euro)", axis=alt.Axis(format=EURO_FORMAT)),
        color=_categories(f"{by}:N", header),
        tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip(f"{by}:N", title=header),
                 alt.Tooltip("amount_eur:Q", title="Budget", format=EURO_FORMAT),
                 alt.Tooltip("share_pct:Q", title="Aandeel (%)", format=",.1f")],
    ).properties(height=300, title=f"{title} per jaar",
                 description=f"Gestapeld staafdiagram van het gezamenlijke budget per jaar, "
                             f"verdeeld naar {header.lower()}.")


def budget_mix(mix: pd.DataFrame) -> alt.Chart:
    """Each financier's share of the year's budget (``monitoring.budget_by(…, "financier")``)."""
    return alt.Chart(mix).mark_area().encode(
        x=alt.X("year:O", title="Jaar", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("share_pct:Q", title="Aandeel (%)", stack="normalize", axis=alt.Axis(format="%")),
        color=_categories("financier:N", "Financier"),
        tooltip=[alt.Tooltip("year:O", title="Jaar"), alt.Tooltip("financier:N", title="Financier"),
                 alt.Tooltip("share_pct:Q", title="Aandeel (%)", format=",.1f")],
    ).properties(height=280, title="Aandeel per financier",
                 description="Gestapeld vlakdiagram van het aandeel van elke financier per jaar.")


def spending_bars(data: pd.DataFrame, by: str, header: str) -> alt.Chart:
    """Spending per area or project (``monitoring.spending_by``), largest first."""
    return alt.Chart(data).mark_bar(color=POINT_COLOUR).encode(
        y=alt.Y(f"{by}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
        x=alt.X("amount_eur:Q", title="Uitgaven (euro)", axis=alt.Axis(format=EURO_FORMAT)),
        tooltip=[alt.Tooltip(f"{by}:N", title=header),
                 alt.Tooltip("amount_eur:Q", title="Uitgaven", format=EURO_FORMAT)],
    ).properties(height=max(260, 34 * len(data)), title=f"Uitgaven per {header.lower()}",
                 description=f"Staafdiagram van de uitgaven per {header.lower()}.")


def public_rate_bars(bars: pd.DataFrame, indicator: str, unit: str,
                     hidden: Sequence[str]) -> alt.Chart:
    """Public page: one bar per area of the *published* (rounded) rate; areas whose count is
    hidden are named in the description, never drawn."""
    return (
        alt.Chart(bars, title=f"{indicator} per gebied")
        .mark_bar(color=POINT_COLOUR)
        .encode(y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
                x=alt.X("rate:Q", title=unit),
                tooltip=[alt.Tooltip("area:N", title="Gebied"),
                         alt.Tooltip("rate_text:N", title=unit)])
        .properties(height=alt.Step(32), description=(
            f"Staafdiagram van {indicator} per gebied; dezelfde cijfers staan in de tabel "
            "erboven." + (f" Niet getoond (kleine aantallen): {', '.join(hidden)}."
                          if hidden else "")))
    )


OUTCOME_COLOURS = ("#009E73", "#0072B2", "#E69F00", "#D55E00")  # opschalen … stoppen


def decision_timeline(decisions: pd.DataFrame, outcomes: Sequence[str]) -> alt.Chart:
    """Decisions (``queries.decisions`` rows) as points in time per programme, coloured
    and shaped by their outcome (in the order of ``outcomes``)."""
    data = decisions.assign(date=pd.to_datetime(decisions["decided_on"]))
    order = list(outcomes)
    return (
        alt.Chart(data[["date", "programme", "outcome", "subject", "body"]],
                  title="Besluiten in de tijd")
        .mark_point(filled=True, size=140)
        .encode(
            x=alt.X("date:T", title="Datum", axis=alt.Axis(format="%Y")),
            y=alt.Y("programme:N", title=None),
            color=alt.Color("outcome:N", title="Besluit", sort=order,
                            scale=alt.Scale(domain=order, range=list(OUTCOME_COLOURS))),
            shape=alt.Shape("outcome:N", title="Besluit", sort=order),
            tooltip=[alt.Tooltip("subject:N", title="Onderwerp"),
                     alt.Tooltip("outcome:N", title="Besluit"),
                     alt.Tooltip("body:N", title="Besloten door"),
                     alt.Tooltip("date:T", title="Datum", format="%e %b %Y")],
        )
        .properties(height=220, description=f"Tijdlijn van {len(data)} besluiten per "
                    "programma, gekleurd naar besluit (opschalen, doorgaan, aanpassen, stoppen).")
    )
