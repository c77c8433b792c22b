"""Write one open-data file into the database: all or nothing, idempotent, audited as a load.

``load_file`` parses the file with its source and stores catalogue entries and figures in
one transaction with exactly one audit row (``writes.audited``), action ``laden`` (manual
imports are ``importeren``), object type the source, with the file name, the period(s) and
how many figures are new, changed and unchanged. A refused file writes nothing but its
audit row. Figures are matched on indicator, region and period: loading the same file again
changes nothing (versions stay), a corrected file updates exactly the corrected values, and
values the file does not hold are left alone.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import Permission, Role
from dashboard.store import writes
from data_loaders.models import Indicator, IndicatorValue, ValueStatus
from data_loaders.opendata.common import (
    OWNER,
    Batch,
    Catalogue,
    Figure,
    OpenDataError,
    Source,
)

LOAD = "laden"  # audit action of an open-data load
ACTOR = writes.COMMAND_LINE  # not an account: the command line (audited as "opdrachtregel")
NEW, CHANGED, SAME = "nieuw", "gewijzigd", "ongewijzigd"
_NUMBERS = ("value", "numerator", "denominator", "lower", "upper")
# Catalogue fields the source defines; owner, is_public and the disclosure rule of an
# existing indicator are the beheerder's choice and stay as they are.
_DEFINED = ("label", "definition", "unit", "polarity", "source", "licence", "reference_moment",
            "period_type")
_ARITHMETIC = ("is_rate", "multiplier")  # how stored numbers are read: never silently changed


@dataclass
class LoadResult:
    ok: bool
    message: str  # Dutch, for the command line
    periods: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # nieuw / gewijzigd / ongewijzigd
    skipped: dict[str, int] = field(default_factory=dict)


def load_file(engine: Engine, source: Source, path: Path, *, year: int | None,
              municipalities: frozenset[str]) -> LoadResult:
    """Parse ``path`` with ``source`` and store it; one audit row whatever the outcome."""
    outcome = LoadResult(False, "")

    def work(s: Session) -> tuple[writes.WriteResult, dict | None, dict | None]:
        try:
            batch = source.read(path, year=year, municipalities=municipalities)
            counts = _store(s, batch)
        except OpenDataError as exc:
            s.rollback()
            return (writes.WriteResult(writes.INVALID, str(exc)), None,
                    {"bestand": path.name, "fout": str(exc)[:1_000]})
        periods = batch.periods
        outcome.periods, outcome.counts, outcome.skipped = periods, counts, batch.skipped
        table = f" ({batch.table})" if batch.table else ""
        message = (f"{batch.title}{table}, {', '.join(periods) or 'geen periode'}: "
                   f"{fmt_number(counts[NEW])} nieuw, {fmt_number(counts[CHANGED])} gewijzigd, "
                   f"{fmt_number(counts[SAME])} ongewijzigd")
        return writes.WriteResult(writes.OK, message), None, {
            "perioden": ", ".join(periods), **counts,
            "overgeslagen": sum(batch.skipped.values()),
            "bestand": path.name, "bron": batch.title, "tabel": batch.table,
            "indicatoren": sorted(c.key for c in batch.catalogue)}

    result = writes.audited(engine, ACTOR, Role.BEHEERDER, LOAD, source.key, path.name[:60],
                            work, Permission.ADMINISTER)
    outcome.ok, outcome.message = result.ok, result.message
    return outcome


# ---------------------------------------------------------------- storing


def _store(s: Session, batch: Batch) -> dict[str, int]:
    indicators = {c.key: _catalogue_entry(s, c) for c in batch.catalogue}
    existing = _existing(s, [i.id for i in indicators.values()], batch.periods)
    counts = {NEW: 0, CHANGED: 0, SAME: 0}
    touched: set[int] = set()
    for fig in batch.figures:
        ind = indicators[fig.indicator]
        row = existing.get((ind.id, fig.region_code, fig.period))
        if row is None:
            s.add(IndicatorValue(indicator_id=ind.id, region_code=fig.region_code,
                                 period=fig.period, period_start=dt.date(int(fig.period), 1, 1),
                                 **_attrs(fig)))
            counts[NEW] += 1
        elif _same(row, fig):
            counts[SAME] += 1
            continue
        else:
            for k, v in _attrs(fig).items():
                setattr(row, k, v)
            counts[CHANGED] += 1
        touched.add(ind.id)
    for ind in indicators.values():
        if ind.id in touched:
            ind.last_update = dt.date.today()
    s.flush()
    return counts


def _catalogue_entry(s: Session, c: Catalogue) -> Indicator:
    """The indicator of catalogue entry ``c``: created, or brought up to date (only fields
    that differ are written, so an unchanged load leaves the row and its version alone)."""
    ind = s.scalar(select(Indicator).where(Indicator.key == c.key))
    if ind is None:
        ind = Indicator(key=c.key, owner=OWNER, disclosure_rule=c.disclosure_rule,
                        is_rate=c.is_rate, multiplier=c.multiplier, is_survey=False,
                        is_public=False, last_update=dt.date.today())
        s.add(ind)
    else:
        for name in _ARITHMETIC:
            if getattr(ind, name) != getattr(c, name):
                raise OpenDataError(
                    f"Indicator '{ind.label}' ({c.key}) bestaat al met een andere rekenwijze "
                    f"({name} = {getattr(ind, name)}, deze bron levert {getattr(c, name)}); "
                    "de opgeslagen cijfers zouden anders gelezen worden. Pas de indicator "
                    "eerst aan of verwijder hem.")
    for name in _DEFINED:
        if getattr(ind, name) != getattr(c, name):
            setattr(ind, name, getattr(c, name))
    s.flush()
    return ind


def _existing(s: Session, indicator_ids: list[int], periods: list[str]
              ) -> dict[tuple[int, str, str], IndicatorValue]:
    if not indicator_ids or not periods:
        return {}
    rows = s.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id.in_(indicator_ids), IndicatorValue.period.in_(periods),
        IndicatorValue.region_code.is_not(None)))
    return {(r.indicator_id, r.region_code, r.period): r for r in rows}


def _attrs(fig: Figure) -> dict[str, object]:
    return {**{k: getattr(fig, k) for k in _NUMBERS}, "status": ValueStatus(fig.status),
            "note": fig.note[:200]}


def _same(row: IndicatorValue, fig: Figure) -> bool:
    return (all(_equal(getattr(row, k), getattr(fig, k)) for k in _NUMBERS)
            and row.status.value == fig.status and row.note == fig.note[:200])


def _equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
