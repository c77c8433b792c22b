"""Run-chart and control-chart analysis (SPEC §5): the one owner of the SPC rules.

Pure, typed functions without Streamlit. A series is analysed per *phase* (phases split
at intervention dates); within a phase the centre line may be computed from a frozen
baseline (the first ``baseline`` points) and applied to the whole phase.

Rules
- Anhøj: a run is a sequence of points on the same side of the centre line; points on
  the centre line neither count nor break a run. Signal when the longest run is longer
  than ``round(log2(n)) + 3`` or when there are fewer crossings than the 5% lower limit
  of Binomial(n - 1, 0.5), n being the number of useful points (not on the centre).
- IHI: shift = 6 or more consecutive points on one side of the median (points on the
  median skipped); trend = 5 or more points all going up or all going down (equal
  neighbours count once); astronomical point = a point more than 3 sigma (mean moving
  range / 1.128) from the centre line.
- Control charts: I-chart (sigma = mean moving range / 1.128), P-chart and U-chart
  (limits from each point's denominator), all at ±3 sigma.
- Fewer than ``MIN_POINTS`` (10) points in a phase: no verdict ("te weinig punten").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import binom

MIN_POINTS = 10
SHIFT_LENGTH = 6
TREND_LENGTH = 5
D2 = 1.128  # bias constant for moving ranges of two points

SIGNAL = "signaal"
NO_SIGNAL = "geen signaal"
TOO_FEW = "te weinig punten"

ChartType = Literal["run", "i", "p", "u"]


def longest_run_limit(n_useful: int) -> int:
    """Anhøj: the longest run may be at most this long (``round(log2(n)) + 3``)."""
    return int(round(math.log2(n_useful))) + 3 if n_useful > 0 else 0


@functools.lru_cache(maxsize=256)  # scipy's ppf costs ~1 ms; pages ask for it per series
def crossings_limit(n_useful: int) -> int:
    """Anhøj: fewer crossings than this signal (5% lower limit of Binomial(n-1, 0.5))."""
    return int(binom.ppf(0.05, n_useful - 1, 0.5)) if n_useful > 1 else 0


def _sides(values: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """+1 above, -1 below, 0 on the centre line."""
    return np.sign(np.round(values - centre, 12)).astype(int)


def _runs(sides: np.ndarray) -> list[list[int]]:
    """Indices of each run, skipping points on the centre line."""
    runs: list[list[int]] = []
    last = 0
    for i, s in enumerate(sides):
        if s == 0:
            continue
        if s != last:
            runs.append([])
            last = s
        runs[-1].append(i)
    return runs


def _trend_members(values: np.ndarray, length: int = TREND_LENGTH) -> np.ndarray:
    """Points that belong to a monotone run of ``length``+ points (equal neighbours count once)."""
    members = np.zeros(len(values), dtype=bool)
    keep = [i for i in range(len(values)) if i == 0 or values[i] != values[i - 1]]
    if len(keep) < length:
        return members
    direction = [np.sign(values[keep[j + 1]] - values[keep[j]]) for j in range(len(keep) - 1)]
    start = 0
    for j in range(1, len(direction) + 1):
        if j == len(direction) or direction[j] != direction[start]:
            if j - start + 1 >= length:  # j - start steps connect j - start + 1 points
                first, last = keep[start], keep[j]
                members[first:last + 1] = True
            start = j
    return members


@dataclass(frozen=True)
class PhaseResult:
    """Analysis of one phase of a series."""

    start: int  # index of the first point of the phase
    n: int
    n_useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    runs_signal: bool
    crossings_signal: bool
    outside_limits: int
    verdict: str


@dataclass(frozen=True)
class SeriesAnalysis:
    """Per-point centre, limits and flags plus a verdict for the whole series."""

    chart: ChartType
    values: list[float]
    centre: list[float]
    lower: list[float | None]
    upper: list[float | None]
    phase: list[int]
    in_long_run: list[bool]
    shift: list[bool]
    trend: list[bool]
    astronomical: list[bool]
    outside_limits: list[bool]
    phases: list[PhaseResult] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def signal_points(self) -> list[bool]:
        """Points to highlight: those behind the verdict (part of a run longer than the Anhøj
        limit, or outside the control limits). IHI shifts and trends stay separate flags, so
        a chart never highlights points under a "geen signaal" verdict."""
        return [a or b for a, b in zip(self.in_long_run, self.outside_limits, strict=True)]

    @property
    def verdict(self) -> str:
        """The verdict of the latest phase (the one a decision looks at)."""
        return self.phases[-1].verdict if self.phases else TOO_FEW

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "value": self.values, "centre": self.centre, "lower": self.lower,
            "upper": self.upper, "phase": self.phase, "signal": self.signal_points,
            "shift": self.shift, "trend": self.trend, "astronomical": self.astronomical,
            "outside_limits": self.outside_limits,
        })


def _phase_bounds(n: int, splits: Sequence[int]) -> list[tuple[int, int]]:
    cuts = sorted({s for s in splits if 0 < s < n})
    edges = [0, *cuts, n]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def analyse(
    values: Sequence[float],
    *,
    chart: ChartType = "run",
    denominators: Sequence[float] | None = None,
    splits: Sequence[int] = (),
    baseline: int | None = None,
    multiplier: float = 1.0,
) -> SeriesAnalysis:
    """Analyse a series.

    ``values`` are the points for run and I-charts, and the *numerators* (counts) for P-
    and U-charts, whose points are ``values / denominators * multiplier``.
    ``splits`` are indices where a new phase starts (e.g. the first point on or after an
    intervention date). ``baseline`` freezes the centre line and limits of each phase to
    its first ``baseline`` points. Missing values (NaN) are not allowed: drop them first.
    """
    raw = np.asarray(values, dtype=float)
    if np.isnan(raw).any():
        raise ValueError("Reeks bevat ontbrekende waarden; laat die eerst weg.")
    if chart in ("p", "u"):
        if denominators is None:
            raise ValueError("Een P- of U-kaart heeft noemers nodig.")
        den = np.asarray(denominators, dtype=float)
        if len(den) != len(raw) or (den <= 0).any():
            raise ValueError("Elke waarde heeft een noemer groter dan nul nodig.")
        points = raw / den * multiplier
    else:
        den = None
        points = raw * multiplier
    n = len(points)
    centre = np.zeros(n)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    phase = np.zeros(n, dtype=int)
    in_long_run = np.zeros(n, dtype=bool)
    shift = np.zeros(n, dtype=bool)
    trend = np.zeros(n, dtype=bool)
    astronomical = np.zeros(n, dtype=bool)
    outside = np.zeros(n, dtype=bool)
    results: list[PhaseResult] = []

    for k, (a, b) in enumerate(_phase_bounds(n, splits)):
        phase[a:b] = k
        y = points[a:b]
        base = slice(0, min(baseline, b - a)) if baseline else slice(0, b - a)
        yb = y[base]
        # centre line
        if chart == "run":
            c = np.full(b - a, float(np.median(yb)))
        elif chart == "i":
            c = np.full(b - a, float(np.mean(yb)))
        else:
            assert den is not None
            c = np.full(b - a, float(raw[a:b][base].sum() / den[a:b][base].sum() * multiplier))
        centre[a:b] = c
        # sigma from moving ranges (I and run charts) or from the denominators (P/U)
        mr = np.abs(np.diff(yb))
        sigma_mr = float(mr.mean() / D2) if len(mr) else 0.0
        if chart == "i":
            lower[a:b], upper[a:b] = c - 3 * sigma_mr, c + 3 * sigma_mr
        elif chart in ("p", "u"):
            assert den is not None
            rate = c / multiplier
            var = rate * (1 - rate) if chart == "p" else rate
            s = np.sqrt(np.maximum(var, 0) / den[a:b]) * multiplier
            lo, hi = np.maximum(c - 3 * s, 0.0), c + 3 * s
            if chart == "p":
                hi = np.minimum(hi, multiplier)
            lower[a:b], upper[a:b] = lo, hi
        if chart != "run":
            outside[a:b] = (y < lower[a:b] - 1e-12) | (y > upper[a:b] + 1e-12)
        astronomical[a:b] = np.abs(y - c) > 3 * sigma_mr if sigma_mr > 0 else False
        # runs analysis around the centre line
        sides = _sides(y, c)
        runs = _runs(sides)
        n_useful = int((sides != 0).sum())
        longest = max((len(r) for r in runs), default=0)
        crossings = max(len(runs) - 1, 0)
        run_max, cross_min = longest_run_limit(n_useful), crossings_limit(n_useful)
        enough = (b - a) >= MIN_POINTS
        runs_signal = enough and longest > run_max
        crossings_signal = enough and crossings < cross_min
        for r in runs:
            idx = np.asarray(r) + a
            if len(r) >= SHIFT_LENGTH:
                shift[idx] = True
            if runs_signal and len(r) > run_max:
                in_long_run[idx] = True
        trend[a:b] = _trend_members(y)
        n_outside = int(outside[a:b].sum())
        if not enough:
            verdict = TOO_FEW
        elif runs_signal or crossings_signal or n_outside:
            verdict = SIGNAL
        else:
            verdict = NO_SIGNAL
        results.append(PhaseResult(a, b - a, n_useful, longest, run_max, crossings, cross_min,
                                   runs_signal, crossings_signal, n_outside, verdict))

    def opt(arr: np.ndarray) -> list[float | None]:
        return [None if math.isnan(v) else float(v) for v in arr]

    return SeriesAnalysis(
        chart=chart, values=[float(v) for v in points], centre=[float(v) for v in centre],
        lower=opt(lower), upper=opt(upper), phase=[int(p) for p in phase],
        in_long_run=in_long_run.tolist(), shift=shift.tolist(), trend=trend.tolist(),
        astronomical=astronomical.tolist(), outside_limits=outside.tolist(), phases=results,
    )


def split_indices(periods: Sequence[object], interventions: Sequence[object]) -> list[int]:
    """Index of the first period on or after each intervention date (phase starts)."""
    out = []
    for when in interventions:
        idx = next((i for i, p in enumerate(periods) if p >= when), None)  # type: ignore[operator]
        if idx is not None and idx > 0:
            out.append(idx)
    return sorted(set(out))


def funnel_limits(rate: float, denominators: Sequence[float], multiplier: float = 1.0,
                  kind: Literal["p", "u"] = "u") -> pd.DataFrame:
    """Control limits (2 and 3 sigma) across units of different size around a common rate."""
    den = np.asarray(denominators, dtype=float)
    var = rate * (1 - rate) if kind == "p" else rate
    s = np.sqrt(max(var, 0.0) / den)
    return pd.DataFrame({
        "denominator": den,
        "lower3": np.maximum(rate - 3 * s, 0) * multiplier,
        "lower2": np.maximum(rate - 2 * s, 0) * multiplier,
        "upper2": (rate + 2 * s) * multiplier,
        "upper3": (rate + 3 * s) * multiplier,
    })
