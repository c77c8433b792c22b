"""What the Besluiten evidence panel shows per series (issue 13): the change after the
start as a direction-aware verdict in words, the difference-in-differences against each
comparison series of the same indicator, and P′/U′ when the periods over-disperse."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.domain import evidence, verdicts

BASE = [50, 46, 54, 48, 52, 47, 53, 49, 51, 45, 55, 50]  # 12 quarters around 50 per 1.000
DROP = [30, 28, 32, 29, 31, 30, 27, 33]
RISE = [75, 72, 78, 74, 76, 75, 73, 77]
FLAT = [49, 52, 47, 51, 50, 48, 53, 50]
START = pd.Timestamp("2023-01-01")  # the 13th quarter


def built(*series: tuple[list[float], bool], label: str = "Opnames", den: float = 1000.0,
          polarity: str = "lager is beter", first: str = "2020-01-01"
          ) -> list[evidence.EvidenceSeries]:
    """Quarterly admissions per 1.000 (``den`` each quarter); the pilots start at START."""
    rows, marks = [], []
    quarters = pd.date_range(first, periods=20, freq="QS")
    for sid, (counts, comparison) in enumerate(series, start=1):
        for q, c in zip(quarters, counts, strict=False):
            rows.append({"series_id": sid, "label": label, "where": f"gebied {sid}",
                         "unit": "per 1.000", "chart": "u", "multiplier": 1000.0,
                         "is_comparison": comparison, "period": f"{q.year}-Q{q.quarter}",
                         "period_start": q, "value": c / den * 1000, "numerator": c,
                         "denominator": den, "status": "ok", "polarity": polarity})
        if not comparison:
            marks.append({"series_id": sid, "started_on": START, "label": "Start"})
    return evidence.build_series(pd.DataFrame(rows), pd.DataFrame(marks))


def test_a_fall_where_lower_is_better_is_an_improvement_in_words():
    pilot, = built((BASE + DROP, False))
    e = evidence.assess(pilot)
    assert evidence.outcome_verdict(e).key == verdicts.IMPROVEMENT
    assert evidence.what_happened(e) == ("Omlaag na de start: 2 van 8 punten onder de "
                                         "ondergrens, 8 punten op rij onder de middenlijn.")


def test_a_rise_where_lower_is_better_is_a_deterioration_in_words():
    pilot, = built((BASE + RISE, False))
    e = evidence.assess(pilot)
    assert evidence.outcome_verdict(e).key == verdicts.DETERIORATION
    assert evidence.what_happened(e).startswith("Omhoog na de start (de ongewenste kant op): ")


def test_too_short_a_baseline_is_too_little_data_not_a_verdict():
    pilot, comparison = built((BASE[-4:] + DROP, False), (BASE[-4:] + FLAT, True),
                              first="2022-01-01")  # the start after 4 quarters
    e = evidence.assess(pilot)
    assert evidence.outcome_verdict(e).key == verdicts.TOO_LITTLE
    assert evidence.what_happened(e) == ("Te weinig gegevens voor een oordeel: 4 punten vóór "
                                         "de start, minstens 12 nodig.")
    assert e.effect is None  # no effect size on a baseline this short
    assert evidence.comparison_effects(pilot, [comparison]) == []


def test_difference_in_differences_per_comparison_of_the_same_indicator():
    pilot, same, other = built((BASE + DROP, False), (BASE + FLAT, True), (BASE + FLAT, True))
    other = other.__class__(**{**other.__dict__, "label": "SEH-bezoeken"})
    did = evidence.comparison_effects(pilot, [same, other])
    assert [c.where for c, _ in did] == ["gebied 2"]  # another indicator is no comparison
    effect = did[0][1]
    assert effect.kind == "ratio_of_rate_ratios" and effect.significant
    assert effect.estimate is not None and 0.5 < effect.estimate < 0.7  # about −40%
    assert effect.text.startswith("−") and "95%-BI" in effect.text


def test_a_comparison_that_fell_as_much_shows_no_difference():
    pilot, comparison = built((BASE + DROP, False), (BASE + DROP, True))
    (_, effect), = evidence.comparison_effects(pilot, [comparison])
    assert not effect.significant and effect.lower < 1 < effect.upper


def test_over_dispersed_large_denominators_get_laneys_chart_and_say_so():
    rng = np.random.default_rng(3)
    den = 200_000.0  # a programme total: period-to-period variation beyond Poisson
    counts = list(np.round(10_000 * (1 + rng.normal(0, 0.03, 20))))
    pilot, = built((counts, False), den=den)
    assert pilot.analysis.chart == "u'"
    assert pilot.chart_note.startswith("U′-kaart (Laney) gebruikt")
    small, = built((BASE + FLAT, False))
    assert small.analysis.chart == "u" and small.chart_note.startswith("U-kaart gebruikt")
