"""Effect sizes with their uncertainty: how much a series changed after an intervention.

Pure functions without Streamlit. For a series split at the intervention:
- counts per exposure (U, U′): the rate ratio after/before with a 95% interval on the log
  scale (SE of log RR = sqrt(1/a + 1/b));
- proportions (P, P′): the risk difference with Newcombe's hybrid score interval (method 10
  of Newcombe 1998, Stat Med 17:873, built from Wilson intervals), and the risk ratio with
  the log (Katz) interval;
- other values (I, run): the difference in means with Welch's interval;
- with comparison series, the difference-in-differences: the ratio of rate ratios (log
  scale, four counts), the difference of risk differences (Zou & Donner's MOVER, 2008,
  from the two Newcombe intervals), the difference of mean differences (Welch-Satterthwaite).
Over-dispersion: when per-period counts vary more than Poisson/binomial allows, the
intervals are widened by the quasi-likelihood scale phi = Pearson chi-square / (k - 2)
over the k periods (phi ≥ 1 only), as counts divided by phi for the score intervals.
Zero counts: 0.5 is added to each count of a ratio (noted); all counts zero: not computable.
Texts are Dutch: "−23% (95%-BI −35% tot −9%)".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm, t

from dashboard.domain.aggregation import validate_counts, wilson_interval
from dashboard.domain.i18n import fmt_number

Z95 = float(norm.ppf(0.975))
MINUS = "−"

EffectKind = Literal["rate_ratio", "risk_ratio", "risk_difference", "mean_difference",
                     "ratio_of_rate_ratios", "difference_of_risk_differences",
                     "difference_of_mean_differences"]
RATIOS = ("rate_ratio", "risk_ratio", "ratio_of_rate_ratios")


@dataclass(frozen=True)
class Effect:
    """A change with its 95% interval. Ratios are shown as a percentage change,
    differences of proportions in percentage points, other differences in ``unit``."""

    kind: EffectKind
    estimate: float | None
    lower: float | None
    upper: float | None
    note: str = ""  # continuity correction, over-dispersion, or why it cannot be computed
    unit: str = ""

    @property
    def computable(self) -> bool:
        return self.estimate is not None

    @property
    def text(self) -> str:
        """E.g. '−23% (95%-BI −35% tot −9%)' or 'niet te berekenen: ...'."""
        if self.estimate is None or self.lower is None or self.upper is None:
            return f"niet te berekenen: {self.note}" if self.note else "niet te berekenen"
        if self.kind in RATIOS:
            def pct(ratio: float) -> str:
                return _signed((ratio - 1) * 100, 0) + "%"
            return f"{pct(self.estimate)} (95%-BI {pct(self.lower)} tot {pct(self.upper)})"
        if "risk" in self.kind:
            def pp(x: float) -> str:
                return _signed(x * 100, 1)
            return (f"{pp(self.estimate)} procentpunt (95%-BI {pp(self.lower)} tot "
                    f"{pp(self.upper)})")
        unit = f" {self.unit}" if self.unit else ""
        return (f"{_signed(self.estimate, 1)}{unit} (95%-BI {_signed(self.lower, 1)} tot "
                f"{_signed(self.upper, 1)})")

    @property
    def significant(self) -> bool:
        """The interval excludes 'no change' (ratio 1, difference 0)."""
        if self.lower is None or self.upper is None:
            return False
        null = 1.0 if self.kind in RATIOS else 0.0
        return self.lower > null or self.upper < null


def _signed(x: float, decimals: int) -> str:
    text = fmt_number(abs(x), decimals)
    if text.strip("0,.") == "":
        return text
    return (MINUS if x < 0 else "+") + text


def _not_computable(kind: EffectKind, why: str) -> Effect:
    return Effect(kind, None, None, None, why)


# ---------------------------------------------------------------- over-dispersion of periods


def dispersion(counts: Sequence[float], denominators: Sequence[float],
               groups: Sequence[int], kind: Literal["p", "u"]) -> float:
    """Quasi-likelihood scale phi ≥ 1 of per-period counts around their group's rate
    (Pearson chi-square / (periods - groups)); 1 when there are too few periods."""
    o = np.asarray(counts, dtype=float)
    n = np.asarray(denominators, dtype=float)
    g = np.asarray(groups)
    chi = 0.0
    for label in set(g.tolist()):
        m = g == label
        rate = o[m].sum() / n[m].sum()
        expected = n[m] * rate
        var = expected * (1 - rate) if kind == "p" else expected
        ok = var > 0
        chi += float((((o[m] - expected) ** 2)[ok] / var[ok]).sum())
    df = len(o) - len(set(g.tolist()))
    return max(1.0, chi / df) if df > 0 else 1.0


def _dispersion_note(phi: float) -> str:
    if phi <= 1.0:
        return ""
    return (f"interval {fmt_number(math.sqrt(phi), 1)}× zo breed door schommeling van periode "
            "tot periode")


# ---------------------------------------------------------------- rates (U, U′)


def rate_ratio(events_before: float, exposure_before: float, events_after: float,
               exposure_after: float, *, phi: float = 1.0) -> Effect:
    """Rate after / rate before with a 95% interval on the log scale."""
    for num, den, where in ((events_before, exposure_before, "vóór de start"),
                            (events_after, exposure_after, "na de start")):
        validate_counts(num, den, where=where, proportion=False)
    a, b = float(events_before), float(events_after)
    if a == 0 and b == 0:
        return _not_computable("rate_ratio", "geen enkele gebeurtenis vóór en na de start")
    note = ""
    if a == 0 or b == 0:
        a, b = a + 0.5, b + 0.5
        note = "0,5 opgeteld bij beide aantallen (een aantal was nul)"
    ratio = (b / exposure_after) / (a / exposure_before)
    se = math.sqrt(phi * (1 / a + 1 / b))
    notes = "; ".join(x for x in (note, _dispersion_note(phi)) if x)
    return Effect("rate_ratio", ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se),
                  notes)


def ratio_of_rate_ratios(pilot: tuple[float, float, float, float],
                         comparison: tuple[float, float, float, float], *,
                         phi: float = 1.0) -> Effect:
    """Difference-in-differences for rates: RR(pilot) / RR(comparison), each tuple being
    (events before, exposure before, events after, exposure after)."""
    rr_p = rate_ratio(*pilot)
    rr_c = rate_ratio(*comparison)
    if not rr_p.computable or not rr_c.computable:
        return _not_computable("ratio_of_rate_ratios", rr_p.note or rr_c.note)
    counts = [float(pilot[0]), float(pilot[2]), float(comparison[0]), float(comparison[2])]
    corrected = any(c == 0 for c in counts)
    if corrected:
        counts = [c + 0.5 for c in counts]
    ratio = (rr_p.estimate or 1.0) / (rr_c.estimate or 1.0)
    se = math.sqrt(phi * sum(1 / c for c in counts))
    note = "; ".join(x for x in ("0,5 opgeteld bij de aantallen (een aantal was nul)"
                                 if corrected else "", _dispersion_note(phi)) if x)
    return Effect("ratio_of_rate_ratios", ratio, ratio * math.exp(-Z95 * se),
                  ratio * math.exp(Z95 * se), note)


# ---------------------------------------------------------------- proportions (P, P′)


def risk_difference(num_before: float, den_before: float, num_after: float, den_after: float,
                    *, phi: float = 1.0) -> Effect:
    """Proportion after - before with Newcombe's hybrid score interval (method 10)."""
    validate_counts(num_before, den_before, where="vóór de start")
    validate_counts(num_after, den_after, where="na de start")
    pb, pa = num_before / den_before, num_after / den_after
    lb, ub = wilson_interval(num_before / phi, den_before / phi)
    la, ua = wilson_interval(num_after / phi, den_after / phi)
    d = pa - pb
    lower = d - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    upper = d + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    return Effect("risk_difference", d, lower, upper, _dispersion_note(phi))


