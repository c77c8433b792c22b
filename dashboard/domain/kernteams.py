"""Kernteams ouderen: the one table of quarterly metrics (label, numerator, denominator,
chart, unit, polarity), run/control charts per team and per programme, verdicts across
teams, the funnel comparison and the headline figures. Pure pandas functions of the
quarterly frame (``dashboard.store.queries_monitoring.kernteam_quarters``); the SPC rules
are ``dashboard.domain.spc``'s, what a signal means is ``dashboard.domain.verdicts``', the
funnel is ``dashboard.domain.funnel``'s and which quarters are complete is
``dashboard.domain.monitoring.deliveries``'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.domain import funnel, spc, verdicts
from dashboard.domain.i18n import fmt_date, fmt_number
from dashboard.domain.monitoring import Delivery, deliveries, latest_complete, pending
from dashboard.domain.vocab import Polarity

UNITS = "teams"  # what "2 van 35 teams aangeleverd" counts


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    short: str  # axis title: fits the height of a chart
    numerator: str
    denominator: str
    chart: Literal["p", "u"]
    multiplier: float
    unit: str
    polarity: str  # a vocab.Polarity value: what counts as better

    @property
    def lower_is_better(self) -> bool:
        return self.polarity == Polarity.LOWER_IS_BETTER.value


LOWER, HIGHER = Polarity.LOWER_IS_BETTER.value, Polarity.HIGHER_IS_BETTER.value
METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("admissions", "Ziekenhuisopnames per 1.000 kwetsbare ouderen", "Opnames per 1.000",
           "admissions", "frail_elderly", "u", 1000.0, "per 1.000", LOWER),
    Metric("ed_visits", "SEH-bezoeken per 1.000 kwetsbare ouderen", "SEH-bezoeken per 1.000",
           "ed_visits", "frail_elderly", "u", 1000.0, "per 1.000", LOWER),
    Metric("readmissions", "Heropnames per 1.000 kwetsbare ouderen", "Heropnames per 1.000",
           "readmissions", "frail_elderly", "u", 1000.0, "per 1.000", LOWER),
    Metric("falls", "Valincidenten per 1.000 kwetsbare ouderen", "Valincidenten per 1.000",
           "falls", "frail_elderly", "u", 1000.0, "per 1.000", LOWER),
    Metric("with_care_plan", "Kwetsbare ouderen met proactief zorgplan (%)", "Met zorgplan (%)",
           "with_care_plan", "frail_elderly", "p", 100.0, "%", HIGHER),
    Metric("discussed_mdo", "Besproken in multidisciplinair overleg (%)", "Besproken in MDO (%)",
           "discussed_mdo", "frail_elderly", "p", 100.0, "%", HIGHER),
)}
COUNTS = ["frail_elderly", *dict.fromkeys(m.numerator for m in METRICS.values())]
Method = Literal["baseline", "phases"]
METHODS: dict[str, str] = {
    "baseline": "Basislijn bevriezen tot de interventie",
    "phases": "Nieuwe fase vanaf de interventie",
}


# ---------------------------------------------------------------- quarters


def quarter_label(start: dt.date) -> str:
    """'2025-Q3' for the quarter starting on ``start``."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def quarter_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every quarter from ``first`` up to ``last``."""
    out, index = [], first.year * 4 + (first.month - 1) // 3
    while (when := dt.date(index // 4, 3 * (index % 4) + 1, 1)) <= last:
        out.append(when)
        index += 1
    return out


def quarter_deliveries(quarters: pd.DataFrame) -> list[Delivery]:
    """Per quarter: how many of the expected kernteams delivered (the completeness rule of
    ``monitoring.deliveries``)."""
    return deliveries(quarters, unit="team", period="quarter_start")


# ---------------------------------------------------------------- one series, one verdict


@dataclass(frozen=True)
class Evidence:
    """A rate series analysed: which chart (P or P′, U or U′, and why), the analysis, and
    its direction-aware verdict."""

    analysis: spc.SeriesAnalysis
    choice: spc.ChartChoice
    verdict: verdicts.SeriesVerdict


def analyse_rate(numerators: Sequence[float], denominators: Sequence[float], metric: Metric, *,
                 baseline: int | None = None, splits: Sequence[int] = (),
                 min_baseline: int = spc.MIN_BASELINE) -> Evidence:
    """P or P′ (U or U′) chosen by ``spc.choose_chart``, analysed, and judged by the
    metric's polarity. Missing quarters (NaN) stay gaps."""
    choice = spc.choose_chart(numerators, denominators, metric.chart, baseline=baseline,
                              min_baseline=min_baseline)
    analysis = spc.analyse(list(numerators), chart=choice.chart, denominators=list(denominators),
                           multiplier=metric.multiplier, baseline=baseline, splits=splits,
                           min_baseline=min_baseline)
    return Evidence(analysis, choice, verdicts.series_verdict(analysis, metric.polarity))


def team_series(quarters: pd.DataFrame, team: str, last: dt.date | None = None) -> pd.DataFrame:
    """One team's quarters in time order, from its first delivered quarter up to ``last``
    (default the latest quarter of ``quarters``): a quarter it did not deliver (or without
    frail elderly) is a row of missing counts, so it stays a gap on the axis."""
    own = quarters[quarters["team"] == team]
    if own.empty:
        return pd.DataFrame(columns=["team", "area", "quarter", "quarter_start", *COUNTS])
    axis = quarter_range(min(own["quarter_start"]), last or max(quarters["quarter_start"]))
    where = {q: i for i, q in enumerate(axis)}
    rows = [where[q] for q in own["quarter_start"]]
    df = pd.DataFrame({"team": team, "area": own["area"].iloc[0],
                       "quarter": [quarter_label(q) for q in axis], "quarter_start": axis})
    counts = np.full((len(axis), len(COUNTS)), np.nan)
    counts[rows] = own[COUNTS].to_numpy(dtype=float)
    counts[~(counts[:, 0] > 0)] = np.nan  # no frail elderly in view: no rate either
    df[COUNTS] = counts
    return df


def analyse_team(series: pd.DataFrame, metric: Metric, intervention_dates: Sequence[dt.date],
                 method: Method = "baseline", min_baseline: int = spc.MIN_BASELINE) -> Evidence:
    """P(′)- or U(′)-chart of one team's metric. An intervention either freezes the baseline
    (centre and limits from the quarters before it) or starts a new phase."""
    periods, dates = list(series["quarter_start"]), list(intervention_dates)
    baseline = spc.frozen_baseline(periods, dates) if method == "baseline" else None
    splits = spc.split_indices(periods, dates) if method == "phases" else ()
    return analyse_rate(list(series[metric.numerator]), list(series[metric.denominator]),
                        metric, baseline=baseline, splits=splits, min_baseline=min_baseline)


def _direction(side: str | None) -> str:
    """daling (below the centre line) or stijging (above); a signal of too few crossings
    has no side."""
    return {"laag": "daling", "hoog": "stijging"}.get(side or "", "patroon")


VERDICT_COLUMNS = ["team", "area", "metric", "metric_label", "verdict", "judgement", "points",
                   "phase_points", "chart", "signal_points", "direction", "favourable",
                   "latest", "centre", "intervention"]


def team_verdicts(quarters: pd.DataFrame, interventions: pd.DataFrame,
                  metrics: Iterable[str] = tuple(METRICS),
                  method: Method = "baseline",
                  min_baseline: int = spc.MIN_BASELINE) -> pd.DataFrame:
    """Verdict per team and metric: ``verdict`` (spc: signaal / geen signaal / te weinig
    punten), ``judgement`` (verdicts: verbetering / verslechtering / ...), quarters with
    figures, flagged points, direction, chart, latest value and centre."""
    rows = []
    last = max(quarters["quarter_start"], default=None)
    for team, group in quarters.groupby("team", sort=True):
        series = team_series(group, str(team), last)  # the series the team's chart shows
        if series[COUNTS].isna().all().all():
            continue
        dates = list(interventions.loc[interventions["team"] == team, "started_on"])
        for key in metrics:
            metric = METRICS[key]
            e = analyse_team(series, metric, dates, method, min_baseline)
            a, signal = e.analysis, e.analysis.verdict == spc.SIGNAL
            present = [i for i, v in enumerate(a.values) if v is not None]
            rows.append({
                "team": team, "area": series["area"].iloc[0], "metric": key,
                "metric_label": metric.label, "verdict": a.verdict,
                "judgement": e.verdict.key, "points": a.n_present,
                "phase_points": a.phases[-1].n if a.phases else 0, "chart": a.chart,
                "signal_points": int(sum(a.signal_points)),
                "direction": _direction(e.verdict.side) if signal else "",
                "favourable": e.verdict.key == verdicts.IMPROVEMENT,
                "latest": a.values[present[-1]] if present else None,
                "centre": a.centre[present[-1]] if present else None,
                "intervention": ", ".join(fmt_date(d) for d in dates),
            })
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def signal_list(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Teams with a signal, the most flagged points first."""
    df = verdicts[verdicts["verdict"] == spc.SIGNAL]
    return df.sort_values(["metric", "signal_points"], ascending=[True, False]) \
        .reset_index(drop=True)


def chance_note(team_verdicts: pd.DataFrame, period: str = "kwartaal") -> str:
    """How many signals chance alone gives among the series shown (``team_verdicts``), in
    plain Dutch: a signal among many series is not news by itself."""
    series = list(zip(team_verdicts["chart"], team_verdicts["phase_points"], strict=True))
    teams, metrics = team_verdicts["team"].nunique(), team_verdicts["metric"].nunique()
    found = int((team_verdicts["verdict"] == spc.SIGNAL).sum())
    expected = verdicts.expected_chance_signals(series)
    about = (f"ongeveer {fmt_number(expected)}" if expected >= 0.5 else "minder dan 1")
    return (f"{fmt_number(found)} van de {fmt_number(len(series))} reeksen ({fmt_number(teams)} "
            f"teams × {fmt_number(metrics)} kengetallen) geven een signaal; toeval alleen zou "
            f"er {about} geven. "
            + verdicts.chance_signals_sentence(len(series), verdicts.expected_chance_signals(
                series, new=True), period))


# ---------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class Headline:
    """Figures of the latest complete quarter, and the quarters still being delivered."""

    quarter: str
    start: dt.date
    teams: int
    frail_elderly: float
    rate: float | None
    pending: list[Delivery]


def rate(rows: pd.DataFrame, metric: Metric) -> float | None:
    """The metric over ``rows``: summed numerator over summed denominator (never an
    average of rates)."""
    den = float(rows[metric.denominator].sum())
    return float(rows[metric.numerator].sum()) / den * metric.multiplier if den > 0 else None


def headline(quarters: pd.DataFrame, metric: Metric) -> Headline | None:
    """The metric in the latest complete quarter (a newer quarter that not every team has
    delivered is listed in ``pending``, never shown as if complete)."""
    periods = quarter_deliveries(quarters)
    latest = latest_complete(periods)
    if latest is None:
        return None
    rows = quarters[quarters["quarter_start"] == latest.period]
    return Headline(quarter_label(latest.period), latest.period, rows["team"].nunique(),
                    float(rows["frail_elderly"].sum()), rate(rows, metric), pending(periods))


def matched_change(quarters: pd.DataFrame, metric: Metric, current: dt.date,
                   previous: dt.date) -> float | None:
    """Change of the metric from ``previous`` to ``current``, like with like: over the
    teams that delivered both quarters. None when no team did."""
    now = quarters[quarters["quarter_start"] == current]
    before = quarters[quarters["quarter_start"] == previous]
    both = set(now["team"]) & set(before["team"])
    a = rate(now[now["team"].isin(both)], metric)
    b = rate(before[before["team"].isin(both)], metric)
    return None if a is None or b is None else a - b


def previous_quarter(start: dt.date) -> dt.date:
    return dt.date(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)


def delivery_notes(periods: Iterable[Delivery]) -> list[str]:
    """'2026-Q4: 2 van 35 teams aangeleverd' for each quarter still being delivered."""
    return [f"{quarter_label(d.period)}: {d.text(UNITS)}" for d in periods]


# ---------------------------------------------------------------- programme trend


def programme_trend(quarters: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """Per programme and quarter: summed numerator and denominator, teams delivered and
    expected, and the rate. An incomplete quarter keeps its row but no figures (a gap):
    its teams are not the teams of the other quarters."""
    parts = []
    for programme, rows in quarters.groupby("programme", sort=False):
        periods = quarter_deliveries(rows)
        sums = rows.groupby("quarter_start")[[metric.numerator, metric.denominator]].sum()
        df = pd.DataFrame({"quarter_start": [d.period for d in periods],
                           "teams": [d.delivered for d in periods],
                           "expected": [d.expected for d in periods],
                           "complete": [d.complete for d in periods]})
        df["programme"] = programme
        df["quarter"] = [quarter_label(q) for q in df["quarter_start"]]
        for col in (metric.numerator, metric.denominator):
            df[col] = df["quarter_start"].map(sums[col]).astype(float).where(df["complete"])
        df["rate"] = df[metric.numerator] / df[metric.denominator] * metric.multiplier
        parts.append(df)
    columns = ["programme", "quarter", "quarter_start", "teams", "expected", "complete",
               metric.numerator, metric.denominator, "rate"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(
        columns=columns)


# ---------------------------------------------------------------- funnel across teams


def funnel_period(quarters: pd.DataFrame, n: int = 4) -> list[str]:
    """The ``n`` latest quarters up to the latest complete one (labels)."""
    latest = latest_complete(quarter_deliveries(quarters))
    if latest is None:
        return []
    starts = sorted(q for q in set(quarters["quarter_start"]) if q <= latest.period)
    return [quarter_label(q) for q in starts[-n:]]


def team_funnel(quarters: pd.DataFrame, metric: Metric,
                period: Sequence[str]) -> funnel.Funnel | None:
    """Comparison across teams that accounts for team size and for the ordinary
    differences between teams: each team's rate over ``period`` in Spiegelhalter's funnel
    with over-dispersion (``dashboard.domain.funnel``). The units carry ``team`` and
    ``area``; ``position`` is boven/binnen/onder the 99.8% limits."""
    df = quarters[quarters["quarter"].isin(period)]
    teams = (df.groupby(["team", "area"], as_index=False)
             .agg(numerator=(metric.numerator, "sum"), denominator=(metric.denominator, "sum")))
    teams = teams[teams["denominator"] > 0].reset_index(drop=True)
    if teams.empty:
        return None
    result = funnel.funnel(teams["numerator"], teams["denominator"], kind=metric.chart,
                           multiplier=metric.multiplier)
    return replace(result, units=pd.concat([teams[["team", "area"]], result.units], axis=1))


# ---------------------------------------------------------------- results of one quarter


def quarter_table(quarters: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Every team's counts in ``quarter`` with each metric's rate (``rate_<key>``)."""
    rows = quarters[quarters["quarter"] == quarter].copy()
    for key, m in METRICS.items():
        rows[f"rate_{key}"] = (rows[m.numerator] / rows[m.denominator]
                               .where(rows[m.denominator] > 0) * m.multiplier)
    return rows.reset_index(drop=True)


def quarter_delivery(quarters: pd.DataFrame, quarter: str) -> Delivery | None:
    """The delivery of one quarter (by label)."""
    return next((d for d in quarter_deliveries(quarters) if quarter_label(d.period) == quarter),
                None)


def quarter_choices(quarters: pd.DataFrame) -> dict[str, str]:
    """The quarters with figures, newest first (label -> label)."""
    return {q: q for q in sorted(quarters["quarter"].unique(), reverse=True)}


# ---------------------------------------------------------------- choosing a team


def team_choices(quarters: pd.DataFrame) -> dict[str, str]:
    """Team code -> 'KT-07 · Hoensbroek', in code order."""
    areas = quarters.drop_duplicates("team").set_index("team")["area"]
    return {str(t): f"{t} · {areas[t]}" for t in sorted(areas.index)}


def signal_count(signals: pd.DataFrame, metric: str) -> int:
    """Teams with a signal for ``metric`` (``signal_list`` rows)."""
    return int((signals["metric"] == metric).sum())


def first_signal_team(signals: pd.DataFrame, metric: str, teams: Sequence[str]) -> str:
    """The team a page opens on: the strongest signal for ``metric``, else the first team."""
    own = signals[signals["metric"] == metric]
    return str(own["team"].iloc[0]) if len(own) else str(teams[0])

