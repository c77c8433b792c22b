"""One aggregation rule: counts summed, rates recomputed, suppression never hidden."""

import pytest

from dashboard.domain.aggregation import aggregate_parts, wilson_interval


def test_two_buurten_rate_is_recomputed_from_numerators_and_denominators():
    small = {"value": 10.0, "numerator": 10, "denominator": 100, "status": "ok"}
    large = {"value": 30.0, "numerator": 90, "denominator": 300, "status": "ok"}
    agg = aggregate_parts([small, large], is_rate=True, multiplier=100)
    assert agg.value == pytest.approx(25.0)  # 100 / 400, not the average of rates (20)
    assert (agg.numerator, agg.denominator, agg.status) == (100, 400, "ok")


def test_counts_are_summed():
    agg = aggregate_parts([{"value": 1200, "numerator": 1200, "status": "ok"},
                           {"value": 800, "numerator": 800, "status": "ok"}], is_rate=False)
    assert agg.value == 2000 and agg.status == "ok"


@pytest.mark.parametrize("is_rate", [True, False])
def test_a_suppressed_part_suppresses_the_aggregate(is_rate):
    ok = {"value": 50.0, "numerator": 50, "denominator": 100, "status": "ok"}
    secret = {"value": None, "numerator": None, "denominator": None, "status": "onderdrukt"}
    agg = aggregate_parts([ok, secret], is_rate=is_rate, multiplier=100)
    assert agg.status == "onderdrukt" and agg.value is None
    assert "1 van 2 delen onderdrukt" in agg.note


def test_a_rate_without_numerator_cannot_be_recomputed():
    agg = aggregate_parts([{"value": 12.0, "numerator": None, "denominator": 100, "status": "ok"},
                           {"value": 8.0, "numerator": 8, "denominator": 100, "status": "ok"}],
                          is_rate=True, multiplier=100)
    assert agg.status == "ontbreekt" and agg.value is None


def test_a_missing_part_makes_the_total_unknown_not_low():
    agg = aggregate_parts([{"value": 500, "numerator": 500, "status": "ok"},
                           {"status": "ontbreekt"}], is_rate=False)
    assert agg.status == "ontbreekt" and agg.value is None


def test_wilson_interval_holds_the_share_and_narrows_with_more_respondents():
    lo_small, hi_small = wilson_interval(30, 100)
    lo_big, hi_big = wilson_interval(300, 1000)
    assert lo_small < 0.3 < hi_small and lo_big < 0.3 < hi_big
    assert hi_big - lo_big < hi_small - lo_small
    assert wilson_interval(0, 20)[0] == 0.0  # never below zero
