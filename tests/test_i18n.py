"""Dutch number and date formats as users read them."""

import datetime as dt

from dashboard.domain.i18n import fmt_date, fmt_euro, fmt_number, fmt_percent


def test_numbers_use_dot_for_thousands_and_comma_for_decimals():
    assert fmt_number(1234.5, 1) == "1.234,5"
    assert fmt_number(1234567) == "1.234.567"
    assert fmt_number(-0.25, 2) == "-0,25"


def test_missing_numbers_show_a_dash_not_zero():
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan")) == "–"


def test_percent_and_euro():
    assert fmt_percent(12.345) == "12,3%"
    assert fmt_euro(27_000_000) == "€ 27.000.000"


def test_dates_read_as_23_nov_2026():
    assert fmt_date(dt.date(2026, 11, 23)) == "23 nov 2026"
    assert fmt_date(dt.date(2026, 3, 1), long=True) == "1 maart 2026"
