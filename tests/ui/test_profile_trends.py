"""Wijkprofiel trends (issue 13): a model estimate keeps its stored 95% interval, a long
enough series gets a direction-aware verdict, a short one none, and gaps stay gaps."""

from __future__ import annotations

import pandas as pd

from dashboard.ui.profile import trend_frame, trend_verdict


def frame(values, *, lower=None, upper=None, num=None, den=None, status=None) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "area_key": "a", "period": [str(2010 + i) for i in range(n)],
        "period_start": [f"{2010 + i}-01-01" for i in range(n)], "value": values,
        "numerator": num or [None] * n, "denominator": den or [None] * n,
        "lower": lower or [None] * n, "upper": upper or [None] * n,
        "status": status or ["ok"] * n})


def test_a_model_estimate_shows_its_own_interval_and_a_suppressed_period_is_a_gap():
    raw = frame([20.0, 21.0, 19.0], lower=[17.0, 18.5, 15.0], upper=[23.0, 24.0, 23.5],
                status=["ok", "onderdrukt", "ok"])
    out = trend_frame(raw, "a", is_survey=False, multiplier=100.0)
    assert list(out["lower"].fillna(-1)) == [17.0, -1, 15.0]
    assert list(out["upper"].fillna(-1)) == [23.0, -1, 23.5]
    assert out["value"].isna().tolist() == [False, True, False]


def test_a_long_rate_series_gets_a_direction_aware_verdict_and_a_short_one_none():
    den = [1000.0] * 12
    falling = [80.0] * 8 + [20.0] * 4  # per 1.000: a clear drop
    series = trend_frame(frame(list(falling), num=falling, den=den), "a",
                         is_survey=False, multiplier=1000.0)
    lower_better, chart, periods = trend_verdict(series, "per 1.000", True, 1000.0,
                                                 "lager is beter")
    higher_better, _, _ = trend_verdict(series, "per 1.000", True, 1000.0, "hoger is beter")
    assert chart in ("u", "u'") and periods == 12
    assert lower_better.key == "verbetering" and higher_better.key == "verslechtering"
    assert trend_verdict(series.head(9), "per 1.000", True, 1000.0, "lager is beter") is None
