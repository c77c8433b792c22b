"""Monitoring logic: URL filters, projects, coach caseloads, kernteam SPC use, budgets."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from dashboard.domain import coaches, funnel, kernteams, monitoring, spc
from dashboard.domain import verdicts as verdicts_module
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store.queries import QUERIES
from dashboard.store.queries_monitoring import MONITORING_QUERIES
from dashboard.ui import exports
from data_loaders.db import make_engine
from data_loaders.seed import SIGNAL_KERNTEAM, SIGNAL_QUARTER
from tests.helpers import AS_OF

R = Role.BESTUURDER


@pytest.fixture(scope="module")
def demo(demo_sqlite_url: str):
    engine = make_engine(demo_sqlite_url)
    yield {name: QUERIES[name](engine, R) for name in MONITORING_QUERIES}
    engine.dispose()


# ---------------------------------------------------------------- data access


def test_monitoring_queries_are_registered_and_refuse_the_public(seeded_engine):
    for name, query in MONITORING_QUERIES.items():
        assert QUERIES[name] is query
        with pytest.raises(AccessDenied):
            query(seeded_engine, Role.PUBLIEK)
    projects = QUERIES["project_list"](seeded_engine, R)
    assert len(projects[projects["programme_key"] == "blauwe-zorg"]) == 8
    assert all(len(d) >= monitoring.MIN_DOMAINS for d in projects["domains"])
    assert QUERIES["kernteam_quarters"](seeded_engine, R)["team"].nunique() == 35


def test_reference_date_of_demo_data_is_its_as_of_date(demo):
    assert demo["monitoring_settings"]["as_of"] == AS_OF
    assert demo["monitoring_settings"]["caseload_norm_per_fte"] == 30


# ---------------------------------------------------------------- filters from the URL

AREAS = {"daalhof": "pluswijken", "hoensbroek": "pluswijken", "limmel": "blauwe-zorg"}


def test_url_values_are_validated_and_unknown_ones_ignored():
    f = monitoring.parse_filters("pluswijken", ["hoensbroek", "onbekend", "limmel", "hoensbroek"],
                                 AREAS)
    assert f == monitoring.Filters("pluswijken", ("hoensbroek",))  # limmel is Blauwe Zorg
    assert monitoring.parse_filters("<script>", ["limmel"], AREAS) == \
        monitoring.Filters(None, ("limmel",))
    assert monitoring.parse_filters(None, [None, 3], AREAS) == monitoring.Filters()


def test_filters_match_single_areas_and_lists_of_areas():
    df = pd.DataFrame({"programme_key": ["pluswijken", "pluswijken", "blauwe-zorg"],
                       "area_key": ["daalhof", "hoensbroek", "limmel"],
                       "area_keys": [["daalhof"], ["daalhof", "hoensbroek"], ["limmel"]]})
    f = monitoring.Filters("pluswijken", ("hoensbroek",))
    assert list(monitoring.apply_filters(df, f).index) == [1]
    assert list(monitoring.apply_filters(df, f, area_col="area_keys").index) == [1]
    assert len(monitoring.apply_filters(df, monitoring.Filters())) == 3


# ---------------------------------------------------------------- projects


def test_domains_rule_needs_two_known_domains():
    assert monitoring.validate_domains(["Wmo", "Zvw"]) == []
    assert monitoring.validate_domains(["Wmo", "Wmo"]) != []
    errors = monitoring.validate_domains(["Wmo", "Onderwijs"])
    assert any("Onderwijs" in e for e in errors) and any("minstens 2" in e for e in errors)


def test_an_unfinished_milestone_past_its_date_is_overdue():
    ms = pd.DataFrame({"project_code": ["A", "A", "A"], "title": ["x", "y", "z"],
                       "due_on": [dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)],
                       "done_on": [dt.date(2026, 2, 1), None, None]})
    out = monitoring.milestone_status(ms, dt.date(2026, 6, 1))
    assert list(out["state"]) == [monitoring.DONE, monitoring.OVERDUE, monitoring.PLANNED]


def test_demo_projects_show_the_overdue_pluspraktijk_milestone(demo):
    overview = monitoring.project_overview(demo["project_list"], demo["project_milestones"],
                                           AS_OF)
    assert overview.loc[overview["overdue"] > 0, "code"].tolist() == ["PW-3"]  # flagged, alone
    completed = overview[overview["status"] == "afgerond"]
    assert (completed["overdue"] == 0).all()
    gantt = monitoring.gantt_frame(overview, AS_OF)
    assert (gantt["end"] >= gantt["start"]).all() and len(gantt) == len(overview)


def test_projects_are_selected_counted_and_offered_by_code(demo):
    projects = demo["project_list"]
    chosen = monitoring.select_projects(projects, monitoring.Filters("blauwe-zorg"), "uitvoering")
    assert set(chosen["status"]) == {"uitvoering"} and set(chosen["programme_key"]) == \
        {"blauwe-zorg"}
    risky = monitoring.select_projects(projects, monitoring.Filters(), None, "risico")
    assert len(risky) and set(risky["health"]) == {"risico"}
    overview = monitoring.project_overview(projects, demo["project_milestones"], AS_OF)
    counts = monitoring.project_counts(overview)
    assert counts.projects == len(projects) == counts.running + int(
        (overview["status"] != "uitvoering").sum())
    assert counts.at_risk == len(risky) and counts.overdue_milestones == overview["overdue"].sum()
    assert monitoring.project_choices(overview)["BZ-1"] == "BZ-1 · Positieve Gezondheid"
    assert monitoring.statuses_present(overview) == [
        s for s in monitoring.STATUS_ORDER if s in set(overview["status"])]
    decisions = monitoring.project_decisions(demo["project_decisions"], "BZ-1")
    assert set(decisions["project_code"]) == {"BZ-1"}
    assert set(decisions["published"]) <= {"ja", "nee"}
    ms = monitoring.milestone_status(demo["project_milestones"], AS_OF)
    marks = monitoring.timeline_marks(ms, monitoring.gantt_frame(overview, AS_OF))
    assert len(marks) == len(ms)
    assert all(label.startswith(code) for label, code in zip(marks["label"], marks["project_code"],
                                                               strict=True))


# ---------------------------------------------------------------- welzijnscoaches


def months_frame() -> pd.DataFrame:
    rows = []
    for month, active in ((dt.date(2026, 1, 1), (20, 40)), (dt.date(2026, 2, 1), (35, 10))):
        for coach, fte, a, area in (("WC-A", 1.0, active[0], "X"), ("WC-B", 0.5, active[1], "Y")):
            rows.append({"coach": coach, "fte": fte, "area": area, "month": month,
                         "active_households": a, "waiting_list": 2, "new_huisarts": 1,
                         "new_wijkteam": 0, "new_zelf": 1, "new_overig": 0,
                         "closed_goal_reached": 3 if coach == "WC-A" else 1,
                         "closed_referred": 0, "closed_dropped_out": 0,
                         "mean_duration_days": 100.0 if coach == "WC-A" else 200.0})
    return pd.DataFrame(rows)


def test_caseload_against_the_norm_flags_overload():
    caseload = coaches.coach_caseload(months_frame(), norm_per_fte=30)
    row = caseload.set_index("coach")
    assert row.loc["WC-A", "capacity_used_pct"] == pytest.approx(35 / 30 * 100)
    assert row.loc["WC-A", "overloaded"] and not row.loc["WC-B", "overloaded"]
    # the norm is a setting: a higher norm lifts the overload
    assert not coaches.coach_caseload(months_frame(), norm_per_fte=40)["overloaded"].any()
    january = coaches.coach_caseload(months_frame(), 30, month=dt.date(2026, 1, 1))
    assert january.set_index("coach").loc["WC-B", "overloaded"]  # 40 on 0,5 fte


def test_area_caseload_and_mean_duration_come_from_sums():
    per_area = coaches.area_caseload(months_frame(), 30)
    # Jan X 20/30, Jan Y 40/15, Feb X 35/30, Feb Y 10/15
    assert list(per_area["overloaded"]) == [False, True, True, False]
    monthly = coaches.monthly_totals(months_frame())
    assert monthly["new"].tolist() == [4, 4]
    # weighted by closed trajectories: (3 × 100 + 1 × 200) / 4, not the mean of 100 and 200
    assert monthly["mean_duration_days"].iloc[0] == pytest.approx(125)
    assert coaches.total_fte(months_frame()) == 1.5


def test_demo_coaches_have_thirty_fte_and_some_overloaded(demo):
    months = demo["coach_months"]
    assert coaches.total_fte(months) == 30.0
    caseload = coaches.coach_caseload(months, demo["monitoring_settings"]
                                         ["caseload_norm_per_fte"])
    assert caseload["overloaded"].any() and not caseload["overloaded"].all()
    assert (caseload["overloaded"] == (caseload["active_households"] > caseload["capacity"])).all()
    hoensbroek = months[months["area_key"] == "hoensbroek"].groupby("month")["waiting_list"].sum()
    assert spc.analyse(list(hoensbroek)).verdict == spc.SIGNAL  # the planted rising waiting list


# ---------------------------------------------------------------- kernteams: SPC use


def quarters_frame(shift_team: str | None, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten teams, 24 quarters of Poisson admissions; ``shift_team`` drops from quarter 12
    (after a baseline of 12 quarters, the least a frozen baseline needs)."""
    rng = np.random.default_rng(seed)
    starts = [dt.date(2020 + i // 4, 1 + 3 * (i % 4), 1) for i in range(24)]
    rows = []
    for t in range(10):
        team = f"T-{t:02d}"
        for i, q in enumerate(starts):
            rate = 0.06 * (0.4 if team == shift_team and i >= 12 else 1)
            n = int(rng.integers(150, 260))
            rows.append({"team": team, "area": "X", "quarter": f"{q.year}-Q{(q.month + 2) // 3}",
                         "quarter_start": q, "frail_elderly": n,
                         "admissions": int(rng.poisson(n * rate)),
                         "ed_visits": 0, "readmissions": 0, "falls": 0,
                         "with_care_plan": 0, "discussed_mdo": 0})
    interventions = pd.DataFrame({"team": [shift_team] if shift_team else [],
                                  "label": ["x"] if shift_team else [],
                                  "started_on": [starts[12]] if shift_team else []})
    return pd.DataFrame(rows), interventions


def test_a_planted_shift_after_an_intervention_is_found():
    quarters, interventions = quarters_frame("T-03", seed=11)
    verdicts = kernteams.team_verdicts(quarters, interventions, metrics=["admissions"])
    found = verdicts.set_index("team").loc["T-03"]
    assert found["verdict"] == spc.SIGNAL
    assert found["direction"] == "daling" and found["favourable"]


def test_noise_mostly_raises_no_signal_across_teams():
    flagged = total = 0
    for seed in range(6):
        quarters, interventions = quarters_frame(None, seed)
        verdicts = kernteams.team_verdicts(quarters, interventions, metrics=["admissions"])
        flagged += int((verdicts["verdict"] == spc.SIGNAL).sum())
        total += len(verdicts)
    assert flagged / total < 0.25


def test_kt07_shows_up_with_a_signal_for_admissions(demo):
    verdicts = kernteams.team_verdicts(demo["kernteam_quarters"], demo["kernteam_interventions"])
    signals = kernteams.signal_list(verdicts)
    kt07 = signals[(signals["team"] == SIGNAL_KERNTEAM) & (signals["metric"] == "admissions")]
    assert len(kt07) == 1 and kt07["direction"].iloc[0] == "daling"
    others = verdicts[(verdicts["metric"] == "admissions") & (verdicts["team"] != SIGNAL_KERNTEAM)]
    assert (others["verdict"] == spc.SIGNAL).mean() < 0.3  # unshifted teams mostly quiet


def test_intervention_freezes_the_baseline_or_starts_a_phase(demo):
    series = kernteams.team_series(demo["kernteam_quarters"], SIGNAL_KERNTEAM)
    dates = list(demo["kernteam_interventions"].query("team == @SIGNAL_KERNTEAM")["started_on"])
    metric = kernteams.METRICS["admissions"]
    cut = list(series["quarter"]).index(SIGNAL_QUARTER)
    frozen = kernteams.analyse_team(series, metric, dates, "baseline").analysis
    assert set(frozen.phase) == {0} and frozen.centre[-1] == frozen.centre[0]
    assert sum(frozen.signal_points[cut:]) >= 6
    phases = kernteams.analyse_team(series, metric, dates, "phases").analysis
    assert phases.phase[cut - 1] == 0 and phases.phase[cut] == 1
    assert phases.centre[-1] < phases.centre[0]


def test_the_minimum_baseline_is_the_setting_passed_in(demo):
    """KT-07's intervention comes after 12 quarters: a frozen baseline with the default
    minimum of 12, none when the setting asks for 13."""
    series = kernteams.team_series(demo["kernteam_quarters"], SIGNAL_KERNTEAM)
    dates = list(demo["kernteam_interventions"].query("team == @SIGNAL_KERNTEAM")["started_on"])
    metric = kernteams.METRICS["admissions"]
    assert spc.frozen_baseline(list(series["quarter_start"]), dates) == 12
    assert kernteams.analyse_team(series, metric, dates).analysis.phases[0].frozen
    strict = kernteams.analyse_team(series, metric, dates, min_baseline=13).analysis
    assert not strict.phases[0].frozen and strict.baseline_too_short


def test_funnel_accounts_for_team_size_and_for_over_dispersion(demo):
    quarters = demo["kernteam_quarters"]
    period = kernteams.funnel_period(quarters, 4)
    metric = kernteams.METRICS["admissions"]
    result = kernteams.team_funnel(quarters, metric, period)
    teams = result.units
    assert len(teams) == 35 and period == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    recent = quarters[quarters["quarter"].isin(period)]
    assert result.target == pytest.approx(
        recent["admissions"].sum() / recent["frail_elderly"].sum() * 1000)
    width = teams["upper998"] - teams["lower998"]
    assert width.iloc[teams["denominator"].idxmin()] > width.iloc[teams["denominator"].idxmax()]
    assert teams.set_index("team").loc[SIGNAL_KERNTEAM, "position"] == "onder"
    assert result.curve["upper998"].is_monotonic_decreasing
    # the teams differ more than chance: the limits are widened (Spiegelhalter), so they
    # lie outside the plain Poisson limits of funnel.funnel(adjust=False)
    plain = funnel.funnel(teams["numerator"], teams["denominator"], kind="u", multiplier=1000,
                          adjust=False)
    assert result.overdispersed and "verbreed" in result.caption
    assert (teams["upper998"] > plain.units["upper998"]).all()


def test_verdicts_per_team_are_direction_aware_and_use_p_or_u_prime(demo):
    verdicts = kernteams.team_verdicts(demo["kernteam_quarters"], demo["kernteam_interventions"])
    kt07 = verdicts.set_index(["team", "metric"]).loc[(SIGNAL_KERNTEAM, "admissions")]
    assert kt07["judgement"] == "verbetering" and kt07["favourable"]
    quiet = verdicts[verdicts["verdict"] == spc.NO_SIGNAL]
    assert set(quiet["judgement"]) == {"geen aantoonbare verandering"}
    assert set(verdicts["chart"]) <= {"p", "u", "p'", "u'"}
    assert (verdicts["points"] == 23).all()  # quarters with figures
    signals = kernteams.signal_list(verdicts)
    assert kernteams.signal_count(signals, "admissions") == int(
        (signals["metric"] == "admissions").sum())
    assert kernteams.first_signal_team(signals, "admissions", ["KT-01"]) == SIGNAL_KERNTEAM
    assert kernteams.first_signal_team(signals.iloc[0:0], "admissions", ["KT-01"]) == "KT-01"
    note = kernteams.chance_note(verdicts)
    expected = verdicts_module.expected_chance_signals(
        zip(verdicts["chart"], verdicts["phase_points"], strict=True))
    assert note.startswith(f"{len(signals)} van de 210 reeksen (35 teams × 6 kengetallen)")
    assert f"toeval alleen zou er ongeveer {round(expected)} geven" in note
    assert "nieuwe signalen per kwartaal toeval" in note


def test_a_rate_that_varies_more_than_chance_gets_a_laney_chart():
    rng = np.random.default_rng(3)
    den = rng.integers(4000, 5000, 20).astype(float)
    rates = 0.05 * np.exp(rng.normal(0, 0.15, 20))  # real quarter-to-quarter variation
    num = np.round(den * rates)
    metric = kernteams.METRICS["admissions"]
    evidence = kernteams.analyse_rate(num, den, metric)
    assert evidence.choice.chart == "u'" and evidence.analysis.chart == "u'"
    assert evidence.choice.caption.startswith("U′-kaart (Laney) gebruikt")
    plain = spc.analyse(list(num), chart="u", denominators=list(den), multiplier=1000)
    laney = evidence.analysis
    assert (np.asarray(laney.upper) - np.asarray(laney.lower)
            > np.asarray(plain.upper) - np.asarray(plain.lower)).all()


def test_team_choices_quarters_and_the_results_of_one_quarter(demo):
    quarters = demo["kernteam_quarters"]
    teams = kernteams.team_choices(quarters)
    assert len(teams) == 35 and teams[SIGNAL_KERNTEAM] == f"{SIGNAL_KERNTEAM} · Hoensbroek"
    assert list(kernteams.quarter_choices(quarters))[0] == "2026-Q3"
    table = kernteams.quarter_table(quarters, "2026-Q3")
    row = table.set_index("team").loc[SIGNAL_KERNTEAM]
    assert row["rate_admissions"] == pytest.approx(row["admissions"] / row["frail_elderly"] * 1000)
    assert row["rate_with_care_plan"] == pytest.approx(
        row["with_care_plan"] / row["frail_elderly"] * 100)
    assert len(table) == 35


# ---------------------------------------------------------------- budgets


def test_budget_shares_add_up_and_insurers_gain_over_time(demo):
    budgets = demo["budgets"]
    by_law = monitoring.budget_by(budgets, "law")
    assert by_law.groupby("year")["share_pct"].sum().round(6).eq(100).all()
    assert by_law["amount_eur"].sum() == pytest.approx(budgets["amount_eur"].sum())
    bz = monitoring.insurer_share(budgets[budgets["programme_key"] == "blauwe-zorg"])
    assert bz["insurer_share_pct"].iloc[-1] > bz["insurer_share_pct"].iloc[0]  # geld volgt zorg


def test_budget_summary_leaves_out_planned_years(demo):
    budgets, spending = demo["budgets"], demo["spending"]
    summary = monitoring.budget_summary(budgets, spending, AS_OF)
    shares = monitoring.insurer_share(budgets).set_index("year")
    assert summary.year == AS_OF.year < budgets["year"].max()  # later years are plans
    assert summary.total_eur == pytest.approx(shares.loc[AS_OF.year, "total_eur"])
    assert summary.share_change_pp == pytest.approx(
        shares.loc[AS_OF.year, "insurer_share_pct"] - shares["insurer_share_pct"].iloc[0])
    # budget and realisation of the same year, never all years' spending beside one budget
    this_year = spending.loc[spending["year"] == AS_OF.year, "amount_eur"].sum()
    assert 0 < this_year < spending["amount_eur"].sum()
    assert summary.spent_eur == pytest.approx(this_year)
    assert summary.realised_pct == pytest.approx(this_year / summary.total_eur * 100)
    assert monitoring.budget_summary(budgets[budgets["year"] > AS_OF.year], spending,
                                     AS_OF) is None
    years = monitoring.spending_years(spending)
    assert years == sorted(years) and years[0] == str(spending["year"].min())
    one = monitoring.spending_in(spending, years[-1])
    assert set(one["year"]) == {int(years[-1])} and len(monitoring.spending_in(spending, "")) \
        == len(spending)


def test_spending_per_area_and_project_keeps_the_total(demo):
    spending = demo["spending"]
    for by in ("area", "project", "law"):
        assert monitoring.spending_by(spending, by)["amount_eur"].sum() == \
            pytest.approx(spending["amount_eur"].sum())


def test_csv_download_suits_dutch_spreadsheets():
    data = exports.to_csv(pd.DataFrame({"Gebied": ["Daalhof"], "Fte": [1.5],
                                                 "Domeinen": [["Wmo", "Zvw"]]}))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back.iloc[0].tolist() == ["Daalhof", 1.5, "Wmo, Zvw"]


def test_the_agenda_and_welzijnscoaches_name_the_same_overloaded_coaches(seeded_engine):
    """One rule and one month: the agenda once used each coach's own latest month and left
    out coaches with an end date, so it could disagree with the page."""
    import datetime as dt

    from sqlalchemy import select, update

    from dashboard.store import meeting
    from data_loaders.db import transaction
    from data_loaders.models import Coach, CoachMonth

    role = Role.PROGRAMMATEAM
    months = MONITORING_QUERIES["coach_months"](seeded_engine, role)
    page = coaches.coach_caseload(months, 30.0)
    latest = page["coach"].iloc[0]  # the most loaded coach of the latest month
    with transaction(seeded_engine) as s:  # that coach leaves at the end of the month ...
        s.execute(update(Coach).where(Coach.code == latest)
                  .values(ended_on=dt.date(2026, 12, 31)))
        quiet = s.scalar(select(Coach.id).where(Coach.code == page["coach"].iloc[-1]))
        s.execute(update(CoachMonth).where(CoachMonth.coach_id == quiet,  # ... another one
                                           CoachMonth.month == months["month"].max())
                  .values(active_households=999))  # is swamped in the latest month
    months = MONITORING_QUERIES["coach_months"](seeded_engine, role)
    on_page = set(coaches.coach_caseload(months, 30.0).query("overloaded")["coach"])
    on_agenda = set(meeting.overloaded_coaches(seeded_engine, role)["coach"])
    assert on_agenda == on_page
    assert latest in on_agenda and page["coach"].iloc[-1] in on_agenda
    agenda = meeting.agenda(seeded_engine, role, dt.date(2026, 11, 23))
    listed = next(s for s in agenda if s.key == "coaches").items
    assert {item.title.split(" ")[0] for item in listed} == on_page
