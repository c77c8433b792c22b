"""Incomplete periods (issue 12 item 5): a quarter or month that not every kernteam or
coach has delivered is named as incomplete, stays a gap in trends, and is never compared
as if complete; headline changes compare like with like."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.domain import coaches, kernteams, monitoring, overview
from dashboard.domain.monitoring import Delivery
from dashboard.domain.roles import Role
from dashboard.store.queries import QUERIES
from data_loaders.db import make_engine

ADMISSIONS = kernteams.METRICS["admissions"]
Q = [dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1)]


def quarter_rows(plan: dict[str, list[tuple[int, int] | None]]) -> pd.DataFrame:
    """Rows of ``kernteam_quarters`` for teams with (admissions, frail elderly) per quarter
    of ``Q``; None = not delivered."""
    rows = []
    for team, values in plan.items():
        for start, value in zip(Q, values, strict=False):
            if value is None:
                continue
            admissions, frail = value
            rows.append({"team": team, "area": "X", "programme": "PlusWIJken",
                         "quarter": kernteams.quarter_label(start), "quarter_start": start,
                         "frail_elderly": frail, "admissions": admissions, "ed_visits": 1,
                         "readmissions": 0, "falls": 1, "with_care_plan": 1, "discussed_mdo": 1})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the rule


def test_a_unit_is_expected_from_its_first_delivery_until_its_end_date():
    rows = pd.DataFrame({
        "coach": ["A", "B", "A", "C", "A", "C"],
        "month": [dt.date(2026, 1, 1)] * 2 + [dt.date(2026, 2, 1)] * 2 + [dt.date(2026, 3, 1)] * 2,
        "ended_on": [None, dt.date(2026, 1, 20), None, None, None, None]})
    got = monitoring.deliveries(rows, unit="coach", period="month", ended="ended_on")
    # B left in January: February and March are complete without B; C joined in February
    assert [(d.delivered, d.expected, d.complete) for d in got] == [
        (2, 2, True), (2, 2, True), (2, 2, True)]
    without_end = monitoring.deliveries(rows, unit="coach", period="month")
    assert [d.text("coaches") for d in without_end] == [
        "2 van 2 coaches aangeleverd", "2 van 3 coaches aangeleverd",
        "2 van 3 coaches aangeleverd"]


def test_the_latest_complete_period_and_the_pending_ones():
    jan, feb, mar = (dt.date(2026, m, 1) for m in (1, 2, 3))
    periods = [Delivery(jan, 3, 3), Delivery(feb, 3, 3), Delivery(mar, 1, 3)]
    assert monitoring.latest_complete(periods).period == feb
    assert monitoring.pending(periods) == [Delivery(mar, 1, 3)]
    none_complete = [Delivery(jan, 1, 2), Delivery(feb, 1, 2)]
    assert monitoring.latest_complete(none_complete).period == feb
    assert monitoring.pending(none_complete) == [Delivery(feb, 1, 2)]  # shown, but marked
    assert monitoring.latest_complete([]) is None and monitoring.pending([]) == []


# ---------------------------------------------------------------- kernteams


def test_a_quarter_two_of_three_teams_have_not_delivered_is_not_the_headline():
    quarters = quarter_rows({"A": [(10, 200), (10, 200), (10, 200), (1, 200)],
                             "B": [(12, 200), (12, 200), (12, 200)],
                             "C": [(8, 200), (8, 200), (8, 200)]})
    head = kernteams.headline(quarters, ADMISSIONS)
    assert head.quarter == "2026-Q3" and head.teams == 3
    assert head.rate == pytest.approx(30 / 600 * 1000)
    assert kernteams.delivery_notes(head.pending) == ["2026-Q4: 1 van 3 teams aangeleverd"]


def test_the_change_from_the_previous_quarter_is_over_the_teams_that_delivered_both():
    # B's small, low-rate figures are missing in Q1: the naive change would mix teams
    quarters = quarter_rows({"A": [(20, 200), (22, 200)], "B": [None, (1, 100)]})
    change = kernteams.matched_change(quarters, ADMISSIONS, Q[1], Q[0])
    assert change == pytest.approx((22 - 20) / 200 * 1000)  # A only: +10
    naive = 23 / 300 * 1000 - 20 / 200 * 1000  # -23,3: a fall that did not happen
    assert naive < 0 < change
    assert kernteams.matched_change(quarters, ADMISSIONS, Q[1], dt.date(2025, 10, 1)) is None
    assert kernteams.previous_quarter(dt.date(2026, 1, 1)) == dt.date(2025, 10, 1)
    assert kernteams.previous_quarter(dt.date(2026, 7, 1)) == dt.date(2026, 4, 1)


def test_an_incomplete_quarter_is_a_gap_in_the_programme_trend():
    quarters = quarter_rows({"A": [(10, 200), None, (10, 200), (10, 200)],
                             "B": [(12, 200), (12, 200), (12, 200), (2, 50)]})
    trend = kernteams.programme_trend(quarters, ADMISSIONS)
    assert list(trend["complete"]) == [True, False, True, True]
    assert list(trend["teams"]) == [2, 1, 2, 2] and list(trend["expected"]) == [2, 2, 2, 2]
    assert trend["rate"].isna().tolist() == [False, True, False, False]
    evidence = kernteams.analyse_rate(trend["admissions"], trend["frail_elderly"], ADMISSIONS)
    assert evidence.analysis.values[1] is None and evidence.analysis.n == 4


def test_a_quarter_a_team_did_not_deliver_stays_on_its_axis_as_a_gap():
    quarters = quarter_rows({"A": [(10, 200), None, (10, 200), (10, 0)],
                             "B": [(12, 200), (12, 200), (12, 200), (12, 200)]})
    series = kernteams.team_series(quarters, "A")
    assert list(series["quarter"]) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert series["admissions"].isna().tolist() == [False, True, False, True]  # 0 frail: a gap
    analysis = kernteams.analyse_team(series, ADMISSIONS, []).analysis
    assert [v is None for v in analysis.values] == [False, True, False, True]
    assert kernteams.quarter_range(dt.date(2025, 10, 1), dt.date(2026, 4, 1)) == [
        dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)]


def test_the_funnel_compares_the_latest_complete_quarters():
    quarters = quarter_rows({t: [(10, 200)] * 3 + ([(1, 200)] if t == "A" else [])
                             for t in ("A", "B", "C")})
    assert kernteams.funnel_period(quarters, 2) == ["2026-Q2", "2026-Q3"]
    assert kernteams.quarter_delivery(quarters, "2026-Q4") == Delivery(Q[3], 1, 3)


@pytest.fixture(scope="module")
def demo(demo_sqlite_url: str):
    engine = make_engine(demo_sqlite_url)
    yield {name: QUERIES[name](engine, Role.BESTUURDER)
           for name in ("areas", "coach_months", "kernteam_quarters", "projects_by_status")}
    engine.dispose()


def new_quarter(quarters: pd.DataFrame, teams: list[str], admissions: int) -> pd.DataFrame:
    """``quarters`` plus 2026-Q4 for ``teams`` only, with few admissions."""
    rows = quarters[(quarters["quarter"] == "2026-Q3") & quarters["team"].isin(teams)].copy()
    rows["quarter"], rows["quarter_start"], rows["admissions"] = "2026-Q4", Q[3], admissions
    return pd.concat([quarters, rows], ignore_index=True)


def test_overzicht_headline_keeps_the_complete_quarter_when_two_of_35_teams_delivered(demo):
    quarters = new_quarter(demo["kernteam_quarters"], ["KT-01", "KT-02"], 1)
    before = {h.programme: h for h in overview.programme_headlines(
        demo["areas"], demo["coach_months"], demo["kernteam_quarters"],
        demo["projects_by_status"], 30.0)}["PlusWIJken"]
    after = {h.programme: h for h in overview.programme_headlines(
        demo["areas"], demo["coach_months"], quarters, demo["projects_by_status"],
        30.0)}["PlusWIJken"]
    assert after.admissions_quarter == before.admissions_quarter == "2026-Q3"
    assert after.admissions_per_1000 == before.admissions_per_1000
    assert after.admissions_delta == pytest.approx(before.admissions_delta)
    assert after.admissions_pending == ["2026-Q4: 2 van 35 teams aangeleverd"]
    assert before.admissions_pending == []
    trend = overview.admissions_trends(quarters)[0]
    assert trend.rows["quarter"].iloc[-1] == "2026-Q4" and not trend.rows["complete"].iloc[-1]
    assert trend.evidence.analysis.values[-1] is None  # a gap, not a fall


# ---------------------------------------------------------------- coaches


def coach_rows(plan: dict[str, list[int | None]], ended: dict[str, dt.date] | None = None
               ) -> pd.DataFrame:
    months = [dt.date(2026, m, 1) for m in range(1, 13)]
    rows = []
    for coach, values in plan.items():
        for month, active in zip(months, values, strict=False):
            if active is None:
                continue
            rows.append({"coach": coach, "area": "X", "programme": "PlusWIJken", "fte": 1.0,
                         "month": month, "ended_on": (ended or {}).get(coach),
                         "active_households": active, "waiting_list": 2, "new_huisarts": 1,
                         "new_wijkteam": 0, "new_zelf": 0, "new_overig": 0,
                         "closed_goal_reached": 1, "closed_referred": 0, "closed_dropped_out": 0,
                         "mean_duration_days": 90.0})
    return pd.DataFrame(rows)


def test_coach_figures_are_those_of_the_latest_month_every_coach_delivered():
    months = coach_rows({"A": [30, 31, 32], "B": [20, 21, 22], "C": [25, 26]})
    assert coaches.latest_month(months) == dt.date(2026, 2, 1)
    head = coaches.headline(months, 30.0)
    assert head.month == dt.date(2026, 2, 1) and head.active_households == 31 + 21 + 26
    assert coaches.delivery_notes(head.pending) == ["mrt 2026: 2 van 3 coaches aangeleverd"]
    assert set(coaches.coach_caseload(months, 30.0)["coach"]) == {"A", "B", "C"}
    programme = coaches.programme_caseload(months, 30.0).iloc[0]
    assert programme["month"] == dt.date(2026, 2, 1) and programme["active_households"] == 78
    # a coach who left is not expected any more: March is complete without C
    left = coach_rows({"A": [30, 31, 32], "B": [20, 21, 22], "C": [25, 26]},
                      ended={"C": dt.date(2026, 2, 28)})
    assert coaches.latest_month(left) == dt.date(2026, 3, 1)


def test_an_incomplete_or_empty_month_is_a_gap_in_the_run_charts():
    months = coach_rows({"A": [30, 31, None, 33, 34], "B": [20, 21, None, 23]})
    monthly = coaches.monthly_totals(months)
    assert [m.month for m in monthly["month"]] == [1, 2, 3, 4, 5]  # March stays on the axis
    assert monthly["complete"].tolist() == [True, True, False, True, False]
    analysis, verdict = coaches.run_chart(monthly, coaches.RUN_SERIES[1])
    assert [v is None for v in analysis.values] == [False, False, True, False, True]
    assert verdict.key == "te weinig gegevens"  # 3 months: no verdict yet
