"""Decisions, evidence strength and the casussenboek: pure functions and their queries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.domain import evidence, learning, monitoring
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import queries
from data_loaders.db import transaction
from data_loaders.models import Decision, DecisionEvidence, Kernteam, Project
from data_loaders.seed import SIGNAL_KERNTEAM

INTERNAL = ["decisions", "decision_case_links", "cases"]
PUBLIC = ["published_lesson_cases", "public_indicators"]


# Evidence strength itself is tested in tests/domain/test_evidence_strength.py.


def test_due_for_review_skips_evaluated_decisions():
    df = pd.DataFrame({"review_on": [dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1), None],
                       "status": ["open", "geëvalueerd", "open", "open"]})
    assert learning.due_for_review(df, dt.date(2026, 1, 1)).tolist() == [True, False, False, False]


def test_url_values_outside_the_options_are_ignored():
    assert monitoring.clean_choice("stoppen", learning.OUTCOMES) == "stoppen"
    assert monitoring.clean_choice("stoppen' OR 1=1", learning.OUTCOMES) is None
    assert monitoring.clean_choice(None, learning.OUTCOMES) is None


def test_case_search_and_counts_per_category():
    cases = pd.DataFrame({
        "code": ["C-1", "C-2", "C-3"], "title": ["Tussen twee wetten", "Buurt", "Regels"],
        "summary": ["a", "b", "c"], "lessons": ["budget volgt zorg", "huiskamer", "ruimte"],
        "knelpunt": [2, 5, 2], "domains": [["Wmo", "Zvw"], ["Wpg"], ["Wmo", "Jeugdwet"]],
        "area": ["Limmel", "Daalhof", "Limmel"],
        "recorded_on": [dt.date(2018, 1, 1), dt.date(2020, 1, 1), dt.date(2020, 5, 1)]})
    assert learning.search_cases(cases, text="BUDGET")["code"].tolist() == ["C-1"]
    assert learning.search_cases(cases, domains=["Wmo"])["code"].tolist() == ["C-1", "C-3"]
    assert learning.search_cases(cases, domains=["Wmo", "Zvw"])["code"].tolist() == ["C-1"]
    assert learning.search_cases(cases, knelpunten=[5], area="Daalhof")["code"].tolist() == ["C-2"]
    counts = learning.cases_per_category_year(cases).set_index(["year", "knelpunt"])["cases"]
    assert counts[(2020, 2)] == 1 and counts[(2019, 2)] == 0  # empty years are zeros, not gaps
    assert counts.sum() == 3


@pytest.mark.parametrize("name", INTERNAL)
def test_internal_learning_queries_refuse_anonymous_visitors(seeded_engine, name):
    with pytest.raises(AccessDenied):
        queries.QUERIES[name](seeded_engine, Role.PUBLIEK)
    assert len(queries.QUERIES[name](seeded_engine, Role.BESTUURDER)) > 0


def test_evidence_queries_refuse_anonymous_visitors(seeded_engine):
    for name in ("decision_evidence", "decision_interventions"):
        with pytest.raises(AccessDenied):
            queries.QUERIES[name](seeded_engine, Role.PUBLIEK, decision_id=1)


@pytest.mark.parametrize("name", PUBLIC)
def test_public_learning_queries_answer_anonymous_visitors(seeded_engine, name):
    assert len(queries.QUERIES[name](seeded_engine, Role.PUBLIEK)) > 0


def test_public_figures_carry_no_numerators_or_denominators(seeded_engine):
    df = queries.QUERIES["public_indicators"](seeded_engine, Role.PUBLIEK)
    assert not {"numerator", "denominator", "value"} & set(df.columns)
    assert set(df["count_state"]) <= {"ok", "onderdrukt", "ontbreekt"}
    assert df.loc[df["count_state"] == "onderdrukt", "rate"].isna().all()
    assert (df["count_state"] == "onderdrukt").any()  # the demo data has small numbers


def test_kernteam_signal_is_found_in_the_scale_up_decision(seeded_engine):
    with transaction(seeded_engine) as s:
        decision_id = s.scalar(
            select(Decision.id).join(DecisionEvidence, DecisionEvidence.decision_id == Decision.id)
            .join(Kernteam, Kernteam.id == DecisionEvidence.kernteam_id)
            .where(Kernteam.code == SIGNAL_KERNTEAM))
    points = queries.QUERIES["decision_evidence"](seeded_engine, Role.BESTUURDER, decision_id=decision_id)
    marks = queries.QUERIES["decision_interventions"](seeded_engine, Role.BESTUURDER,
                                                      decision_id=decision_id)
    series = evidence.build_series(points, marks)
    team = next(x for x in series if SIGNAL_KERNTEAM in x.where)
    assert team.analysis.chart == "u"
    assert team.verdict == "signaal"
    assert team.baseline == 12  # 2021-Q1 .. 2023-Q4 before the proactive care plans
    # the rate is admissions per 1,000 frail elderly, recomputed from the counts
    first = team.points.iloc[0]
    assert team.analysis.values[0] == pytest.approx(first["numerator"] / first["denominator"] * 1000)
    assert team.n_total == pytest.approx(team.points["denominator"].sum())
    assert any(x.is_comparison for x in series)
    # 12 quarters before the proactive care plans: the baseline is frozen, and the drop in
    # admissions afterwards is favourable evidence, written out
    assert not team.analysis.baseline_too_short
    strength = evidence.evidence_strength(series)
    assert strength.level in ("sterk", "matig"), strength.label
    assert strength.label.startswith(f"{strength.level} — ") and "omlaag na de start" in strength.label


def test_decisions_list_areas_and_counts(seeded_engine):
    df = queries.QUERIES["decisions"](seeded_engine, Role.BESTUURDER)
    with transaction(seeded_engine) as s:
        total = len(s.scalars(select(Decision.id).where(Decision.deleted.is_(False))).all())
        bz8 = s.scalar(select(Decision.id).join(Project, Project.id == Decision.project_id)
                       .where(Project.code == "BZ-8"))
    assert len(df) == total
    row = df.set_index("id").loc[bz8]
    assert sorted(row["areas"]) == ["Limmel", "Nazareth", "Wittevrouwenveld", "Wyckerpoort"]
    assert row["n_evidence"] == 5 and row["n_cases"] == 2
    assert sorted(row["area_keys"]) == ["limmel", "nazareth", "wittevrouwenveld", "wyckerpoort"]
    filtered = learning.filter_decisions(df, area="limmel", outcome="opschalen")
    assert bz8 in set(filtered["id"]) and (filtered["outcome"] == "opschalen").all()
    assert np.all([("Limmel" in a) for a in filtered["areas"]])


def test_a_series_without_usable_points_has_no_verdict_and_says_why():
    points = pd.DataFrame({
        "series_id": [1, 1, 2, 2], "label": "x", "where": ["A", "A", "B", "B"], "unit": "%",
        "chart": "p", "multiplier": 100.0, "is_comparison": False,
        "period": ["2020", "2021"] * 2,
        "period_start": pd.to_datetime(["2020-01-01", "2021-01-01"] * 2),
        "value": [None, None, 50.0, 40.0], "numerator": [None, None, 5.0, 40.0],
        "denominator": [None, 80.0, 10.0, 100.0],
        "status": ["onderdrukt", "ontbreekt", "ok", "ok"]})
    empty, short = evidence.build_series(points)
    assert (empty.n_points, empty.n_suppressed, empty.verdict) == (0, 1, "te weinig punten")
    assert (short.n_points, short.n_small) == (2, 1)
    assert empty.analysis.values == [] and short.analysis.values[0] is not None
    assert evidence.evidence_strength([empty, short]).level == "te weinig gegevens"
