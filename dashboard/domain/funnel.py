"""Funnel plots with over-dispersion (Spiegelhalter 2005): comparing teams or areas of
different size without false alarms for the large ones.

Pure functions without Streamlit. Spiegelhalter, "Funnel plots for comparing institutional
performance", Stat Med 2005;24:1185-1202, and "Handling over-dispersion of performance
indicators", Qual Saf Health Care 2005;14:347-351, as implemented in NHS-R's FunnelPlotR
(``R/od_adjustment.R``, ``R/calculate_limits.R``):

1. Each unit gets a z-score on a variance-stabilising scale: proportions (P) the arcsine
   square root, y = asin(sqrt(p)), s = 1 / (2 sqrt(n)); ratios of observed to expected
   counts (rates, U, with expected = denominator × pooled rate) the square root,
   y = sqrt(O/E), s = 1 / (2 sqrt(E)), target 1, or the log, y = log(O/E), s = 1/sqrt(E)
   (the NHS SHMI variant).
2. The z-scores are winsorised at their 10% and 90% quantiles (or, SHMI, the outer 10%
   truncated) and phi = mean of the squared z-scores.
3. When n × phi > n - 1 (more spread than chance, n units), the between-unit variance is
   tau² = (n phi - (n - 1)) / (sum w - sum w² / sum w), w = 1 / s² (additive random
   effects); otherwise tau² = 0.
4. Limits at 95% (z 1.96) and 99.8% (z 3.09) per denominator: target ± z sqrt(s² + tau²)
   on the transformed scale, transformed back. Without over-dispersion the limits are the
   same formula with tau² = 0; ``poisson_ratio_limits`` gives the exact Poisson limits.
A unit is *boven* or *onder* when it lies outside the 99.8% limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from dashboard.domain.i18n import fmt_number

Z95 = float(norm.ppf(0.975))  # 1.959964
Z998 = float(norm.ppf(0.999))  # 3.090232
Kind = Literal["p", "u", "sr"]
Transform = Literal["sqrt", "log"]


@dataclass(frozen=True)
class Funnel:
    """Units with their position against the (adjusted) limits, a curve to draw, and the
    over-dispersion that was found."""

    units: pd.DataFrame  # numerator, denominator, value, z, lower95, upper95, lower998, upper998, position
    curve: pd.DataFrame  # denominator, lower95, upper95, lower998, upper998, target
    target: float  # pooled value (× multiplier)
    phi: float
    tau2: float
    caption: str

    @property
    def overdispersed(self) -> bool:
        return self.tau2 > 0


def _trimmed(z: np.ndarray, trim: float, method: Literal["winsorise", "truncate"]
             ) -> np.ndarray:
    """Winsorised z-scores (R quantile type 7, as FunnelPlotR), or the truncated set."""
    if method == "winsorise":
        lo, hi = np.quantile(z, trim), np.quantile(z, 1 - trim)
        return np.clip(z, lo, hi)
    k = 1 / trim
    ranks = pd.Series(z).rank(method="average").to_numpy()
    group = np.floor(ranks * k / (len(z) + 1))
    return z[(group > 0) & (group < k - 1)]


def dispersion(z: np.ndarray, s: np.ndarray, *, trim: float = 0.1,
               method: Literal["winsorise", "truncate"] = "winsorise") -> tuple[float, float]:
    """Spiegelhalter's phi (mean squared trimmed z-score) and tau² (0 unless n phi > n - 1)."""
    if method == "truncate":
        k = 1 / trim
        ranks = pd.Series(z).rank(method="average").to_numpy()
        group = np.floor(ranks * k / (len(z) + 1))
        keep = (group > 0) & (group < k - 1)
        zt, st = z[keep], s[keep]
    else:
        zt, st = _trimmed(z, trim, method), s
    n = len(zt)
    if n == 0:
        return 1.0, 0.0
    phi = float(np.mean(zt ** 2))
    if n * phi <= n - 1:
        return phi, 0.0
    w = 1 / st ** 2
    return phi, max(0.0, (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))


def poisson_ratio_limits(expected: Sequence[float], target: float = 1.0) -> pd.DataFrame:
    """Exact Poisson limits for an observed/expected ratio at each expected count (as
    FunnelPlotR's unadjusted limits for standardised ratios)."""
    e = np.asarray(expected, dtype=float)
    return pd.DataFrame({
        "expected": e,
        "lower95": target * chi2.ppf(0.025, 2 * e) / 2 / e,
        "upper95": target * chi2.ppf(0.975, 2 * (e + 1)) / 2 / e,
        "lower998": target * chi2.ppf(0.001, 2 * e) / 2 / e,
        "upper998": target * chi2.ppf(0.999, 2 * (e + 1)) / 2 / e,
    })


