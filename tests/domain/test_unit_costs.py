"""Financiën: a year's spending per household coached and per frail elderly person in view,
with a quarter still being delivered left out and no division by zero."""

import pandas as pd

from dashboard.domain.monitoring import unit_costs

SPENDING = pd.DataFrame({"year": [2025, 2026, 2026, 2026],
                         "programme_key": ["pw", "pw", "pw", "bz"],
                         "amount_eur": [1.0, 60_000.0, 30_000.0, 500_000.0]})
MONTHS = pd.DataFrame({
    "month": ["2025-12-01", "2026-01-01", "2026-01-01", "2026-02-01"],
    "active_households": [99, 20, 10, 35],
    "new_huisarts": [9, 2, 1, 3], "new_wijkteam": [9, 1, 0, 1], "new_zelf": [9, 0, 1, 0],
    "new_overig": [9, 1, 0, 0], "programme_key": "pw"})
QUARTERS = pd.DataFrame({
    "team": ["KT-01", "KT-02", "KT-01", "KT-02", "KT-01"],
    "quarter": ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3"],
    "frail_elderly": [100, 140, 110, 150, 5], "programme_key": "pw"})


def test_spending_per_household_coached_and_per_elderly_person_in_view():
    """Only the spending of the programme with coaches and kernteams ("pw") is divided; the
    500.000 of a programme without them ("bz") is not."""
    costs = unit_costs(SPENDING, MONTHS, QUARTERS, 2026)
    # households: 30 active in January, plus 4 + 2 new in January and 4 in February
    assert costs.households == 30 + 10 and costs.spent_eur == 90_000
    assert costs.per_household_eur == 2_250
    # elderly: mean of the two complete quarters (240, 260); Q3 has one of two teams
    assert costs.frail_elderly == 250 and costs.per_elderly_eur == 360


def test_no_coaches_or_kernteams_gives_no_unit_cost_and_no_spending_none_at_all():
    empty = unit_costs(SPENDING, MONTHS.iloc[0:0], QUARTERS.iloc[0:0], 2026)
    assert empty.per_household_eur is None and empty.per_elderly_eur is None
    assert unit_costs(SPENDING, MONTHS, QUARTERS, 2024) is None
