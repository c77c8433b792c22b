"""The one aggregation rule for building an area's figure from its CBS parts (SPEC §3).

Counts are summed; rates are recomputed from the summed numerators and denominators
(never an average of rates). Survey shares are the exception: they are weighted by the
population of each part (``aggregate_survey``), because respondents are not the population. A suppressed part makes the aggregate suppressed and a
missing part makes it missing, so an aggregate is never silently too low.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.domain.vocab import ValueStatus, values

OK, SUPPRESSED, MISSING = values(ValueStatus)


@dataclass(frozen=True)
class Aggregate:
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str  # ok / onderdrukt / ontbreekt
    parts: int
    note: str
    lower: float | None = None  # a 95% interval, where the rule gives one (survey shares)
    upper: float | None = None


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


# ---------------------------------------------------------------- survey estimates


@dataclass(frozen=True)
class SurveyAggregate:
    """A survey share for an area of several parts, weighted by population."""

    value: float | None  # the share × multiplier
    lower: float | None  # 95% interval (× multiplier); None when withheld
    upper: float | None
    respondents: float  # all respondents of the parts
    effective_n: float | None  # Kish's effective sample size of the weighted estimate
    status: str
    note: str


def aggregate_survey(parts: Iterable[Mapping[str, Any]], populations: Sequence[float], *,
                     multiplier: float = 100.0, z: float = 1.96) -> SurveyAggregate:
    """Population-weighted survey share of an area built from parts (keys numerator =
    respondents answering yes, denominator = respondents, status).

    Respondent counts do not follow the population (a small part may have many
    respondents), so summing numerators and denominators weights each part by its
    respondents: 20% of 200 and 60% of 50 gives 28%, while a part with nine times the
    people of the other should weigh nine times as much: (20% × 1 + 60% × 9) / 10 = 56%.
    The estimate is sum(w_i × p_i) with w_i = population share of part i (stratified
    estimate); its variance is sum(w_i² × p_i(1 - p_i) / n_i). The 95% interval is Wilson's
    at Kish's effective sample size n_eff = p(1 - p) / variance (Korn & Graubard 1998), so it
    stays within 0-100%. The interval is withheld (the value is kept) when a part's share is
    0% or 100%: its variance would be 0 and the interval falsely narrow. A part without
    respondents makes the area's share missing: it would speak for people nobody asked.
    """
    rows = list(parts)
    pops = [float(x) for x in populations]
    n = len(rows)
    if n != len(pops):
        raise ValueError(f"{n} delen maar {len(pops)} inwonertallen: geef elk deel een "
                         "inwonertal.")
    if not rows:
        return SurveyAggregate(None, None, None, 0.0, None, MISSING,
                               "Geen cijfers voor de delen van dit gebied.")
    for i, pop in enumerate(pops):
        if math.isnan(pop) or pop < 0:
            raise ValueError(f"Deel {i + 1}: het inwonertal moet nul of meer zijn (is {pop:g}).")
    statuses = [str(getattr(r.get("status"), "value", r.get("status")) or OK) for r in rows]
    if SUPPRESSED in statuses:
        return SurveyAggregate(None, None, None, 0.0, None, SUPPRESSED,
                               f"{statuses.count(SUPPRESSED)} van {n} delen onderdrukt: totaal "
                               "niet te tonen.")
    nums = [_num(r.get("numerator")) for r in rows]
    dens = [_num(r.get("denominator")) for r in rows]
    if MISSING in statuses or any(x is None for x in nums) or any(d is None for d in dens):
        return SurveyAggregate(None, None, None, 0.0, None, MISSING,
                               "Een deel heeft geen antwoorden of respondenten: totaal onbekend.")
    for i, (num, den) in enumerate(zip(nums, dens, strict=True)):
        validate_counts(num or 0.0, den or 0.0, where=f"deel {i + 1}", allow_zero=True)
    total_pop = sum(pops)
    if total_pop <= 0:
        return SurveyAggregate(None, None, None, 0.0, None, MISSING,
                               "De delen hebben samen geen inwoners.")
    weighted = [(pop / total_pop, num or 0.0, den or 0.0)
                for pop, num, den in zip(pops, nums, dens, strict=True) if pop > 0]
    if any(den == 0 for _, _, den in weighted):
        return SurveyAggregate(None, None, None, float(sum(d or 0 for d in dens)), None, MISSING,
                               "Een deel met inwoners heeft geen respondenten: totaal onbekend.")
    share = sum(w * num / den for w, num, den in weighted)
    var = sum(w ** 2 * (num / den) * (1 - num / den) / den for w, num, den in weighted)
    respondents = float(sum(den for _, _, den in weighted))
    note = f"Gewogen naar inwonertal van {n} delen." if n > 1 else ""
    if var <= 0 or any(num in (0, den) for _, num, den in weighted):
        return SurveyAggregate(share * multiplier, None, None, respondents, None, OK,
                               (note + " " if note else "") + "Geen betrouwbaarheidsinterval: "
                               "een deel heeft 0% of 100%.")
    n_eff = share * (1 - share) / var
    lo, hi = wilson_interval(share * n_eff, n_eff, z)
    return SurveyAggregate(share * multiplier, lo * multiplier, hi * multiplier, respondents,
                           n_eff, OK, note)


def aggregate_areas(rows: Sequence[Mapping[str, Any]], populations: Sequence[float | None], *,
                    is_rate: bool, is_survey: bool, multiplier: float = 1.0) -> Aggregate:
    """A programme total from its areas' figures (one row per area, as an area's figure is
    built from its parts): the same rule, one level up. Counts are summed and rates
    recomputed (``aggregate_parts``); survey shares are weighted by each area's population
    (``aggregate_survey``) and keep their interval, without numerator and denominator
    (the respondents are not the population). A missing area, or a survey area without a
    known population, makes the total missing."""
    if not (is_survey and is_rate):
        return aggregate_parts(rows, is_rate=is_rate, multiplier=multiplier)
    pops = [_num(p) for p in populations]
    if not rows or any(p is None for p in pops):
        return Aggregate(None, None, None, MISSING, len(rows),
                         "Inwonertal van een gebied onbekend: niet te wegen.")
    s = aggregate_survey(rows, [p for p in pops if p is not None], multiplier=multiplier)
    return Aggregate(s.value, None, None, s.status, len(rows), s.note, s.lower, s.upper)


def weighted_mean(means: Sequence[float], populations: Sequence[float]) -> float | None:
    """A survey mean (e.g. a Positive Health score) for areas together: each area's mean
    weighted by its population, as ``aggregate_survey`` weights shares. None when a weight
    is missing or they add up to nothing."""
    pops = [_num(p) for p in populations]
    if not means or len(means) != len(pops) or any(p is None or p < 0 for p in pops):
        return None
    weights = [p or 0.0 for p in pops]
    total = sum(weights)
    return sum(m * w for m, w in zip(means, weights, strict=True)) / total if total > 0 else None


# ---------------------------------------------------------------- validation and intervals


def validate_counts(numerator: float, denominator: float, *, where: str = "",
                    proportion: bool = True, allow_zero: bool = False) -> None:
    """Refuse counts that cannot be right, with a Dutch message naming ``where``:
    negative or missing numbers, a denominator of zero (unless ``allow_zero``) and, for
    a proportion, a numerator above its denominator. Importers can call this per row."""
    at = f"{where}: " if where else ""
    at = at[:1].upper() + at[1:]
    for name, x in (("teller", numerator), ("noemer", denominator)):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            raise ValueError(f"{at}de {name} ontbreekt.")
        if x < 0:
            raise ValueError(f"{at}de {name} kan niet negatief zijn (is {x:g}).")
    if denominator == 0 and not allow_zero:
        raise ValueError(f"{at}de noemer is nul: daar valt geen aandeel of tempo uit te "
                         "berekenen.")
    if proportion and numerator > denominator:
        raise ValueError(f"{at}de teller ({numerator:g}) is groter dan de noemer "
                         f"({denominator:g}); een aandeel kan niet boven 100% liggen.")


def count_problems(rows: Iterable[Mapping[str, Any]], *, proportion: bool = True
                   ) -> list[str]:
    """Every impossible numerator/denominator pair in ``rows`` (keys numerator, denominator;
    rows without either are skipped), as Dutch messages naming the row (1-based)."""
    problems = []
    for i, row in enumerate(rows, start=1):
        num, den = _num(row.get("numerator")), _num(row.get("denominator"))
        if num is None or den is None:
            continue
        try:
            validate_counts(num, den, where=f"rij {i}", proportion=proportion)
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def wilson_interval(numerator: float, denominator: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion numerator/denominator (as fractions 0-1).

    Refuses impossible pairs (negative, zero denominator, numerator above denominator)
    with a Dutch ValueError instead of a math domain error."""
    validate_counts(numerator, denominator)
    p = numerator / denominator
    denom = 1 + z**2 / denominator
    centre = (p + z**2 / (2 * denominator)) / denom
    half = z * math.sqrt(max(p * (1 - p), 0.0) / denominator + z**2 / (4 * denominator**2)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