def risk_ratio(num_before: float, den_before: float, num_after: float, den_after: float,
               *, phi: float = 1.0) -> Effect:
    """Proportion after / before with the log (Katz) interval; 0.5 added when a count is 0."""
    validate_counts(num_before, den_before, where="vóór de start")
    validate_counts(num_after, den_after, where="na de start")
    a, n1, b, n2 = float(num_before), float(den_before), float(num_after), float(den_after)
    if a == 0 and b == 0:
        return _not_computable("risk_ratio", "geen enkele gebeurtenis vóór en na de start")
    note = ""
    if a == 0 or b == 0:
        a, b, n1, n2 = a + 0.5, b + 0.5, n1 + 0.5, n2 + 0.5
        note = "0,5 opgeteld bij de aantallen (een aantal was nul)"
    ratio = (b / n2) / (a / n1)
    se = math.sqrt(phi * (1 / a - 1 / n1 + 1 / b - 1 / n2))
    notes = "; ".join(x for x in (note, _dispersion_note(phi)) if x)
    return Effect("risk_ratio", ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se),
                  notes)


def difference_of_risk_differences(pilot: tuple[float, float, float, float],
                                   comparison: tuple[float, float, float, float], *,
                                   phi: float = 1.0) -> Effect:
    """Difference-in-differences for proportions: RD(pilot) - RD(comparison), with the
    MOVER interval (Zou & Donner 2008) from the two Newcombe intervals."""
    p = risk_difference(*pilot, phi=phi)
    c = risk_difference(*comparison, phi=phi)
    assert p.estimate is not None and c.estimate is not None
    assert p.lower is not None and p.upper is not None
    assert c.lower is not None and c.upper is not None
    d = p.estimate - c.estimate
    lower = d - math.sqrt((p.estimate - p.lower) ** 2 + (c.upper - c.estimate) ** 2)
    upper = d + math.sqrt((p.upper - p.estimate) ** 2 + (c.estimate - c.lower) ** 2)
    return Effect("difference_of_risk_differences", d, lower, upper, _dispersion_note(phi))


