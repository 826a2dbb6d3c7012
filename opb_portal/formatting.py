"""
How the portal writes a number: one function per kind, used by the templates (the
filters of `{% load numbers %}`), the tables, the charts, the messages, the exports
that carry text and the board pack, so that a figure reads the same everywhere.

- money: `£29,600,000` in tables and messages, `£29.6m`-style headlines (`millions`);
- a percentage at its measure's precision with `%` (`87.2%`, comparators too);
- a count with thousands separators (`3,728`);
- a full-time equivalent at two decimal places (`12.50`);
- `–` for a figure nobody gave.

It knows units, not domains: a domain says which unit and how many places.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"
MINUS = "−"  # a real minus sign: a hyphen is easily missed in a column of figures
MILLION = Decimal(1_000_000)

PERCENT = "percent"
RATE_PER_10000 = "rate_per_10000"
COUNT = "count"
RATIO = "ratio"
FTE = "fte"
MONEY = "money"


def _sign(number: Decimal, signed: bool) -> str:
    return MINUS if number < 0 else ("+" if signed and number > 0 else "")


def _at(value: Decimal | int | float | str, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def number(
    value: Decimal | int | float | str | None, places: int = 0, *, signed: bool = False
) -> str:
    """`3,728`; `40.7` at one place; `−12` below zero; `+3` with `signed`; `–` for none."""
    if value is None or value == "":
        return MISSING
    figure = _at(value, places)
    return f"{_sign(figure, signed)}{abs(figure):,}"


def as_given(value: Decimal | int | float | str | None, *, signed: bool = False) -> str:
    """A figure at the places it holds, trailing zeros dropped: `86,835`, `2.5`; `–` for none."""
    if value is None or value == "":
        return MISSING
    figure = Decimal(str(value)).normalize()
    return number(figure, max(0, -figure.as_tuple().exponent), signed=signed)


def percent(
    value: Decimal | int | float | str | None, places: int = 1, *, signed: bool = False
) -> str:
    """`87.2%` at the measure's `places`; `–` for none."""
    if value is None or value == "":
        return MISSING
    return f"{number(value, places, signed=signed)}%"


def fte(value: Decimal | int | float | str | None) -> str:
    """Full-time equivalents at two decimal places: `152.40`."""
    return number(value, 2)


def pounds(value: Decimal | int | None, *, signed: bool = False) -> str:
    """`£8,788,115`; `−£352,961` below zero; `+£1,400,000` with `signed`; `–` for none."""
    if value is None:
        return MISSING
    figure = _at(value, 0)
    return f"{_sign(figure, signed)}£{abs(figure):,}"


def millions(value: Decimal | int | None, *, signed: bool = False, places: int = 2) -> str:
    """`£8.79m`: pounds in millions to two places (or `places`: `£6.325m`), rounded half up;
    `–` for none."""
    if value is None:
        return MISSING
    figure = (Decimal(value) / MILLION).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{_sign(figure, signed)}£{abs(figure):,}m"


def in_millions(value: Decimal | None) -> Decimal | None:
    """Pounds as a number of millions to two places, for a chart's axis."""
    if value is None:
        return None
    return (Decimal(value) / MILLION).quantize(Decimal("0.01"), ROUND_HALF_UP)


def difference(value, unit: str, places: int) -> str:
    """
    How far one figure of a measure moved from another: a percentage's in points
    (`0.9 points`, `1 point`), anything else as the measure's own figure (`12`, `1.5`).
    """
    if value is None:
        return MISSING
    if unit == PERCENT:
        written = number(value, places)
        return f"{written} point" + ("" if written == "1" else "s")
    return measure(value, unit, places)


def measure(value, unit: str, places: int, *, signed: bool = False) -> str:
    """A measure's figure by its unit (a `reference.Unit` value, `fte` or `money`)."""
    if unit == PERCENT:
        return percent(value, places, signed=signed)
    if unit == FTE:
        return number(value, max(places, 2), signed=signed)
    if unit == MONEY:
        return pounds(value, signed=signed)
    return number(value, places, signed=signed)
