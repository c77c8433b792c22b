"""Dutch formatting of numbers, percentages, money and dates (1.234,5 and 23 nov 2026)."""

from __future__ import annotations

import datetime as dt
import math

MONTHS_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_LONG = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
EMPTY = "–"


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Format with a dot as thousands separator and a comma as decimal separator."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return EMPTY
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float | None, decimals: int = 1) -> str:
    """``value`` is a percentage already (12.5 -> '12,5%')."""
    return EMPTY if value is None or math.isnan(value) else f"{fmt_number(value, decimals)}%"


def fmt_euro(value: float | None, decimals: int = 0) -> str:
    return EMPTY if value is None or math.isnan(value) else f"€ {fmt_number(value, decimals)}"


def fmt_date(value: dt.date | None, long: bool = False) -> str:
    if value is None:
        return EMPTY
    months = MONTHS_LONG if long else MONTHS_SHORT
    return f"{value.day} {months[value.month - 1]} {value.year}"


def fmt_month(value: dt.date) -> str:
    return f"{MONTHS_SHORT[value.month - 1]} {value.year}"


# Vega/altair locale so that chart axes and tooltips use Dutch separators and months.
VEGA_FORMAT_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€ ", ""],
}
VEGA_TIME_LOCALE = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": list(MONTHS_LONG),
    "shortMonths": list(MONTHS_SHORT),
}