# ---------------------------------------------------------------- other values (I, run)


def _clean(values: Sequence[float]) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    return x[~np.isnan(x)]


def mean_difference(before: Sequence[float], after: Sequence[float], unit: str = "") -> Effect:
    """Mean after - mean before with Welch's interval (unequal variances)."""
    b, a = _clean(before), _clean(after)
    if len(b) < 2 or len(a) < 2:
        return _not_computable("mean_difference", "minstens 2 punten vóór en 2 na de start nodig")
    vb, va = b.var(ddof=1) / len(b), a.var(ddof=1) / len(a)
    d = float(a.mean() - b.mean())
    if vb + va == 0:
        return _not_computable("mean_difference", "alle waarden vóór en na zijn gelijk")
    df = (vb + va) ** 2 / (vb ** 2 / (len(b) - 1) + va ** 2 / (len(a) - 1))
    half = float(t.ppf(0.975, df)) * math.sqrt(vb + va)
    return Effect("mean_difference", d, d - half, d + half, unit=unit)


def difference_of_mean_differences(pilot: tuple[Sequence[float], Sequence[float]],
                                   comparison: tuple[Sequence[float], Sequence[float]],
                                   unit: str = "") -> Effect:
    """(after - before in the pilot) - (after - before in the comparison), Welch-Satterthwaite."""
    groups = [_clean(x) for x in (*pilot, *comparison)]
    if any(len(g) < 2 for g in groups):
        return _not_computable("difference_of_mean_differences",
                               "minstens 2 punten vóór en 2 na de start nodig, in beide reeksen")
    pb, pa, cb, ca = groups
    d = float((pa.mean() - pb.mean()) - (ca.mean() - cb.mean()))
    parts = [g.var(ddof=1) / len(g) for g in groups]
    total = sum(parts)
    if total == 0:
        return _not_computable("difference_of_mean_differences", "alle waarden zijn gelijk")
    df = total ** 2 / sum(v ** 2 / (len(g) - 1) for v, g in zip(parts, groups, strict=True))
    half = float(t.ppf(0.975, df)) * math.sqrt(total)
    return Effect("difference_of_mean_differences", d, d - half, d + half, unit=unit)


