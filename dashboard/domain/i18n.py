"""Dutch formatting of numbers, percentages, money and dates (1.234,5 and 23 nov 2026)."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re

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


class NumberFormatError(ValueError):
    """Text that is not a number in Dutch notation; ``hint`` says why, in Dutch (or "")."""

    def __init__(self, hint: str = "") -> None:
        super().__init__(hint)
        self.hint = hint


# A dot only separates thousands (groups of exactly three digits), a comma is the decimal
# separator: 1.500 = 1500, 1,5 = 1.5, 1.234,5 = 1234.5. An exponent is allowed because CSV
# files written by pandas (our own exports) use it for very small and very large floats.
_DUTCH_NUMBER = re.compile(
    r"(?P<sign>[+-])?(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)?(?:,(?P<fraction>\d+))?"
    r"(?:[eE](?P<exponent>[+-]?\d+))?")
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")  # 1 500 -> 1.500


def parse_number(value: str | float) -> int | float:
    """The one reader of numbers typed by people (forms, CSV cells, Excel text cells).

    Dutch notation only: ``1.500`` is 1500, ``1,5`` is 1.5, ``1.234,5`` is 1234.5,
    ``2.500.000`` is 2500000, ``-3`` is -3; a space (also a non-breaking one) may separate
    thousands too. Anything ambiguous is refused rather than guessed: ``1.5`` (a dot that is
    not a thousands separator: Dutch writes 1,5), ``1,500.25`` (English notation),
    ``12.34.5``. Numbers that are numbers already (``int``/``float``, e.g. a numeric Excel
    cell or a number widget) are returned as they are, never re-read as text.

    Returns an ``int`` for text without decimals, else a ``float``. Raises
    ``NumberFormatError`` (a ``ValueError``) with a Dutch hint when it is not a number.
    """
    if isinstance(value, bool):
        raise NumberFormatError()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise NumberFormatError()
        return number
    text = _GROUP_SPACE.sub(".", str(value).strip().replace("\u2212", "-"))
    m = _DUTCH_NUMBER.fullmatch(text)
    if m is None or (m["whole"] is None and m["fraction"] is None):
        raise NumberFormatError(_number_hint(text))
    whole = (m["whole"] or "0").replace(".", "")
    if m["fraction"] is None and m["exponent"] is None:
        return int(f"{m['sign'] or ''}{whole}")
    number = float(f"{m['sign'] or ''}{whole}.{m['fraction'] or '0'}e{m['exponent'] or '0'}")
    if not math.isfinite(number):
        raise NumberFormatError()
    return number


def _number_hint(text: str) -> str:
    if re.fullmatch(r"[+-]?[\d.]*\d,\d+\.[\d.]*", text) or re.fullmatch(
            r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        return "dit is Engelse notatie; schrijf bijvoorbeeld 1.500,25"
    if re.fullmatch(r"[+-]?\d+\.\d+", text):
        return ("gebruik een komma als decimaalteken (1,5); een punt staat alleen tussen "
                "duizendtallen (1.500)")
    if re.fullmatch(r"[+-]?\d+(\.\d+)+(,\d+)?", text):
        return "een punt staat alleen tussen groepen van drie cijfers (1.500.000)"
    return ""


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
