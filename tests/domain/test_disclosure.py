"""Disclosure control (SPEC §6): single figures, and tables whose totals must not betray a
hidden cell. Property tests check the published table the way an outsider would attack it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain import disclosure as d
from dashboard.domain.disclosure import CellState

# Tables where small counts are common, so suppression patterns are varied.
counts = st.integers(min_value=0, max_value=40)


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 5))
    cells = draw(st.lists(st.lists(counts, min_size=n_cols, max_size=n_cols),
                          min_size=n_rows, max_size=n_rows))
    return pd.DataFrame(cells, index=[f"r{i}" for i in range(n_rows)],
                        columns=[f"c{j}" for j in range(n_cols)])


margins = st.sampled_from([(True, True), (True, False), (False, True)])


def true_table(counts_df: pd.DataFrame, row_totals: bool, col_totals: bool) -> np.ndarray:
    """The extended table computed independently of the module (the secret truth)."""
    a = counts_df.to_numpy(dtype=float)
    if row_totals:
        a = np.column_stack([a, a.sum(axis=1)])
    if col_totals:
        a = np.vstack([a, a.sum(axis=0)])
    return a


def lines(shape: tuple[int, int], row_totals: bool, col_totals: bool) -> list[list[tuple[int, int]]]:
    """Each row (when rows have totals) and column (when columns have totals) of the table."""
    n_rows, n_cols = shape
    out = []
    if row_totals:
        out += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if col_totals:
        out += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    return out


def recomputable(truth: np.ndarray, hidden: np.ndarray, row_totals: bool, col_totals: bool) -> list:
    """Hidden cells an outsider can solve for exactly: write every row/column sum as a linear
    equation in the hidden cells; a cell is pinned down when its unit vector lies in the span of
    those equations (rank does not grow when it is added)."""
    n_rows, n_cols = truth.shape
    hidden_cells = list(zip(*np.nonzero(hidden), strict=True))
    if not hidden_cells:
        return []
    pos = {cell: i for i, cell in enumerate(hidden_cells)}
    rows = []
    for line in lines(truth.shape, row_totals, col_totals):
        *members, total = line
        eq = np.zeros(len(hidden_cells))
        for cell in members:
            if cell in pos:
                eq[pos[cell]] += 1
        if total in pos:
            eq[pos[total]] -= 1
        if eq.any():
            rows.append(eq)
    if not rows:
        return []
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, i in pos.items():
        unit = np.zeros(len(hidden_cells))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(tables(), margins)
def test_no_hidden_cell_can_be_recomputed_from_the_published_table(df, m):
    row_totals, col_totals = m
    table = d.protect_table(df, row_totals=row_totals, col_totals=col_totals)
    truth = true_table(df, row_totals, col_totals)
    hidden = table.hidden.to_numpy()
    # an outsider who even knew the shown cells *unrounded* still cannot solve for any hidden cell
    assert recomputable(truth, hidden, row_totals, col_totals) == []


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(tables(), margins)
def test_a_line_with_a_hidden_cell_hides_at_least_two(df, m):
    row_totals, col_totals = m
    hidden = d.protect_table(df, row_totals=row_totals, col_totals=col_totals).hidden.to_numpy()
    for line in lines(hidden.shape, row_totals, col_totals):
        n_hidden = sum(hidden[cell] for cell in line)
        assert n_hidden != 1, line


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(tables(), margins)
def test_every_small_count_is_hidden_and_every_shown_count_is_rounded(df, m):
    row_totals, col_totals = m
    table = d.protect_table(df, row_totals=row_totals, col_totals=col_totals)
    truth = true_table(df, row_totals, col_totals)
    shown = table.shown.to_numpy()
    state = table.state.to_numpy()
    small = (truth > 0) & (truth < 10)
    assert (state[small] == CellState.SUPPRESSED).all()
    visible = state == CellState.SHOWN
    assert (shown[visible] % 5 == 0).all()
    assert (np.abs(shown[visible] - truth[visible]) <= 2.5).all()
    assert np.isnan(shown[~visible]).all()  # a hidden cell carries no number at all
    text = table.display().to_numpy()
    cells = np.zeros(truth.shape, dtype=bool)
    cells[:df.shape[0], :df.shape[1]] = True
    assert all(t == "<10" for t in text[small & cells])
    assert all(t == "•" for t in text[~cells & ~visible])  # a total never reads "<10"
    assert all(t in {"<10", "•"} for t in text[~visible])


def test_a_small_cell_hides_the_totals_that_add_it_up_and_nothing_else():
    df = pd.DataFrame({"jong": [3, 40, 25], "oud": [30, 22, 18]}, index=["A", "B", "C"])
    table = d.protect_table(df)
    shown = table.display()
    assert shown.loc["A", "jong"] == "<10"
    assert shown.loc["A", "Totaal"] == "•" and shown.loc["Totaal", "jong"] == "•"
    assert shown.loc["Totaal", "Totaal"] == "•"
    # no other cell is hidden as a partner, and the totals without the small cell stay
    assert shown.loc["B", "jong"] == "40" and shown.loc["A", "oud"] == "30"
    assert shown.loc["Totaal", "oud"] == "70" and shown.loc["B", "Totaal"] == "60"
    assert table.state.loc["Totaal", "oud"] is CellState.SHOWN


@pytest.mark.slow
@settings(max_examples=70, deadline=None)
@given(tables(), margins, st.integers(min_value=0))
def test_a_hidden_small_cell_could_be_any_count_from_1_to_9(df, m, pick):
    """The outsider's best attack: the published table, rounding included, must read the
    same whatever a hidden small cell really is. (With cells 1 and 10 and a published
    total "10", the hidden cell could only be 1 or 2.)"""
    row_totals, col_totals = m
    small = [(r, c) for r in df.index for c in df.columns if 0 < df.loc[r, c] < 10]
    if not small:
        return
    r, c = small[pick % len(small)]

    def published(table: d.ProtectedTable) -> tuple:
        return (table.shown.fillna(-1).to_numpy().tolist(), table.state.to_numpy().tolist(),
                (table.small & table.hidden).to_numpy().tolist())

    seen = published(d.protect_table(df, row_totals=row_totals, col_totals=col_totals))
    for value in range(1, 10):
        other = df.copy()
        other.loc[r, c] = value
        assert published(d.protect_table(other, row_totals=row_totals,
                                         col_totals=col_totals)) == seen, value


def test_rates_are_published_as_rounded_as_their_text():
    rate = d.disclose_rate(11, 117, 100)
    assert rate.value == 9.4 and rate.text(d.RATE_DECIMALS) == "9,4"
    assert d.disclose_rate(50, 300, 100).value == 16.7


def test_zero_is_shown_and_missing_input_is_refused_in_dutch():
    table = d.protect_table(pd.DataFrame({"a": [0, 20], "b": [15, 30]}))
    assert table.state.to_numpy().tolist() == [[CellState.SHOWN] * 3] * 3
    assert table.shown.iloc[0, 0] == 0
    with pytest.raises(ValueError, match="rij '1', kolom 'b'"):
        d.protect_table(pd.DataFrame({"a": [1, 2], "b": [3, None]}))


@pytest.mark.parametrize(("count", "text", "state"), [
    (None, "–", CellState.MISSING), (0, "0", CellState.SHOWN), (1, "<10", CellState.SUPPRESSED),
    (9, "<10", CellState.SUPPRESSED), (10, "10", CellState.SHOWN), (12, "10", CellState.SHOWN),
    (13, "15", CellState.SHOWN), (1234, "1.235", CellState.SHOWN),
])
def test_single_counts(count, text, state):
    shown = d.disclose_count(count)
    assert (shown.text(), shown.state) == (text, state)


def test_rates_need_a_numerator_of_ten():
    assert d.disclose_rate(9, 1000, 1000).state is CellState.SUPPRESSED
    assert d.disclose_rate(9, 1000, 1000).text() == "<10"
    assert d.disclose_rate(0, 1000, 1000).state is CellState.SUPPRESSED  # zero is below ten too
    assert d.disclose_rate(10, 1000, 1000).value == pytest.approx(10.0)
    assert d.disclose_rate(None, 1000).state is CellState.MISSING


def test_internal_pages_see_small_numbers_marked():
    assert d.mark_small(7) == "7 (klein aantal)"
    assert d.mark_small(12) == "12"
    assert d.mark_small(0) == "0"
