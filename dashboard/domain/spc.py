"""Run-chart and control-chart analysis (SPEC §5): the one owner of the SPC rules.

Pure, typed functions without Streamlit. A series is analysed per *phase* (phases split
at intervention dates); within a phase the centre line and limits may be computed from a
frozen baseline (the first ``baseline`` points) and applied to the whole phase.

The arithmetic follows qicharts2 (Anhøj, R package, ``R/helper.functions.R``, version 0.8):

Rules
- Anhøj: a run is a sequence of points on the same side of the centre line; points on
  the centre line neither count nor break a run. Signal when the longest run is longer
  than ``round(log2(n)) + 3`` or when there are fewer crossings than the 5% lower limit
  of Binomial(n - 1, 0.5), n being the number of useful points (not on the centre).
- IHI: shift = 6 or more consecutive points on one side of the median (points on the
  median skipped); trend = 5 or more points all going up or all going down (equal
  neighbours count once); astronomical point = a point more than 3 sigma (mean moving
  range / 1.128) from the centre line.
- Control charts, all at ±3 sigma:
  I-chart: sigma = mean moving range / 1.128, after leaving out moving ranges of
  3.267 × their mean or more and recomputing the mean (Nelson 1982; qicharts2 ``qic.i``
  with its default option ``qic.screenedmr = TRUE``).
  P- and U-chart: limits from each point's denominator (``qic.p``, ``qic.u``).
  P′- and U′-chart (Laney 2002): the P/U sigma times sigma_z, the screened mean moving
  range of the points' z-scores / 1.128 (``qic.pp``, ``qic.up``). Use them when the
  denominators are so large that the P/U limits are too narrow (``choose_chart``).
- Missing points (NaN: suppressed or not delivered) stay on the axis as gaps: they are
  left out of centre, sigma and runs, and moving ranges are only taken between adjacent
  points that are both present (as qicharts2 does with NA).
- A frozen baseline needs ``min_baseline`` points present (the setting
  ``min_baseline_points``, default ``MIN_BASELINE`` = 12); with fewer, the phase
  gets its centre and limits from all its points and says so (``baseline_too_short``).
  A sigma of zero gives no limits: never limits on the centre line.
- Fewer than ``MIN_POINTS`` (10) points in a phase: no verdict ("te weinig punten").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import binom, chi2

MIN_POINTS = 10
MIN_BASELINE = 12  # default of the points a frozen baseline needs (setting min_baseline_points)
SHIFT_LENGTH = 6
TREND_LENGTH = 5
D2 = 1.128  # bias constant for moving ranges of two points
MR_SCREEN = 3.267  # D4: moving ranges of 3.267 × their mean or more are left out (Nelson 1982)
MR_DF = 0.62  # effective degrees of freedom of a mean-moving-range sigma: ≈ 0.62 per range

SIGNAL = "signaal"
NO_SIGNAL = "geen signaal"
TOO_FEW = "te weinig punten"

ChartType = Literal["run", "i", "p", "u", "p'", "u'"]
RATE_CHARTS = ("p", "u", "p'", "u'")
PRIME: dict[str, ChartType] = {"p": "p'", "u": "u'"}
CHART_LABELS: dict[str, str] = {"run": "runchart", "i": "I-kaart", "p": "P-kaart", "u": "U-kaart",
                                "p'": "P′-kaart", "u'": "U′-kaart"}


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


def moving_ranges(values: np.ndarray) -> np.ndarray:
    """Absolute differences between neighbours that are both present (NaN gaps break them)."""
    mr = np.abs(np.diff(np.asarray(values, dtype=float)))
    return mr[~np.isnan(mr)]


def screened_mean_mr(values: np.ndarray) -> tuple[float, int]:
    """Mean moving range after leaving out ranges of ``MR_SCREEN`` × the mean or more
    (Nelson 1982; qicharts2 keeps ``mr < 3.267 * amr``), and the number of ranges used.
    NaN when there is no moving range."""
    mr = moving_ranges(values)
    if not len(mr):
        return math.nan, 0
    kept = mr[mr < MR_SCREEN * mr.mean()]
    if not len(kept):  # every range equal to zero: nothing is left out
        kept = mr
    return float(kept.mean()), len(kept)


@dataclass(frozen=True)
class PhaseResult:
    """Analysis of one phase of a series."""

    start: int  # index of the first point of the phase
    n: int  # points present (behind the verdict)
    n_useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    runs_signal: bool
    crossings_signal: bool
    outside_limits: int
    verdict: str
    n_missing: int = 0  # gaps (NaN) in the phase
    frozen: bool = False  # centre and limits from the first ``baseline_points`` points
    baseline_points: int = 0  # points present in the frozen (or requested) baseline
    baseline_too_short: bool = False  # a baseline was asked for but had < min_baseline points
    sigma_z: float | None = None  # Laney's adjustment (P′/U′ charts)


@dataclass(frozen=True)
class SeriesAnalysis:
    """Per-point centre, limits and flags plus a verdict for the whole series.

    ``values`` holds None for missing points (gaps on the axis)."""

    chart: ChartType
    values: list[float | None]
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
    def n_present(self) -> int:
        return sum(v is not None for v in self.values)

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

    @property
    def baseline_too_short(self) -> bool:
        """A frozen baseline was asked for, but had fewer than ``min_baseline`` points: its
        phase got centre and limits from all its points instead."""
        return any(p.baseline_too_short for p in self.phases)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "value": [math.nan if v is None else v for v in self.values], "centre": self.centre,
            "lower": self.lower, "upper": self.upper, "phase": self.phase,
            "signal": self.signal_points, "shift": self.shift, "trend": self.trend,
            "astronomical": self.astronomical, "outside_limits": self.outside_limits,
        })


def _phase_bounds(n: int, splits: Sequence[int]) -> list[tuple[int, int]]:
    cuts = sorted({s for s in splits if 0 < s < n})
    edges = [0, *cuts, n]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


# A series of numbers as callers hold them: a list, a pandas column or a NumPy array.
Numbers = Sequence[float] | npt.NDArray[Any]


def _checked_points(raw: np.ndarray, chart: ChartType, denominators: Numbers | None,
                    multiplier: float) -> tuple[np.ndarray, np.ndarray | None]:
    """The plotted points (NaN where missing) and the denominators; Dutch errors for input
    that cannot be right, naming the point."""
    if chart not in RATE_CHARTS:
        return raw * multiplier, None
    if denominators is None:
        raise ValueError("Een P- of U-kaart heeft noemers nodig.")
    den = np.asarray(denominators, dtype=float)
    if len(den) != len(raw):
        raise ValueError(f"{len(raw)} tellers maar {len(den)} noemers: elke waarde heeft een "
                         "noemer nodig.")
    present = ~np.isnan(raw) & ~np.isnan(den)
    bad = present & ((den <= 0) | (raw < 0) | ((raw > den) if chart in ("p", "p'") else False))
    if bad.any():
        i = int(np.argmax(bad))
        if den[i] <= 0:
            raise ValueError(f"Punt {i + 1}: de noemer moet groter dan nul zijn (is {den[i]:g}).")
        if raw[i] < 0:
            raise ValueError(f"Punt {i + 1}: een aantal kan niet negatief zijn (is {raw[i]:g}).")
        raise ValueError(f"Punt {i + 1}: de teller ({raw[i]:g}) is groter dan de noemer "
                         f"({den[i]:g}); een aandeel kan niet boven 100% liggen.")
    raw = np.where(present, raw, np.nan)
    den = np.where(present, den, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return raw / den * multiplier, den


def _rate_sigma(chart: ChartType, centre: float, den: np.ndarray) -> np.ndarray:
    """Binomial (P) or Poisson (U) sigma of each point, as a fraction (not multiplied)."""
    var = centre * (1 - centre) if chart in ("p", "p'") else centre
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(max(var, 0.0) / den)


def laney_sigma_z(points: np.ndarray, centre: float, sigma: np.ndarray) -> tuple[float, int]:
    """Laney's sigma_z: the screened mean moving range of the z-scores / 1.128 (qicharts2
    ``qic.pp``/``qic.up``), and the number of moving ranges behind it."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (points - centre) / sigma
    z[~np.isfinite(z)] = np.nan
    amr, k = screened_mean_mr(z)
    return amr / D2, k


