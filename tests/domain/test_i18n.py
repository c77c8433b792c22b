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


# ---------------------------------------------------------------- reading numbers people typed

import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dashboard.domain.datasets import DATASETS, parse_value  # noqa: E402
from dashboard.domain.i18n import NumberFormatError, parse_number  # noqa: E402


@pytest.mark.parametrize(("text", "number"), [
    ("1.500", 1500), ("12.345", 12345), ("2.500.000", 2_500_000), ("1,5", 1.5),
    ("1.234,5", 1234.5), ("-3", -3), ("+4", 4), ("-0,25", -0.25), (",5", 0.5),
    ("1 500", 1500), ("1\u00a0500,25", 1500.25), ("\u22123", -3), ("1500,0", 1500.0),
    ("1e-05", 0.00001), ("1,5e-05", 0.000015),
])
def test_dutch_numbers_are_read_as_dutch_people_write_them(text, number):
    assert parse_number(text) == number
    assert type(parse_number(text)) is type(number)


@pytest.mark.parametrize(("text", "hint"), [
    ("1.5", "gebruik een komma als decimaalteken"),
    ("1.25", "gebruik een komma als decimaalteken"),
    ("1,500.25", "Engelse notatie"),
    ("1,234,567", "Engelse notatie"),
    ("12.34.5", "groepen van drie cijfers"),
    ("1.5000", "gebruik een komma als decimaalteken"),
    ("abc", ""), ("1,", ""), ("1.", ""), ("--3", ""), ("1 5", ""), ("nan", ""), ("1e400", ""),
])
def test_ambiguous_or_foreign_numbers_are_refused_not_guessed(text, hint):
    with pytest.raises(NumberFormatError) as refused:
        parse_number(text)
    assert hint in refused.value.hint


def test_numbers_that_are_numbers_already_are_not_re_read_as_text():
    """Numeric Excel cells and number widgets arrive as int/float: kept exactly."""
    assert parse_number(1.5) == 1.5 and parse_number(1500) == 1500
    assert parse_number(0.1 + 0.2) == 0.1 + 0.2
    with pytest.raises(NumberFormatError):
        parse_number(True)
    with pytest.raises(NumberFormatError):
        parse_number(float("nan"))


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_formatted_integers_parse_back(number):
    assert parse_number(fmt_number(number)) == number


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.integers(min_value=0, max_value=6))
def test_formatted_decimals_parse_back(number, decimals):
    assert parse_number(fmt_number(number, decimals)) == float(f"{number:.{decimals}f}")


@pytest.mark.parametrize(("dataset", "field", "raw", "stored"), [
    ("budget", "amount_eur", "1.500", 1500.0),
    ("budget", "amount_eur", "12.345", 12345.0),
    ("budget", "amount_eur", "2.500.000", 2_500_000.0),
    ("budget", "amount_eur", "1.234,5", 1234.5),
    ("coach_month", "waiting_list", "1.500", 1500),
    ("indicator_value", "value", "-3", -3.0),
])
def test_every_form_csv_and_excel_text_cell_reads_thousands_as_thousands(dataset, field, raw,
                                                                          stored):
    value, problem = parse_value(DATASETS[dataset].field(field), raw)
    assert (value, problem) == (stored, None)
    assert type(value) is type(stored)


def test_a_refused_number_names_the_field_and_says_what_to_write():
    _, problem = parse_value(DATASETS["budget"].field("amount_eur"), "1.5")
    assert problem == ("Bedrag (euro) moet een getal zijn, niet '1.5': gebruik een komma als "
                       "decimaalteken (1,5); een punt staat alleen tussen duizendtallen (1.500).")
    _, problem = parse_value(DATASETS["coach_month"].field("waiting_list"), "2,5")
    assert problem == "Wachtlijst moet een geheel getal zijn, niet '2,5'."


@given(st.one_of(st.integers(min_value=-10**12, max_value=10**12),
                 st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)))
def test_an_edit_form_shows_stored_numbers_so_that_saving_unchanged_keeps_them_exactly(number):
    from dashboard.ui.edit_ui import number_text

    assert parse_number(number_text(number)) == number
