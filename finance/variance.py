"""
The variance of a forecast against its budget, and its RAG.

Pure: no database, so the return's checks, the dashboard, the API and the
board pack rate a line the same way, through `opb_portal.rag`.

The rule, with the tolerance an administrator sets for the year (a percentage
and an amount, `FinanceYear.variance_tolerance_*`):

- the *adverse variance* is the overspend of an expenditure line (forecast
  outturn − budget), or the shortfall of an income line or a savings scheme
  (budget − forecast). Spending less or receiving more is never a concern;
- the line's *tolerance* is the larger of the percentage of its budget and the
  amount, rounded to the pound: a small line is not red for a few thousand
  pounds, and a large one is judged in proportion;
- green while the adverse variance is within the tolerance, amber up to twice
  the tolerance, red beyond twice.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from opb_portal import rag
from opb_portal.formatting import pounds

ADVERSE_WORDS = {"expenditure": "overspend", "income": "shortfall", "savings": "shortfall"}


def adverse_phrase(kind: str, amount: Decimal) -> str:
    """`an overspend of £1,000,000`, `a shortfall of £250,000`."""
    article = "an" if kind == "expenditure" else "a"
    return f"{article} {ADVERSE_WORDS[kind]} of {pounds(amount)}"


def tolerance(budget: Decimal, *, percent: Decimal, amount: Decimal) -> Decimal:
    """The larger of `percent` of the budget and `amount`, in whole pounds."""
    share = (abs(budget) * percent / 100).quantize(Decimal(1), ROUND_HALF_UP)
    return max(share, amount)


def bounds(allowed: Decimal) -> rag.Bounds:
    """Green up to `allowed` (inclusive), red above twice it, amber between."""
    return rag.Bounds(
        green_lower=rag.Bound(None, True),
        green_upper=rag.Bound(allowed, True),
        red_below=rag.Bound(None, False),
        red_above=rag.Bound(2 * allowed, False),
    )


def variance(budget: Decimal, forecast: Decimal | None) -> Decimal | None:
    """Forecast − budget: above zero is an overspend of expenditure, extra income or savings."""
    return None if forecast is None else forecast - budget


def adverse(kind: str, budget: Decimal, forecast: Decimal | None) -> Decimal | None:
    """How far the forecast is on the wrong side of the budget (negative when on the right one)."""
    difference = variance(budget, forecast)
    if difference is None:
        return None
    return difference if kind == "expenditure" else -difference


def status(kind: str, budget: Decimal, forecast: Decimal | None, *, allowed: Decimal) -> rag.Status:
    return rag.evaluate(adverse(kind, budget, forecast), bounds(allowed))


def describe(kind: str, budget: Decimal, *, percent: Decimal, amount: Decimal) -> str:
    """The rule for one line in words, with its figures."""
    allowed = tolerance(budget, percent=percent, amount=amount)
    word = ADVERSE_WORDS[kind]
    return (
        f"Green: {word} up to {pounds(allowed)} (the larger of {percent}% of "
        f"{pounds(budget)} and {pounds(amount)}); amber: up to {pounds(2 * allowed)}; "
        f"red: more than {pounds(2 * allowed)}."
    )
