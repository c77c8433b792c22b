"""Evidence strength that means something: direction, timing and comparison series.

Regression tests for the issue "Evidence a wethouder can act on": each case below was
judged wrongly by the signal-counting rule (admissions up 50% read *sterk*; a pre-
intervention outlier alone read *sterk*; comparison series alone were treated as the
pilot; a comparison area falling as much as the pilot left the level *sterk*)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.domain import evidence, spc

BASE = [50, 46, 54, 48, 52, 47, 53, 49, 51, 45, 55, 50]  # 12 quarters around 50 per 1.000
DROP = [30, 28, 32, 29, 31, 30, 27, 33]  # admissions down 40% after the start
RISE = [75, 72, 78, 74, 76, 75, 73, 77]  # admissions up 50% after the start
FLAT = [49, 52, 47, 51, 50, 48, 53, 50]
START = pd.Timestamp("2023-01-01")  # the 13th quarter


def frame(*series: tuple[list[float], bool], polarity: str = "lager is beter",
          status: dict[int, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decision evidence as ``queries.decision_evidence`` returns it: quarterly admissions
    per 1.000 frail elderly (1.000 each quarter); the pilots' intervention at START."""
    rows, marks = [], []
    quarters = pd.date_range("2020-01-01", periods=20, freq="QS")
    for sid, (counts, comparison) in enumerate(series, start=1):
        for i, (q, c) in enumerate(zip(quarters, counts, strict=False)):
            state = (status or {}).get(i, "ok") if not comparison else "ok"
            rows.append({"series_id": sid, "label": "Opnames", "where": f"gebied {sid}",
                         "unit": "per 1.000", "chart": "u", "multiplier": 1000.0,
                         "is_comparison": comparison, "period": f"{q.year}-Q{q.quarter}",
                         "period_start": q, "value": c if state == "ok" else None,
                         "numerator": c if state == "ok" else None, "denominator": 1000.0,
                         "status": state, "polarity": polarity})
        if not comparison:
            marks.append({"series_id": sid, "started_on": START, "label": "Start"})
    return pd.DataFrame(rows), pd.DataFrame(marks)


def strength(*series: tuple[list[float], bool], **kw) -> evidence.Strength:
    points, marks = frame(*series, **kw)
    return evidence.evidence_strength(evidence.build_series(points, marks))


def test_admissions_up_fifty_percent_after_the_intervention_is_evidence_against():
    s = strength((BASE + RISE, False))
    assert s.level == "tegen"
    assert "omhoog na de start, de verkeerde kant op" in s.label
    assert "+50%" in s.label  # the rate ratio, written out
    assert s.colour == "red"


def test_a_sustained_fall_while_comparisons_stay_flat_is_strong():
    s = strength((BASE + DROP, False), (BASE + FLAT, True), (BASE[::-1] + FLAT, True))
    assert s.level == "sterk"
    assert s.text.startswith("Bewijs: sterk — Opnames (gebied 1): omlaag na de start (2 van 8 "
                             "punten onder de ondergrens, 8 punten op rij onder de middenlijn; "
                             "−40% (95%-BI ")
    assert s.label.endswith("vergelijkingsreeksen bleven gelijk")


def test_a_pre_intervention_outlier_alone_earns_no_credit():
    spike = list(BASE)
    spike[5] = 120
    s = strength((spike + FLAT, False))
    assert s.level == "zwak"
    assert "geen aantoonbare verandering na de start" in s.label


def test_a_run_that_began_before_the_intervention_earns_no_credit():
    early = BASE[:8] + [30, 29, 31, 28] + DROP  # the fall began four quarters before the start
    series = evidence.build_series(*frame((early, False)))
    assert series[0].analysis.verdict == spc.SIGNAL
    assert evidence.evidence_strength(series).level in ("zwak", "matig")
    assert evidence.evidence_strength(series).level != "sterk"


def test_only_comparison_series_linked_is_no_pilot_not_evidence():
    s = strength((BASE + DROP, True), (BASE + FLAT, True))
    assert s.level == "geen pilotreeks"
    assert "alleen vergelijkingsreeksen" in s.label


def test_one_of_two_comparison_areas_falling_as_much_as_the_pilot_is_not_strong():
    s = strength((BASE + DROP, False), (BASE + FLAT, True), (BASE + DROP, True))
    assert s.level == "matig"
    assert "1 van 2 vergelijkingsreeksen veranderden ook" in s.label
    both = strength((BASE + DROP, False), (BASE + DROP, True), (BASE + DROP, True))
    assert both.level == "zwak"


def test_too_short_a_baseline_is_too_little_data_not_a_verdict():
    s = strength((BASE + DROP, False), status={0: "ontbreekt", 1: "ontbreekt", 2: "onderdrukt",
                                               3: "ontbreekt"})  # 8 quarters before the start
    assert s.level == "te weinig gegevens"
    assert "8 punten vóór de start, minstens 12 nodig" in s.label


def test_no_series_and_a_neutral_indicator():
    assert evidence.evidence_strength([]).level == "geen gekoppelde reeksen"
    s = strength((BASE + DROP, False), polarity="neutraal")
    assert s.level == "te weinig gegevens" and "geen verwachte richting" in s.label


def test_a_given_expected_direction_overrides_the_polarity():
    points, marks = frame((BASE + RISE, False), polarity="neutraal")
    series = evidence.build_series(points, marks, directions={1: "omhoog"})
    s = evidence.evidence_strength(series)
    assert s.level == "sterk" and "omhoog na de start (8 van 8 punten boven de bovengrens" in s.label
    with pytest.raises(ValueError, match="Verwachte richting 'stijgen' onbekend"):
        evidence.build_series(points, marks, directions={1: "stijgen"})


def test_suppressed_points_stay_as_gaps_and_are_named():
    points, marks = frame((BASE + DROP, False), status={14: "onderdrukt"})
    series = evidence.build_series(points, marks)
    pilot = series[0]
    assert len(pilot.analysis.values) == 20 and pilot.analysis.values[14] is None
    assert pilot.periods[14] == "2023-Q3" and pilot.n_points == 19
    s = evidence.evidence_strength(series)
    assert "onderdrukte punten (gaten in de reeks)" in s.label
    assert "2 van 7 punten onder de ondergrens" in s.label  # the run of 7 is no longer a signal
