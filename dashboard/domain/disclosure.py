"""Disclosure control (SPEC §6): the one owner of the rule for publishing figures.

On public pages, and anywhere a figure could identify people:
- counts from 1 to 9 are not shown (they read "<10": *primary* suppression);
- shown counts are rounded to the nearest multiple of 5;
- rates whose numerator is below 10 are not shown, and a hidden count hides its rate;
- a shown rate is rounded to one decimal (``RATE_DECIMALS``) *before* it leaves this
  module: the number a page, a chart's data or a tooltip carries is exactly the number in
  the text. An unrounded rate with a rounded count pins down numerator and denominator
  (11/117 = 9.401709... has one whole denominator next to "10");
- *secondary* suppression: a total is published only when every count it adds up is
  published. A total over a hidden cell reads "•", and so does its rate. No published
  figure is then a sum that contains a hidden cell, so nothing narrows a hidden cell down:
  not exactly (total minus the shown cells) and not through the rounding intervals either
  (with cells "<10" and 10 and a total "10", the hidden cell would be 1 or 2). Cells are
  never hidden as partners; only the totals give way.
A suppressed value is a state of its own (``CellState.SUPPRESSED``), never zero and never
missing. Internal pages show small numbers but mark them (``mark_small``).

Pure functions without Streamlit; public queries call them *before* returning, so an
unsuppressed or unrounded figure never reaches a public page or a cache entry it could
share.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.i18n import EMPTY, fmt_number

THRESHOLD = 10  # counts below this (and above zero) are small
ROUND_TO = 5
RATE_DECIMALS = 1  # a published rate is this precise, in the text and in the data
SMALL_TEXT = "<10"  # a count from 1 to 9
HIDDEN_TEXT = "•"  # a total that adds up a hidden count
TOTAL = "Totaal"
LEGEND = (f"{SMALL_TEXT} = minder dan 10, niet getoond · {HIDDEN_TEXT} = totaal niet getoond "
          "omdat er een klein aantal in zit · aantallen afgerond op 5 · percentages en "
          "verhoudingen afgerond op 1 decimaal, alleen bij een teller van 10 of meer.")


class CellState(enum.StrEnum):
    """Publication state of one figure; values match ``data_loaders.models.ValueStatus``."""

    SHOWN = "ok"
    SUPPRESSED = "onderdrukt"
    MISSING = "ontbreekt"


def _is_missing(x: float | int | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def is_small(count: float | int | None) -> bool:
    """A count from 1 to 9 (zero is not small: nobody can be identified by it)."""
    return not _is_missing(count) and 0 < float(count) < THRESHOLD  # type: ignore[arg-type]


def round_count(count: float | int) -> int:
    """Round to the nearest multiple of 5 (halves up: 12.5 -> 15)."""
    return int(math.floor(float(count) / ROUND_TO + 0.5) * ROUND_TO)


@dataclass(frozen=True)
class Disclosed:
    """A figure as it may be published: the shown value only when ``state`` is SHOWN."""

    value: float | None
    state: CellState
    small: bool = False  # primary suppression (a true count 1-9 or a numerator below 10)

    def text(self, decimals: int = 0, suffix: str = "") -> str:
        if self.state is CellState.MISSING:
            return EMPTY
        if self.state is CellState.SUPPRESSED:
            return SMALL_TEXT if self.small else HIDDEN_TEXT
        return f"{fmt_number(self.value, decimals)}{suffix}"


def disclose_count(count: float | int | None) -> Disclosed:
    """A single count: missing stays missing, 1-9 becomes "<10", others are rounded to 5."""
    if _is_missing(count):
        return Disclosed(None, CellState.MISSING)
    if is_small(count):
        return Disclosed(None, CellState.SUPPRESSED, small=True)
    return Disclosed(float(round_count(count)), CellState.SHOWN)  # type: ignore[arg-type]


def round_rate(rate: float) -> float:
    """The published value of a rate: rounded to ``RATE_DECIMALS``, as its text shows it."""
    return round(float(rate), RATE_DECIMALS)


def disclose_rate(numerator: float | int | None, denominator: float | int | None,
                  multiplier: float = 1.0) -> Disclosed:
    """A rate ``numerator / denominator * multiplier``, hidden when the numerator is below 10,
    else rounded to ``RATE_DECIMALS`` (the value is the shown figure, not the exact rate).

    An unknown numerator means the rule cannot be checked, so the rate is not shown.
    """
    if _is_missing(numerator) or _is_missing(denominator) or not denominator:
        return Disclosed(None, CellState.MISSING)
    if float(numerator) < THRESHOLD:  # type: ignore[arg-type]
        return Disclosed(None, CellState.SUPPRESSED, small=True)
    return Disclosed(round_rate(float(numerator) / float(denominator)  # type: ignore[arg-type]
                                * multiplier), CellState.SHOWN)


def mark_small(count: float | int | None) -> str:
    """Internal pages: the exact count, marked when it is small ("7 (klein aantal)")."""
    if _is_missing(count):
        return EMPTY
    text = fmt_number(count, 0)
    return f"{text} (klein aantal)" if is_small(count) else text


def mark_small_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Internal tables: the given count columns as text, small counts marked."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(mark_small)
    return out


# ---------------------------------------------------------------- tables with totals


def extend_with_totals(counts: pd.DataFrame, *, row_totals: bool, col_totals: bool) -> pd.DataFrame:
    """Add a "Totaal" column (sum of each row) and/or a "Totaal" row (sum of each column)."""
    full = counts.astype(float).copy()
    if row_totals:
        full[TOTAL] = full.sum(axis=1)
    if col_totals:
        full.loc[TOTAL] = full.sum(axis=0)
    return full


@dataclass(frozen=True)
class ProtectedTable:
    """A count table with totals after disclosure control.

    ``shown`` holds the rounded counts (NaN where hidden); ``state`` the CellState of each
    cell; ``small`` marks primary suppression. Row and column labels include "Totaal".
    """

    shown: pd.DataFrame
    state: pd.DataFrame
    small: pd.DataFrame

    @property
    def hidden(self) -> pd.DataFrame:
        return self.state == CellState.SUPPRESSED

    def display(self) -> pd.DataFrame:
        """Strings for a public table: "<10", "•" or the rounded count in Dutch notation."""
        out = self.shown.map(lambda v: EMPTY if pd.isna(v) else fmt_number(v, 0))
        out = out.mask(self.hidden & self.small, SMALL_TEXT)
        return out.mask(self.hidden & ~self.small, HIDDEN_TEXT)


def protect_table(counts: pd.DataFrame, *, row_totals: bool = True,
                  col_totals: bool = True) -> ProtectedTable:
    """Apply the disclosure rule to a table of counts and the totals added to it.

    Primary: every cell from 1 to 9 is hidden ("<10"). Secondary: a row total is hidden
    when a cell of its row is hidden, a column total when a cell of its column is, and
    the grand total when any cell is; a hidden total reads "•", also when it is below 10
    itself (it then adds up a small cell), because "<10" would bound the cells in it. A
    hidden cell is then part of no published sum, so it cannot be recomputed, nor bounded
    by the rounded figures around it. Shown counts are rounded to 5.
    """
    if counts.isna().any().any():
        bad = counts.stack(future_stack=True)
        where = bad[bad.isna()].index[0]
        raise ValueError(f"Ontbrekend aantal in rij '{where[0]}', kolom '{where[1]}'.")
    if (counts < 0).any().any():
        raise ValueError("Aantallen kunnen niet negatief zijn.")
    full = extend_with_totals(counts, row_totals=row_totals, col_totals=col_totals)
    values = full.to_numpy()
    n_rows, n_cols = counts.shape
    small = np.zeros(values.shape, dtype=bool)
    small[:n_rows, :n_cols] = (counts.to_numpy() > 0) & (counts.to_numpy() < THRESHOLD)
    hidden = small.copy()
    cells = hidden[:n_rows, :n_cols]
    if row_totals:
        hidden[:n_rows, -1] |= cells.any(axis=1)
    if col_totals:
        hidden[-1, :n_cols] |= cells.any(axis=0)
    if row_totals and col_totals:
        hidden[-1, -1] |= cells.any()
    shown = np.where(hidden, np.nan, np.vectorize(round_count, otypes=[float])(values))
    state = np.array([[CellState.SUPPRESSED if h else CellState.SHOWN for h in row]
                      for row in hidden], dtype=object)

    def frame(a: np.ndarray, dtype: object = None) -> pd.DataFrame:
        return pd.DataFrame(a, index=full.index, columns=full.columns, dtype=dtype)

    return ProtectedTable(shown=frame(shown), state=frame(state, object), small=frame(small))