def analyse(
    values: Numbers,
    *,
    chart: ChartType = "run",
    denominators: Numbers | None = None,
    splits: Sequence[int] = (),
    baseline: int | None = None,
    multiplier: float = 1.0,
    min_baseline: int = MIN_BASELINE,
) -> SeriesAnalysis:
    """Analyse a series.

    ``values`` are the points for run and I-charts, and the *numerators* (counts) for P-,
    U-, P′- and U′-charts, whose points are ``values / denominators * multiplier``.
    ``splits`` are indices where a new phase starts (e.g. the first point on or after an
    intervention date). ``baseline`` freezes the centre line and limits of each phase to
    its first ``baseline`` points when at least ``min_baseline`` of them are present.
    Missing values (NaN, in the value or its denominator) stay in place as gaps.
    """
    if chart not in CHART_LABELS:
        raise ValueError(f"Onbekend kaarttype '{chart}'.")
    raw = np.asarray(values, dtype=float)
    points, den = _checked_points(raw, chart, denominators, multiplier)
    n = len(points)
    present_all = ~np.isnan(points)
    centre = np.full(n, np.nan)
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
        ok = present_all[a:b]
        # the baseline: the first ``baseline`` positions, frozen only with enough points
        asked = bool(baseline) and 0 < int(baseline or 0) < b - a
        base_len = int(baseline) if asked and baseline else b - a
        base_points = int(ok[:base_len].sum())
        frozen = asked and base_points >= min_baseline
        too_short = asked and not frozen
        if not frozen:
            base_len = b - a
        base = np.zeros(b - a, dtype=bool)
        base[:base_len] = True
        use = base & ok
        n_present = int(ok.sum())
        sigma_z: float | None = None
        if not use.any():  # no point present in the phase: gaps only
            results.append(PhaseResult(a, 0, 0, 0, 0, 0, 0, False, False, 0, TOO_FEW,
                                       n_missing=b - a, baseline_points=base_points,
                                       baseline_too_short=too_short))
            continue
        # centre line
        if chart == "run":
            c = float(np.median(y[use]))
        elif chart == "i":
            c = float(np.mean(y[use]))
        else:
            assert den is not None
            c = float(raw[a:b][use].sum() / den[a:b][use].sum() * multiplier)
        centre[a:b] = c
        # sigma: screened moving ranges of the baseline (gaps break them)
        amr, _ = screened_mean_mr(y[:base_len])
        sigma_mr = amr / D2 if amr > 0 else math.nan
        if chart == "i":
            s = np.full(b - a, sigma_mr)
        elif chart in RATE_CHARTS:
            assert den is not None
            s = _rate_sigma(chart, c / multiplier, den[a:b])
            if chart in ("p'", "u'"):
                sz, _ = laney_sigma_z(y[:base_len] / multiplier, c / multiplier, s[:base_len])
                sigma_z = None if math.isnan(sz) else sz
                s = s * sz
            s = s * multiplier
        else:
            s = np.full(b - a, math.nan)
        s = np.where(s > 0, s, np.nan)  # sigma 0 gives no limits, never limits on the centre
        if chart != "run":
            lo, hi = c - 3 * s, c + 3 * s
            if chart in RATE_CHARTS:
                lo = np.maximum(lo, 0.0)
                if chart in ("p", "p'"):
                    hi = np.minimum(hi, multiplier)
                lo, hi = np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)
            lower[a:b], upper[a:b] = lo, hi
            with np.errstate(invalid="ignore"):
                outside[a:b] = ok & ((y < lo - 1e-12) | (y > hi + 1e-12))
        if not math.isnan(sigma_mr):
            with np.errstate(invalid="ignore"):
                astronomical[a:b] = ok & (np.abs(y - c) > 3 * sigma_mr)
        # runs analysis around the centre line, over the points present
        idx = np.flatnonzero(ok)
        yv = y[idx]
        sides = _sides(yv, np.full(len(yv), c))
        runs = _runs(sides)
        n_useful = int((sides != 0).sum())
        longest = max((len(r) for r in runs), default=0)
        crossings = max(len(runs) - 1, 0)
        run_max, cross_min = longest_run_limit(n_useful), crossings_limit(n_useful)
        enough = n_present >= MIN_POINTS
        runs_signal = enough and longest > run_max
        crossings_signal = enough and crossings < cross_min
        for r in runs:
            members = idx[np.asarray(r)] + a
            if len(r) >= SHIFT_LENGTH:
                shift[members] = True
            if runs_signal and len(r) > run_max:
                in_long_run[members] = True
        trend[idx + a] = _trend_members(yv)
        n_outside = int(outside[a:b].sum())
        if not enough:
            verdict = TOO_FEW
            outside[a:b] = False  # no highlighted points without a verdict
            n_outside = 0
        elif runs_signal or crossings_signal or n_outside:
            verdict = SIGNAL
        else:
            verdict = NO_SIGNAL
        results.append(PhaseResult(
            a, n_present, n_useful, longest, run_max, crossings, cross_min, runs_signal,
            crossings_signal, n_outside, verdict, n_missing=b - a - n_present, frozen=frozen,
            baseline_points=base_points if asked else n_present, baseline_too_short=too_short,
            sigma_z=sigma_z))

    def opt(arr: np.ndarray) -> list[float | None]:
        return [None if math.isnan(v) else float(v) for v in arr]

    return SeriesAnalysis(
        chart=chart, values=opt(points), centre=[float(v) for v in centre],
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


def frozen_baseline(periods: Sequence[object], interventions: Sequence[object]) -> int | None:
    """Points before the first intervention that falls inside the series (after its first
    period, not after its last): the baseline to freeze; None when there is none."""
    splits = split_indices(periods, interventions)
    return splits[0] if splits else None


# ---------------------------------------------------------------- P or P′, U or U′


@dataclass(frozen=True)
class ChartChoice:
    """Which chart a rate series gets, and why (a Dutch caption sentence)."""

    chart: ChartType
    sigma_z: float | None  # observed / expected variation of the z-scores (Laney's sigma_z)
    upper_limit: float | None  # the largest sigma_z that chance explains (95%)
    overdispersed: bool
    caption: str


def choose_chart(numerators: Sequence[float], denominators: Sequence[float],
                 chart: Literal["p", "u"], *, baseline: int | None = None,
                 confidence: float = 0.95, min_baseline: int = MIN_BASELINE) -> ChartChoice:
    """P or P′ (U or U′): switch to Laney's prime chart when the points vary more from period
    to period than the binomial (Poisson) model allows at these denominators.

    Rule. Laney's sigma_z (Laney 2002, "Improved control charts for attributes", Quality
    Engineering 14:531) is the ratio of the observed to the expected variation of the
    points' z-scores: 1 when the P/U model holds. It is estimated from the screened mean
    moving range of the z-scores (as ``analyse`` does for P′/U′, over the baseline when one
    is frozen). The switch is made when sigma_z exceeds its one-sided 95% upper limit under
    the P/U model, ``sqrt(chi2_0.95(nu) / nu)`` with ``nu = 0.62 × (number of moving
    ranges)``, the usual chi-square approximation for a mean-moving-range estimate of sigma
    (the 0.62 is checked by simulation in ``tests/test_spc_engine.py``, where the screened
    estimate passes this 95% point in 6-7% of series that follow the P/U model). The same
    idea as Minitab's P/U chart diagnostic (ratio of observed to expected variation against
    its upper confidence limit) in a form whose every step is written down here. Under-
    dispersion (sigma_z < 1) never narrows the limits: the plain chart stays.
    """
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    name = CHART_LABELS[chart]
    prime = PRIME[chart]
    present = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    base_len = len(num)
    if baseline and int(present[:baseline].sum()) >= min_baseline:
        base_len = baseline
    use = present.copy()
    use[base_len:] = False
    if use.sum() < MIN_POINTS:
        return ChartChoice(chart, None, None, False,
                           f"{name.capitalize()} gebruikt: te weinig punten om te toetsen of de "
                           "cijfers meer schommelen dan toeval verklaart.")
    centre = float(num[use].sum() / den[use].sum())
    pts = np.where(present, num / np.where(present, den, 1.0), np.nan)[:base_len]
    sz, k = laney_sigma_z(pts, centre, _rate_sigma(chart, centre, den[:base_len]))
    if math.isnan(sz) or k < 2:
        return ChartChoice(chart, None, None, False,
                           f"{name.capitalize()} gebruikt: de spreiding is niet te bepalen.")
    nu = MR_DF * k
    limit = math.sqrt(chi2.ppf(confidence, nu) / nu)
    ratio, cap = _times(sz), _times(limit)
    if sz > limit:
        return ChartChoice(prime, sz, limit, True,
                           f"{CHART_LABELS[prime].capitalize()} (Laney) gebruikt: de cijfers "
                           f"schommelen van periode tot periode {ratio} zo sterk als toeval bij "
                           f"deze aantallen verklaart (toeval reikt tot {cap}); met een gewone "
                           f"{name} zouden de grenzen te smal zijn en vals alarm geven.")
    return ChartChoice(chart, sz, limit, False,
                       f"{name.capitalize()} gebruikt: de schommeling van periode tot periode "
                       f"past bij toeval bij deze aantallen ({ratio} de verwachte, toeval reikt "
                       f"tot {cap}).")


def _times(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") + "×"
