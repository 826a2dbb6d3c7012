"""
How money is written: `£8,788,115` in tables and messages, `£8.79m` in headlines.

One helper for each, used by the tables, the templates (the `pounds` and
`millions` filters of `{% load money %}`), the return's messages and the
board pack, so that a figure reads the same everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"
MINUS = "−"  # a real minus sign: a hyphen is easily missed in a column of figures
MILLION = Decimal(1_000_000)


def pounds(value: Decimal | int | None, *, signed: bool = False) -> str:
    """`£8,788,115`; `−£352,961` below zero; `+£1,400,000` with `signed`; `–` for none."""
    if value is None:
        return MISSING
    number = Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)
    sign = MINUS if number < 0 else ("+" if signed and number > 0 else "")
    return f"{sign}£{abs(number):,}"


def millions(value: Decimal | int | None, *, signed: bool = False) -> str:
    """`£8.79m`: pounds in millions to two places, rounded half up; `–` for none."""
    if value is None:
        return MISSING
    number = (Decimal(value) / MILLION).quantize(Decimal("0.01"), ROUND_HALF_UP)
    sign = MINUS if number < 0 else ("+" if signed and number > 0 else "")
    return f"{sign}£{abs(number):,}m"


def in_millions(value: Decimal | None) -> Decimal | None:
    """Pounds as a number of millions to two places, for a chart's axis."""
    if value is None:
        return None
    return (Decimal(value) / MILLION).quantize(Decimal("0.01"), ROUND_HALF_UP)
