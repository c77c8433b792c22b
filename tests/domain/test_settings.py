"""Settings: one declared list, typed values, the one "today", and every setting documented."""

import datetime as dt
from pathlib import Path

from dashboard.domain.settings import SETTINGS, Settings, resolve, today

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme_with_its_default():
    for spec in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{spec.key}` |")),
                   None)
        assert row is not None, f"README documents no setting {spec.key}"
        if spec.default is not None and not isinstance(spec.default, bool):
            assert f"| {spec.default:g} |" in row, f"README shows another default for {spec.key}"


def test_stored_values_override_defaults_and_bad_ones_fall_back():
    values = resolve({"caseload_norm_per_fte": "25", "min_baseline_points": 3, "unknown": 1})
    assert values.caseload_norm_per_fte == 25.0
    assert values.min_baseline_points == 12  # below the minimum of 6: the default holds
    assert values.coach_fte_plan == 30.0


def test_today_is_the_demo_as_of_date_only_for_demo_data():
    as_of = dt.date(2026, 11, 23)
    real = dt.date(2027, 2, 1)
    demo = resolve({"demo_data": True, "demo_as_of": as_of.isoformat()})
    assert today(demo, clock=lambda: real) == as_of
    assert today(resolve({"demo_as_of": as_of.isoformat()}), clock=lambda: real) == real
    assert today(Settings(), clock=lambda: real) == real
