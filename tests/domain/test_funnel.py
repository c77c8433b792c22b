"""Funnel plots with Spiegelhalter's over-dispersion, against FunnelPlotR's expectations."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.domain import funnel


def test_phi_matches_funnelplotr():
    """FunnelPlotR tests/testthat/test-classes_methods.R: funnel_plot(num, denom) with its
    defaults (standardised ratios, SHMI: log scale, 10% truncation) has phi 2.948033."""
    f = funnel.funnel([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220], kind="sr",
                      transform="log", trim_method="truncate")
    assert round(f.phi, 6) == 2.948033
    assert f.overdispersed and f.tau2 > 0
    assert "verbreed" in f.caption


def test_exact_poisson_limits_match_funnelplotr():
    """FunnelPlotR tests/testthat/test-poisson_limits.R, expected 15, 20 and 30."""
    lim = funnel.poisson_ratio_limits([15, 20, 30])
    assert list(lim["lower95"].round(7)) == [0.5596924, 0.6108260, 0.6746958]
    assert list(lim["upper95"].round(6)) == [1.649348, 1.544419, 1.427562]
    assert list(lim["lower998"].round(7)) == [0.3862650, 0.4479107, 0.5289724]
    assert list(lim["upper998"].round(6)) == [2.082907, 1.902094, 1.702771]


def test_tau2_follows_spiegelhalter():
    """tau² = (n phi - (n - 1)) / (sum w - sum w² / sum w), w = 1/s², when n phi > n - 1."""
    z = np.array([-3.0, -1.0, 0.0, 1.0, 2.5, 4.0])
    s = np.array([0.05, 0.04, 0.03, 0.05, 0.02, 0.04])
    phi, tau2 = funnel.dispersion(z, s, trim=0.1)
    wz = np.clip(z, np.quantile(z, 0.1), np.quantile(z, 0.9))
    assert phi == pytest.approx(np.mean(wz ** 2))
    w = 1 / s ** 2
    assert tau2 == pytest.approx((6 * phi - 5) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert funnel.dispersion(np.array([0.1, -0.2, 0.3]), np.array([0.1, 0.1, 0.1]))[1] == 0.0


def test_large_teams_no_longer_stand_out_for_ordinary_differences():
    """35 teams whose true rates differ 10%: plain limits flag many big teams; the
    adjusted funnel flags few."""
    rng = np.random.default_rng(1)
    den = rng.integers(20000, 80000, 35)
    num = rng.poisson(den * 0.05 * rng.normal(1, 0.1, 35))
    adjusted = funnel.funnel(num, den, kind="u", multiplier=1000)
    plain = funnel.funnel(num, den, kind="u", multiplier=1000, adjust=False)
    out_plain = (plain.units["position"] != "binnen").sum()
    out_adjusted = (adjusted.units["position"] != "binnen").sum()
    assert out_plain >= 10 and out_adjusted <= 3
    assert adjusted.target == pytest.approx(num.sum() / den.sum() * 1000)
    assert (adjusted.curve["upper998"] > adjusted.curve["upper95"]).all()


def test_proportions_use_the_arcsine_scale_and_stay_within_0_and_100():
    f = funnel.funnel([20, 35, 50, 8, 1], [100, 150, 200, 40, 10], kind="p", multiplier=100)
    assert ((f.units["lower998"] >= 0) & (f.units["upper998"] <= 100)).all()
    assert set(f.units["position"]) == {"binnen"} and not f.overdispersed
    assert "passen bij toeval" in f.caption
    with pytest.raises(ValueError, match="boven 100%"):
        funnel.funnel([12], [10], kind="p")