# ---------------------------------------------------------------- a series split at a start


def _sums(values: np.ndarray, den: np.ndarray, split: int) -> tuple[float, float, float, float]:
    ok = ~np.isnan(values) & ~np.isnan(den)
    before, after = ok.copy(), ok.copy()
    before[split:] = False
    after[:split] = False
    return (float(values[before].sum()), float(den[before].sum()),
            float(values[after].sum()), float(den[after].sum()))


def _prepared(values: Sequence[float], denominators: Sequence[float] | None, split: int,
              kind: str) -> tuple[tuple[float, float, float, float], float] | str:
    """Summed counts before/after and the dispersion scale, or why that is impossible."""
    v = np.asarray(values, dtype=float)
    d = np.asarray(denominators if denominators is not None else [math.nan] * len(v),
                   dtype=float)
    sums = _sums(v, d, split)
    if sums[1] <= 0 or sums[3] <= 0:
        return "geen punten vóór of na de start"
    ok = ~np.isnan(v) & ~np.isnan(d)
    groups = (np.arange(len(v)) >= split).astype(int)
    phi = dispersion(v[ok], d[ok], groups[ok], "p" if kind.startswith("p") else "u")
    return sums, phi


def before_after(chart: str, values: Sequence[float], denominators: Sequence[float] | None,
                 split: int, *, unit: str = "") -> Effect:
    """The change of one series after point ``split`` (the first point after the start):
    a rate ratio (U), a risk difference (P) or a difference in means (I, run). ``values``
    are counts for P and U charts, as ``spc.analyse`` takes them."""
    if chart in ("u", "u'", "p", "p'"):
        prepared = _prepared(values, denominators, split, chart)
        kind: EffectKind = "rate_ratio" if chart.startswith("u") else "risk_difference"
        if isinstance(prepared, str):
            return _not_computable(kind, prepared)
        (nb, db, na, da), phi = prepared
        if chart.startswith("u"):
            return rate_ratio(nb, db, na, da, phi=phi)
        return risk_difference(nb, db, na, da, phi=phi)
    v = list(values)
    return mean_difference(v[:split], v[split:], unit=unit)


def difference_in_differences(chart: str, pilot: tuple[Sequence[float], Sequence[float] | None, int],
                              comparison: tuple[Sequence[float], Sequence[float] | None, int],
                              *, unit: str = "") -> Effect:
    """The pilot's change against the comparison's change, each given as (values,
    denominators, split): ratio of rate ratios (U), difference of risk differences (P) or
    of mean differences (I, run)."""
    if chart in ("u", "u'", "p", "p'"):
        kind: EffectKind = ("ratio_of_rate_ratios" if chart.startswith("u")
                            else "difference_of_risk_differences")
        p = _prepared(*pilot, chart)
        c = _prepared(*comparison, chart)
        if isinstance(p, str) or isinstance(c, str):
            return _not_computable(kind, p if isinstance(p, str) else str(c))
        phi = max(p[1], c[1])
        if chart.startswith("u"):
            return ratio_of_rate_ratios(p[0], c[0], phi=phi)
        return difference_of_risk_differences(p[0], c[0], phi=phi)
    (pv, _, ps), (cv, _, cs) = pilot, comparison
    return difference_of_mean_differences((list(pv)[:ps], list(pv)[ps:]),
                                          (list(cv)[:cs], list(cv)[cs:]), unit=unit)