def _limits(kind: Kind, transform: Transform, target: float, s: np.ndarray, tau2: float,
            z: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits (as a proportion, or as a ratio to the target) at sigmas s."""
    spread = z * np.sqrt(s ** 2 + tau2)
    if kind == "p":
        centre = math.asin(math.sqrt(target))
        lo = np.sin(np.clip(centre - spread, 0, math.pi / 2)) ** 2
        hi = np.sin(np.clip(centre + spread, 0, math.pi / 2)) ** 2
        return lo, hi
    if transform == "log":
        return np.exp(-spread), np.exp(spread)
    return np.maximum(1 - spread, 0) ** 2, (1 + spread) ** 2


def _scores(kind: Kind, transform: Transform, num: np.ndarray, den: np.ndarray,
            target: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's value (proportion or ratio), z-score and standard error s."""
    if kind == "p":
        value = num / den
        s = 1 / (2 * np.sqrt(den))
        z = (np.arcsin(np.sqrt(value)) - math.asin(math.sqrt(target))) / s
        return value, z, s
    expected = den * target if kind == "u" else den
    ratio = num / expected
    if transform == "log":
        s = 1 / np.sqrt(expected)
        with np.errstate(divide="ignore"):
            z = np.log(ratio) / s
        return ratio, z, s
    s = 1 / (2 * np.sqrt(expected))
    return ratio, (np.sqrt(ratio) - 1) / s, s


def funnel(numerators: Sequence[float], denominators: Sequence[float], *, kind: Kind,
           multiplier: float = 1.0, transform: Transform = "sqrt", trim: float = 0.1,
           trim_method: Literal["winsorise", "truncate"] = "winsorise",
           adjust: bool = True, grid_points: int = 60) -> Funnel:
    """Funnel plot data for units with counts ``numerators`` out of ``denominators``.

    ``kind`` "p": proportions; "u": counts per exposure (target = pooled rate); "sr":
    observed counts against expected counts (``denominators``), target 1. Values and
    limits are returned × ``multiplier`` (for "sr": the ratio × multiplier).
    ``adjust=False`` draws the limits without over-dispersion (tau² = 0)."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if len(num) != len(den):
        raise ValueError(f"{len(num)} tellers maar {len(den)} noemers.")
    if len(num) == 0:
        raise ValueError("Een trechterdiagram heeft minstens één team of gebied nodig.")
    if (den <= 0).any() or np.isnan(den).any() or np.isnan(num).any() or (num < 0).any():
        raise ValueError("Elk team of gebied heeft een aantal van nul of meer en een noemer "
                         "groter dan nul nodig.")
    if kind == "p" and (num > den).any():
        raise ValueError("Een teller is groter dan zijn noemer: een aandeel kan niet boven "
                         "100% liggen.")
    target = 1.0 if kind == "sr" else float(num.sum() / den.sum())
    value, z, s = _scores(kind, transform, num, den, target)
    finite = np.isfinite(z)
    phi, tau2 = dispersion(z[finite], s[finite], trim=trim, method=trim_method)
    used_tau2 = tau2 if adjust else 0.0
    scale = multiplier if kind == "p" else multiplier * (target if kind == "u" else 1.0)
    units = pd.DataFrame({"numerator": num, "denominator": den,
                          "value": value * scale, "z": z})
    for z_level, name in ((Z95, "95"), (Z998, "998")):
        lo, hi = _limits(kind, transform, target, s, used_tau2, z_level)
        units[f"lower{name}"], units[f"upper{name}"] = lo * scale, hi * scale
    units["position"] = np.where(units["value"] > units["upper998"], "boven",
                                 np.where(units["value"] < units["lower998"], "onder", "binnen"))
    grid = np.linspace(max(den.min() * 0.8, 1.0), den.max() * 1.1, grid_points)
    expected_grid = grid * target if kind == "u" else grid
    s_grid = (1 / (2 * np.sqrt(grid)) if kind == "p" else
              1 / np.sqrt(expected_grid) if transform == "log" else 1 / (2 * np.sqrt(expected_grid)))
    curve = pd.DataFrame({"denominator": grid})
    for z_level, name in ((Z95, "95"), (Z998, "998")):
        lo, hi = _limits(kind, transform, target, s_grid, used_tau2, z_level)
        curve[f"lower{name}"], curve[f"upper{name}"] = lo * scale, hi * scale
    centre = (target if kind == "p" else 1.0) * scale
    curve["target"] = centre
    return Funnel(units, curve, centre, phi, tau2, _caption(phi, tau2, adjust, len(num)))


def _caption(phi: float, tau2: float, adjust: bool, n: int) -> str:
    """One Dutch sentence on the over-dispersion and what the limits account for."""
    ratio = fmt_number(phi, 1)
    if tau2 > 0 and adjust:
        return (f"De {n} teams of gebieden verschillen meer dan toeval verklaart (spreiding "
                f"{ratio}× de verwachte); de trechter is daarom verbreed met de gewone "
                "verschillen tussen teams (Spiegelhalter), zodat grote teams niet ten onrechte "
                "opvallen.")
    if tau2 > 0:
        return (f"De {n} teams of gebieden verschillen meer dan toeval verklaart (spreiding "
                f"{ratio}× de verwachte); de trechter is níet verbreed, dus grote teams vallen "
                "sneller op.")
    return (f"De verschillen tussen de {n} teams of gebieden passen bij toeval (spreiding "
            f"{ratio}× de verwachte); de trechter toont alleen de toevalsgrenzen.")
