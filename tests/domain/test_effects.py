"""Effect sizes with 95% intervals, against published and independently computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.domain import effects
from dashboard.domain.aggregation import wilson_interval


def test_wilson_interval_matches_newcombe_1998():
    """Newcombe, Stat Med 1998;17:857, table I: 81/263 gives 0.2553 to 0.3662."""
    lo, hi = wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(("a", "m", "b", "n", "expected"), [
    (56, 70, 48, 80, (0.0524, 0.3339)),  # Newcombe 1998, Stat Med 17:873, table II (a)
    (9, 10, 3, 10, (0.1705, 0.8090)),  # table II (b)
])
def test_risk_difference_matches_newcombe_hybrid_score(a, m, b, n, expected):
    effect = effects.risk_difference(b, n, a, m)  # after = a/m, before = b/n
    assert effect.estimate == pytest.approx(a / m - b / n)
    assert (round(effect.lower, 4), round(effect.upper, 4)) == expected


def test_rate_ratio_uses_the_log_method():
    effect = effects.rate_ratio(100, 2000, 60, 1500)
    ratio = (60 / 1500) / (100 / 2000)
    se = math.sqrt(1 / 100 + 1 / 60)
    assert effect.estimate == pytest.approx(ratio)
    assert effect.lower == pytest.approx(ratio * math.exp(-1.959964 * se), rel=1e-6)
    assert effect.upper == pytest.approx(ratio * math.exp(1.959964 * se), rel=1e-6)
    assert effect.text == "−20% (95%-BI −42% tot +10%)"
    assert not effect.significant


def test_zero_counts_get_a_continuity_correction_or_no_effect():
    half = effects.rate_ratio(0, 1000, 5, 1000)
    assert half.estimate == pytest.approx(5.5 / 0.5) and "0,5 opgeteld" in half.note
    none = effects.rate_ratio(0, 1000, 0, 1000)
    assert not none.computable and none.text.startswith("niet te berekenen: geen enkele")
    assert effects.risk_ratio(0, 50, 0, 60).text.startswith("niet te berekenen")


def test_impossible_counts_are_refused_in_dutch():
    with pytest.raises(ValueError, match="Vóór de start: de teller \\(12\\) is groter dan de noemer"):
        effects.risk_difference(12, 10, 3, 10)
    with pytest.raises(ValueError, match="Na de start: de noemer is nul"):
        effects.rate_ratio(3, 10, 3, 0)


def test_welch_difference_matches_scipy():
    before = [12.1, 11.4, 13.0, 12.6, 11.9, 12.3, 12.8, 11.7]
    after = [10.2, 11.1, 9.8, 10.9, 10.4, 11.5]
    effect = effects.mean_difference(before, after, unit="dagen")
    ci = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert effect.estimate == pytest.approx(np.mean(after) - np.mean(before))
    assert (effect.lower, effect.upper) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert effect.text == "−1,6 dagen (95%-BI −2,3 tot −0,9)"


def test_ratio_of_rate_ratios_adds_the_four_variances():
    pilot, comparison = (100, 1000, 60, 1000), (100, 1000, 95, 1000)
    effect = effects.ratio_of_rate_ratios(pilot, comparison)
    se = math.sqrt(1 / 100 + 1 / 60 + 1 / 100 + 1 / 95)
    assert effect.estimate == pytest.approx(0.6 / 0.95)
    assert effect.upper == pytest.approx(0.6 / 0.95 * math.exp(1.959964 * se), rel=1e-6)


def test_difference_of_risk_differences_uses_mover():
    """Zou & Donner (2008): L = d - sqrt((d1 - l1)² + (u2 - d2)²), U likewise."""
    p = effects.risk_difference(40, 100, 25, 100)
    c = effects.risk_difference(40, 100, 38, 100)
    did = effects.difference_of_risk_differences((40, 100, 25, 100), (40, 100, 38, 100))
    d = p.estimate - c.estimate
    assert did.estimate == pytest.approx(d)
    assert did.lower == pytest.approx(d - math.hypot(p.estimate - p.lower, c.upper - c.estimate))
    assert did.upper == pytest.approx(d + math.hypot(p.upper - p.estimate, c.estimate - c.lower))
    assert did.text.startswith("−13,0 procentpunt (95%-BI ")


def test_before_after_widens_for_period_to_period_variation():
    """Counts that vary far more than Poisson from quarter to quarter: the interval of the
    rate ratio widens by sqrt(phi); on Poisson-like data it does not."""
    steady = [50, 49, 51, 50, 50, 49, 51, 50] + [40, 41, 39, 40, 40, 41, 39, 40]
    wild = [30, 70, 35, 65, 40, 60, 45, 55] + [20, 60, 25, 55, 30, 50, 35, 45]
    den = [1000.0] * 16
    calm = effects.before_after("u", steady, den, 8)
    noisy = effects.before_after("u", wild, den, 8)
    assert calm.estimate == pytest.approx(noisy.estimate) == pytest.approx(0.8)
    assert calm.note == "" and "zo breed" in noisy.note
    assert (noisy.upper - noisy.lower) > 2 * (calm.upper - calm.lower)


def test_difference_in_differences_by_chart():
    den = [1000.0] * 16
    pilot = ([50.0] * 8 + [35.0] * 8, den, 8)
    comparison = ([50.0] * 8 + [48.0] * 8, den, 8)
    rr = effects.difference_in_differences("u", pilot, comparison)
    assert rr.kind == "ratio_of_rate_ratios" and rr.estimate == pytest.approx(0.7 / 0.96)
    rd = effects.difference_in_differences("p", pilot, comparison)
    assert rd.kind == "difference_of_risk_differences"
    assert rd.estimate == pytest.approx(-0.015 + 0.002)
    md = effects.difference_in_differences("i", ([1.0, 2, 3, 2, 5, 6, 5, 6], None, 4),
                                           ([1.0, 2, 3, 2, 2, 3, 2, 1], None, 4))
    assert md.estimate == pytest.approx(3.5 - 0.0)
