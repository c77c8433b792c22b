"""The one aggregation rule for building an area's figure from its CBS parts (SPEC §3).

Counts are summed; rates are recomputed from the summed numerators and denominators
(never an average of rates). A suppressed part makes the aggregate suppressed and a
missing part makes it missing, so an aggregate is never silently too low.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

OK, SUPPRESSED, MISSING = "ok", "onderdrukt", "ontbreekt"


@dataclass(frozen=True)
class Aggregate:
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str  # ok / onderdrukt / ontbreekt
    parts: int
    note: str


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def aggregate_parts(parts: Iterable[Mapping[str, Any]], *, is_rate: bool,
                    multiplier: float = 1.0) -> Aggregate:
    """Combine part rows (keys value, numerator, denominator, status) into one figure."""
    rows = list(parts)
    n = len(rows)
    if not rows:
        return Aggregate(None, None, None, MISSING, 0, "Geen cijfers voor de delen van dit gebied.")
    statuses = [str(getattr(r.get("status"), "value", r.get("status")) or OK) for r in rows]
    suppressed = statuses.count(SUPPRESSED)
    if suppressed:
        return Aggregate(None, None, None, SUPPRESSED, n,
                         f"{suppressed} van {n} delen onderdrukt: totaal niet te tonen.")
    missing = statuses.count(MISSING)
    if missing:
        return Aggregate(None, None, None, MISSING, n,
                         f"{missing} van {n} delen zonder cijfer: totaal onbekend.")
    if not is_rate:
        counts = [_num(r.get("numerator")) if _num(r.get("numerator")) is not None
                  else _num(r.get("value")) for r in rows]
        if any(c is None for c in counts):
            return Aggregate(None, None, None, MISSING, n, "Een deel heeft geen aantal.")
        total = float(sum(c for c in counts if c is not None))
        return Aggregate(total, total, None, OK, n, f"Som van {n} delen." if n > 1 else "")
    nums = [_num(r.get("numerator")) for r in rows]
    dens = [_num(r.get("denominator")) for r in rows]
    if any(x is None for x in nums) or any(d is None for d in dens):
        value = _num(rows[0].get("value"))
        if n == 1 and value is not None:  # one part is the area: its own figure, unchanged
            return Aggregate(value, nums[0], dens[0], OK, 1, str(rows[0].get("note") or ""))
        # A rate without numerator and denominator (a published percentage, a model
        # estimate) is never averaged: the parts' own reason is given when they share one.
        reasons = {str(r.get("note") or "") for r, x, d in zip(rows, nums, dens, strict=True)
                   if x is None or d is None}
        return Aggregate(None, None, None, MISSING, n,
                         reasons.pop() if len(reasons) == 1 and "" not in reasons
                         else "Teller of noemer ontbreekt bij een deel: niet te herberekenen.")
    num = float(sum(x for x in nums if x is not None))
    den = float(sum(d for d in dens if d is not None))
    if den <= 0:
        return Aggregate(None, num, den, MISSING, n, "Noemer is nul.")
    return Aggregate(num / den * multiplier, num, den, OK, n,
                     f"Herberekend uit teller en noemer van {n} delen." if n > 1 else "")


# ---------------------------------------------------------------- confidence intervals


def wilson_interval(numerator: float, denominator: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion numerator/denominator (as fractions 0-1)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    p = numerator / denominator
    denom = 1 + z**2 / denominator
    centre = (p + z**2 / (2 * denominator)) / denom
    half = z * math.sqrt(p * (1 - p) / denominator + z**2 / (4 * denominator**2)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
