"""SPC rules on series with known verdicts, worked examples and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dashboard.domain import spc
from data_loaders.db import transaction
from data_loaders.models import Kernteam, KernteamQuarter
from data_loaders.seed import SIGNAL_KERNTEAM, SIGNAL_QUARTER

series = st.lists(st.integers(min_value=0, max_value=30).map(float), min_size=10, max_size=60)


# ---------------------------------------------------------------- worked examples


@pytest.mark.parametrize(("n", "run_max", "cross_min"), [
    (10, 6, 2), (12, 7, 3), (20, 7, 6), (24, 8, 8), (30, 8, 10), (40, 8, 14),
])
def test_anhoej_limits_match_the_published_table(n, run_max, cross_min):
    # Anhøj & Olesen (2014), table of critical values for longest run and crossings.
    assert spc.longest_run_limit(n) == run_max
    assert spc.crossings_limit(n) == cross_min


def test_points_on_the_median_neither_count_nor_break_a_run():
    # median 5; the three 5s are skipped, so 6,7,8,9,7,8 above form one run of six
    values = [1, 2, 3, 2, 6, 7, 5, 8, 9, 5, 7, 8, 5, 2, 1]
    result = spc.analyse(values)
    assert result.centre[0] == 5
    assert result.phases[0].n_useful == 12
    assert result.phases[0].longest_run == 6
    assert result.shift[4] and result.shift[11] and not result.shift[6]


def test_equal_neighbours_count_once_in_a_trend():
    values = [5, 6, 6, 7, 8, 9, 4, 5, 4, 5, 4]  # 5,6,(6),7,8,9 = five distinct steps up
    trend = spc.analyse(values).trend
    assert trend[:6] == [True] * 6 and not any(trend[6:])
    assert not any(spc.analyse([5, 6, 6, 7, 3, 4, 3, 4, 3, 4]).trend)  # only 3 distinct rises


def test_i_chart_limits_use_the_mean_moving_range():
    values = [10, 12, 11, 13, 12, 11, 10, 12, 11, 13]
    mr = np.abs(np.diff(values)).mean()
    result = spc.analyse(values, chart="i")
    assert result.centre[0] == pytest.approx(11.5)
    assert result.upper[0] == pytest.approx(11.5 + 3 * mr / 1.128)
    assert result.lower[0] == pytest.approx(11.5 - 3 * mr / 1.128)
    assert result.verdict == spc.NO_SIGNAL


def test_p_chart_limits_widen_for_small_denominators():
    num = [10, 12, 9, 11, 10, 30, 10, 11, 9, 12]
    den = [100, 100, 100, 100, 100, 100, 25, 100, 100, 100]
    result = spc.analyse(num, denominators=den, chart="p", multiplier=100)
    pbar = sum(num) / sum(den)
    assert result.centre[0] == pytest.approx(pbar * 100)
    assert result.upper[0] == pytest.approx((pbar + 3 * np.sqrt(pbar * (1 - pbar) / 100)) * 100)
    assert result.upper[6] > result.upper[0]  # smaller team, wider limits
    assert result.outside_limits[5] and result.verdict == spc.SIGNAL


def test_u_chart_flags_a_point_above_the_limit():
    counts = [12, 10, 14, 11, 13, 12, 40, 11, 12, 13]
    exposure = [240] * 10
    result = spc.analyse(counts, denominators=exposure, chart="u", multiplier=1000)
    assert result.outside_limits == [i == 6 for i in range(10)]
    assert result.lower[0] >= 0


def test_fewer_than_ten_points_gives_no_verdict():
    result = spc.analyse([1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert result.verdict == spc.TOO_FEW
    assert not any(result.in_long_run)


def test_phases_get_their_own_centre_line():
    values = [10.0] * 5 + [11.0] * 5 + [3.0] * 5 + [4.0] * 5
    result = spc.analyse(values, splits=[10])
    assert result.phase == [0] * 10 + [1] * 10
    assert result.centre[0] == 10.5 and result.centre[15] == 3.5


def test_frozen_baseline_reveals_a_shift_after_an_intervention():
    rng = np.random.default_rng(1)
    values = list(rng.normal(20, 2, 12)) + list(rng.normal(12, 2, 12))
    frozen = spc.analyse(values, baseline=12)
    assert frozen.centre[-1] == pytest.approx(np.median(values[:12]))
    assert frozen.verdict == spc.SIGNAL
    assert all(frozen.in_long_run[12:])


def test_split_indices_map_intervention_dates_to_phase_starts():
    periods = [dt.date(2024, m, 1) for m in (1, 4, 7, 10)]
    assert spc.split_indices(periods, [dt.date(2024, 5, 1)]) == [2]
    assert spc.split_indices(periods, [dt.date(2023, 1, 1), dt.date(2030, 1, 1)]) == []


# ---------------------------------------------------------------- the demo data's planted signal


def test_the_shift_planted_in_the_demo_data_is_found(seeded_engine):
    with transaction(seeded_engine) as s:
        rows = s.execute(
            select(KernteamQuarter.quarter, KernteamQuarter.admissions,
                   KernteamQuarter.frail_elderly)
            .join(Kernteam).where(Kernteam.code == SIGNAL_KERNTEAM)
            .order_by(KernteamQuarter.quarter_start)).all()
    quarters = [r[0] for r in rows]
    admissions = [r[1] for r in rows]
    run = spc.analyse(admissions)
    assert run.verdict == spc.SIGNAL
    assert run.phases[0].runs_signal or run.phases[0].crossings_signal
    baseline = quarters.index(SIGNAL_QUARTER)
    frozen = spc.analyse(admissions, denominators=[r[2] for r in rows], chart="u",
                         multiplier=1000, baseline=baseline)
    assert frozen.verdict == spc.SIGNAL
    assert sum(frozen.signal_points[baseline:]) >= 6  # the later points are highlighted


def test_pure_noise_mostly_raises_no_signal():
    rng = np.random.default_rng(2024)
    signals = sum(spc.analyse(rng.normal(50, 5, 24)).verdict == spc.SIGNAL for _ in range(400))
    assert signals / 400 < 0.15  # Anhøj rules: roughly 5-10% false alarms for n = 24


def test_noise_on_an_i_chart_rarely_leaves_the_limits():
    rng = np.random.default_rng(7)
    outside = sum(sum(spc.analyse(rng.normal(100, 10, 20), chart="i").outside_limits)
                  for _ in range(200))
    assert outside / (200 * 20) < 0.02


# ---------------------------------------------------------------- properties


@given(series)
def test_crossings_are_one_less_than_the_number_of_runs(values):
    result = spc.analyse(values)
    phase = result.phases[0]
    assert 0 <= phase.crossings <= max(phase.n_useful - 1, 0)
    assert phase.longest_run <= phase.n_useful


@given(series, st.floats(min_value=-1000, max_value=1000), st.floats(min_value=0.1, max_value=100))
@settings(max_examples=60)
def test_verdict_does_not_depend_on_units(values, offset, scale):
    original = spc.analyse(values)
    moved = spc.analyse([v * scale + offset for v in values])
    assert moved.verdict == original.verdict
    assert moved.phases[0].longest_run == original.phases[0].longest_run


@given(series)
@settings(max_examples=60)
def test_reversing_time_keeps_runs_and_crossings(values):
    a, b = spc.analyse(values).phases[0], spc.analyse(values[::-1]).phases[0]
    assert (a.longest_run, a.crossings) == (b.longest_run, b.crossings)


@given(series)
@settings(max_examples=60)
def test_i_chart_limits_are_symmetric_around_the_mean(values):
    result = spc.analyse(values, chart="i")
    assert result.centre[0] == pytest.approx(np.mean(values))
    if result.upper[0] is None:  # sigma 0: no limits at all, never limits on the centre line
        assert result.upper[0] is None and result.lower[0] is None
        assert not any(result.outside_limits)
        return
    assert result.upper[0] - result.centre[0] == pytest.approx(result.centre[0] - result.lower[0])


def test_chart_highlights_signal_points_and_marks_interventions():
    from dashboard.ui.charts import SIGNAL_COLOUR, spc_chart

    values = [20, 21, 19, 22, 20, 21, 20, 22, 19, 21, 12, 11, 12, 10, 11, 12, 11, 10, 12, 11]
    dates = [dt.date(2020 + i // 4, 1 + 3 * (i % 4), 1) for i in range(20)]
    result = spc.analyse(values, chart="i", baseline=10)
    chart = spc_chart(result, dates, [str(d) for d in dates], title="Opnames", y_title="Aantal",
                      interventions=[(dates[10], "Proactief zorgplan")])
    spec = chart.to_dict()
    assert "signaal" in spec["description"] and "I-kaart" in spec["description"]
    data = next(iter(spec["datasets"].values()))
    assert [row["status"] for row in data][10:] == ["signaal"] * 10
    assert SIGNAL_COLOUR in str(spec)
    assert "Proactief zorgplan" in str(spec)


def test_chart_accepts_dates_and_keeps_long_axis_titles_inside_the_plot():
    import json

    from dashboard.ui.charts import spc_chart

    dates = [dt.date(2022 + i // 4, 1 + 3 * (i % 4), 1) for i in range(12)]
    result = spc.analyse([float(i % 3) for i in range(12)])
    chart = spc_chart(result, dates, [str(d) for d in dates], title="T", height=200,
                      y_title="Ziekenhuisopnames per 1.000 kwetsbare ouderen in het kernteam",
                      interventions=[(dates[6], "Start")])
    spec = json.loads(chart.to_json())  # datetime.date values serialise
    y_axes = [layer["encoding"]["y"].get("axis", {}) for layer in spec["layer"]
              if "y" in layer.get("encoding", {}) and "title" in layer["encoding"]["y"]]
    assert y_axes and all(0 < a["titleLimit"] < 200 for a in y_axes)


@given(series)
@settings(max_examples=80)
def test_highlighted_points_agree_with_the_verdict(values):
    result = spc.analyse(values)
    if result.verdict != spc.SIGNAL:
        assert not any(result.signal_points)
