"""Kernteams ouderen: the one table of quarterly metrics (label, numerator, denominator,
chart, unit, polarity), run/control charts per team, verdicts across teams and the funnel
comparison. Pure pandas functions of the quarterly frame
(``dashboard.store.queries_monitoring.kernteam_quarters``); the SPC rules are
``dashboard.domain.spc``'s, what a signal means is ``dashboard.domain.verdicts``'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.domain import spc, verdicts
from dashboard.domain.i18n import fmt_date
from dashboard.domain.vocab import Polarity


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
Method = Literal["baseline", "phases"]
METHODS: dict[str, str] = {
    "baseline": "Basislijn bevriezen tot de interventie",
    "phases": "Nieuwe fase vanaf de interventie",
}


def team_series(quarters: pd.DataFrame, team: str) -> pd.DataFrame:
    """One team's quarters in time order (rows with a positive denominator)."""
    df = quarters[(quarters["team"] == team) & (quarters["frail_elderly"] > 0)]
    return df.sort_values("quarter_start").reset_index(drop=True)


def analyse_team(series: pd.DataFrame, metric: Metric, intervention_dates: Sequence[dt.date],
                 method: Method = "baseline") -> spc.SeriesAnalysis:
    """P- or U-chart of one team's metric. An intervention either freezes the baseline
    (centre and limits from the quarters before it) or starts a new phase."""
    periods, dates = list(series["quarter_start"]), list(intervention_dates)
    kwargs: dict[str, object] = {}
    if method == "baseline":
        kwargs["baseline"] = spc.frozen_baseline(periods, dates)
    else:
        kwargs["splits"] = spc.split_indices(periods, dates)
    return spc.analyse(list(series[metric.numerator]), chart=metric.chart,
                       denominators=list(series[metric.denominator]),
                       multiplier=metric.multiplier, **kwargs)  # type: ignore[arg-type]


def _direction(analysis: spc.SeriesAnalysis) -> str:
    """The side of the latest flagged point (``verdicts.signal_side``): daling (below the
    centre line) or stijging (above); a signal of too few crossings has no side."""
    side = verdicts.signal_side(analysis)
    return {"laag": "daling", "hoog": "stijging"}.get(side or "", "patroon")


def team_verdicts(quarters: pd.DataFrame, interventions: pd.DataFrame,
                  metrics: Iterable[str] = tuple(METRICS),
                  method: Method = "baseline") -> pd.DataFrame:
    """Verdict per team and metric: points, flagged points, direction, latest value, centre."""
    rows = []
    for team, group in quarters.groupby("team", sort=True):
        series = team_series(group, str(team))
        if series.empty:
            continue
        dates = list(interventions.loc[interventions["team"] == team, "started_on"])
        for key in metrics:
            metric = METRICS[key]
            a = analyse_team(series, metric, dates, method)
            signal = a.verdict == spc.SIGNAL
            rows.append({
                "team": team, "area": series["area"].iloc[0], "metric": key,
                "metric_label": metric.label, "verdict": a.verdict, "points": a.n,
                "signal_points": int(sum(a.signal_points)),
                "direction": _direction(a) if signal else "",
                "favourable": (signal and ((_direction(a) == "daling") == metric.lower_is_better)),
                "latest": a.values[-1], "centre": a.centre[-1],
                "intervention": ", ".join(fmt_date(d) for d in dates),
            })
    return pd.DataFrame(rows, columns=["team", "area", "metric", "metric_label", "verdict",
                                       "points", "signal_points", "direction", "favourable",
                                       "latest", "centre", "intervention"])


def signal_list(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Teams with a signal, the most flagged points first."""
    df = verdicts[verdicts["verdict"] == spc.SIGNAL]
    return df.sort_values(["metric", "signal_points"], ascending=[True, False]) \
        .reset_index(drop=True)


def recent_quarters(quarters: pd.DataFrame, n: int = 4) -> list[str]:
    return sorted(quarters["quarter"].unique())[-n:]


def funnel_frame(quarters: pd.DataFrame, metric: Metric,
                 period: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comparison across teams accounting for team size: each team's rate over ``period``
    against the pooled rate, with 2σ and 3σ funnel limits at its own denominator.

    Returns (teams, curve): teams with ``position`` boven/binnen/onder the 3σ limits,
    and the funnel curve over the range of denominators for drawing.
    """
    df = quarters[quarters["quarter"].isin(period)]
    teams = (df.groupby(["team", "area"], as_index=False)
             .agg(numerator=(metric.numerator, "sum"), denominator=(metric.denominator, "sum")))
    teams = teams[teams["denominator"] > 0].reset_index(drop=True)
    if teams.empty:
        return teams, pd.DataFrame()
    pooled = teams["numerator"].sum() / teams["denominator"].sum()
    teams["rate"] = teams["numerator"] / teams["denominator"] * metric.multiplier
    teams["pooled"] = pooled * metric.multiplier
    limits = spc.funnel_limits(pooled, teams["denominator"], metric.multiplier, metric.chart)
    teams = pd.concat([teams, limits.drop(columns="denominator")], axis=1)
    teams["position"] = np.where(teams["rate"] > teams["upper3"], "boven",
                                 np.where(teams["rate"] < teams["lower3"], "onder", "binnen"))
    lo, hi = teams["denominator"].min(), teams["denominator"].max()
    grid = np.linspace(max(lo * 0.8, 1.0), hi * 1.1, 60)
    curve = spc.funnel_limits(pooled, grid, metric.multiplier, metric.chart)
    curve["pooled"] = pooled * metric.multiplier
    return teams, curve
