"""Disclosure control (SPEC §6): the one owner of the rule for publishing figures.

On public pages, and anywhere a figure could identify people:
- counts from 1 to 9 are not shown (they read "<10": *primary* suppression);
- shown counts are rounded to the nearest multiple of 5;
- rates whose numerator is below 10 are not shown;
- *secondary* suppression: in a table with totals, more cells (or the total) are hidden
  until no hidden cell can be recomputed from the published cells and totals.
A suppressed value is a state of its own (``CellState.SUPPRESSED``), never zero and never
missing. Internal pages show small numbers but mark them (``mark_small``).

Pure functions without Streamlit; public queries call them *before* returning, so an
unsuppressed figure never reaches a public page or a cache entry it could share.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from dashboard.domain.i18n import EMPTY, fmt_number

THRESHOLD = 10  # counts below this (and above zero) are small
ROUND_TO = 5
SMALL_TEXT = "<10"  # a count from 1 to 9
HIDDEN_TEXT = "•"  # hidden so that a small count elsewhere cannot be recomputed
TOTAL = "Totaal"
LEGEND = (f"{SMALL_TEXT} = minder dan 10, niet getoond · {HIDDEN_TEXT} = niet getoond omdat "
          "anders een klein aantal te herleiden is · aantallen afgerond op 5 · percentages "
          "en verhoudingen alleen bij een teller van 10 of meer.")


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


def disclose_rate(numerator: float | int | None, denominator: float | int | None,
                  multiplier: float = 1.0) -> Disclosed:
    """A rate ``numerator / denominator * multiplier``, hidden when the numerator is below 10.

    An unknown numerator means the rule cannot be checked, so the rate is not shown.
    """
    if _is_missing(numerator) or _is_missing(denominator) or not denominator:
        return Disclosed(None, CellState.MISSING)
    if float(numerator) < THRESHOLD:  # type: ignore[arg-type]
        return Disclosed(None, CellState.SUPPRESSED, small=True)
    return Disclosed(float(numerator) / float(denominator) * multiplier,  # type: ignore[arg-type]
                     CellState.SHOWN)


def mark_small(count: float | int | None) -> str:
    """Internal pages: the exact count, marked when it is small ("7 (klein aantal)")."""
    if _is_missing(count):
        return EMPTY
    text = fmt_number(count, 0)  # type: ignore[arg-type]
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


def constraints(shape: tuple[int, int], *, row_totals: bool, col_totals: bool) -> np.ndarray:
    """The additivity equations of an extended table (cells flattened row by row).

    Row equation: the cells of a row minus its total are 0; likewise for columns. These are
    all an outsider can use to recompute a hidden cell from the published ones.
    """
    n_rows, n_cols = shape
    data_rows = n_rows - 1 if col_totals else n_rows
    data_cols = n_cols - 1 if row_totals else n_cols
    eqs = []
    if row_totals:
        for r in range(n_rows):
            eq = np.zeros(n_rows * n_cols)
            eq[r * n_cols: r * n_cols + data_cols] = 1
            eq[r * n_cols + n_cols - 1] = -1
            eqs.append(eq)
    if col_totals:
        for c in range(n_cols):
            eq = np.zeros(n_rows * n_cols)
            eq[[r * n_cols + c for r in range(data_rows)]] = 1
            eq[(n_rows - 1) * n_cols + c] = -1
            eqs.append(eq)
    return np.array(eqs) if eqs else np.zeros((0, n_rows * n_cols))


def derivable(hidden: np.ndarray, equations: np.ndarray) -> np.ndarray:
    """Which hidden cells (flat mask) have a value fixed by the equations and the shown cells.

    A hidden cell can be recomputed exactly when no change of the hidden cells that keeps
    every equation true can change it: when its entry is zero in every null-space vector of
    the equations restricted to the hidden cells.
    """
    idx = np.flatnonzero(hidden)
    out = np.zeros(hidden.shape, dtype=bool)
    if not len(idx):
        return out
    sub = equations[:, idx]
    sub = sub[np.abs(sub).sum(axis=1) > 0]
    if not len(sub):
        return out
    free = null_space(sub)
    fixed = np.abs(free).max(axis=1, initial=0.0) < 1e-9 if free.size else np.ones(len(idx), bool)
    out[idx[fixed]] = True
    return out


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

    Primary: every count (cell or total) from 1 to 9 is hidden. Secondary: while some
    hidden cell can be recomputed from the shown cells and totals, hide the smallest shown
    positive count that shares a row or column with it (a total when nothing else is left).
    Shown counts are rounded to 5 afterwards.
    """
    if counts.isna().any().any():
        bad = counts.stack(future_stack=True)
        where = bad[bad.isna()].index[0]
        raise ValueError(f"Ontbrekend aantal in rij '{where[0]}', kolom '{where[1]}'.")
    if (counts < 0).any().any():
        raise ValueError("Aantallen kunnen niet negatief zijn.")
    full = extend_with_totals(counts, row_totals=row_totals, col_totals=col_totals)
    values = full.to_numpy().ravel()
    n_rows, n_cols = full.shape
    eqs = constraints((n_rows, n_cols), row_totals=row_totals, col_totals=col_totals)
    small = (values > 0) & (values < THRESHOLD)
    hidden = small.copy()
    while True:
        exposed = np.flatnonzero(derivable(hidden, eqs))
        if not len(exposed):
            break
        hidden[_partner(exposed[0], hidden, values, eqs)] = True
    shown = np.where(hidden, np.nan, [round_count(v) for v in values])
    shape = (n_rows, n_cols)
    state = np.array([CellState.SUPPRESSED if h else CellState.SHOWN for h in hidden], dtype=object)
    def frame(a: np.ndarray, dtype: object = None) -> pd.DataFrame:
        return pd.DataFrame(a.reshape(shape), index=full.index, columns=full.columns, dtype=dtype)

    return ProtectedTable(shown=frame(shown), state=frame(state, object), small=frame(small))


def _partner(cell: int, hidden: np.ndarray, values: np.ndarray, eqs: np.ndarray) -> int:
    """The cell to hide next to protect ``cell``: the smallest positive shown count in an
    equation with it; failing that any shown cell in such an equation; failing that (the
    cell is exposed through a chain of equations) the smallest shown count in any equation
    that holds a hidden cell."""
    for pool in (eqs[eqs[:, cell] != 0], eqs[(eqs[:, hidden] != 0).any(axis=1)]):
        members = np.flatnonzero((pool != 0).any(axis=0) & ~hidden)
        if len(members):
            positive = members[values[members] > 0]
            choose = positive if len(positive) else members
            return int(choose[np.argmin(values[choose])])
    raise AssertionError("a derivable hidden cell always shares an equation with a shown cell")
