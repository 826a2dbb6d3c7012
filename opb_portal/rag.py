"""
The one RAG evaluator.

A rule is a green zone and a red zone, each bounded with an explicit
inclusive or exclusive bound; amber is whatever lies in neither. This module
is pure (no database, no Django) so it can be tested at every bound of every
real rule, and so a board pack and a dashboard cannot disagree about a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from opb_portal import formatting


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """Worse is higher: used to sort exceptions first."""
        return {"green": 0, "amber": 1, "red": 2, "missing": 3}[self.value]


@dataclass(frozen=True)
class Bound:
    value: Decimal | None
    inclusive: bool

    @property
    def is_set(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Bounds:
    green_lower: Bound
    green_upper: Bound
    red_below: Bound
    red_above: Bound


def _above(value: Decimal, bound: Bound) -> bool:
    """True when `value` is on the high side of `bound` (counting equality if inclusive)."""
    return value > bound.value or (bound.inclusive and value == bound.value)


def _below(value: Decimal, bound: Bound) -> bool:
    return value < bound.value or (bound.inclusive and value == bound.value)


def is_green(value: Decimal, bounds: Bounds) -> bool:
    lower_ok = not bounds.green_lower.is_set or _above(value, bounds.green_lower)
    upper_ok = not bounds.green_upper.is_set or _below(value, bounds.green_upper)
    return lower_ok and upper_ok


def is_red(value: Decimal, bounds: Bounds) -> bool:
    return (bounds.red_below.is_set and _below(value, bounds.red_below)) or (
        bounds.red_above.is_set and _above(value, bounds.red_above)
    )


def evaluate(value: Decimal | None, bounds: Bounds) -> Status:
    """Green, amber or red for `value` under `bounds`; missing when there is no value."""
    if value is None:
        return Status.MISSING
    # Red is checked first so that a malformed rule whose zones overlap errs
    # towards the status that triggers attention, never towards green.
    if is_red(value, bounds):
        return Status.RED
    if is_green(value, bounds):
        return Status.GREEN
    return Status.AMBER


def side(value: Decimal, bounds: Bounds) -> str | None:
    """`below` or `above` the target (the green zone) for a value off it; None on it."""
    if is_green(value, bounds):
        return None
    lower = bounds.green_lower
    if lower.is_set and not _above(value, lower):
        return "below"
    return "above"


def distance(value: Decimal, bounds: Bounds) -> Decimal:
    """How far a value is from the target (the green zone's nearest bound); 0 on it."""
    where = side(value, bounds)
    if where == "below":
        return bounds.green_lower.value - value
    if where == "above" and bounds.green_upper.is_set:
        return value - bounds.green_upper.value
    return Decimal(0)


# --- describing a rule in words ---------------------------------------------


def _fmt(bound: Bound, percent: bool) -> str:
    # At the places the rule was written with (`85.0%`), grouped (`1,500`): formatting's way.
    places = max(0, -bound.value.as_tuple().exponent)
    if percent:
        return formatting.percent(bound.value, places)
    return formatting.number(bound.value, places)


def _cmp(bound: Bound, side: str) -> str:
    """The comparison sign for values on `side` ('above' or 'below') of `bound`."""
    if side == "above":
        return "≥" if bound.inclusive else ">"
    return "≤" if bound.inclusive else "<"


def _complement(bound: Bound) -> Bound:
    return Bound(bound.value, not bound.inclusive)


def describe_zone(bounds: Bounds, status: Status, *, percent: bool = False) -> str:
    """One zone in words, for example `≥ 85.0%` or `≥ 62.0 and < 67.0, or > 75.0`."""

    def term(bound, side):
        return f"{_cmp(bound, side)} {_fmt(bound, percent)}"

    if status == Status.GREEN:
        parts = []
        if bounds.green_lower.is_set:
            parts.append(term(bounds.green_lower, "above"))
        if bounds.green_upper.is_set:
            parts.append(term(bounds.green_upper, "below"))
        return " and ".join(parts) or "any value"
    if status == Status.RED:
        parts = []
        if bounds.red_below.is_set:
            parts.append(term(bounds.red_below, "below"))
        if bounds.red_above.is_set:
            parts.append(term(bounds.red_above, "above"))
        return ", or ".join(parts) or "never"
    # Amber: between the red zone and the green zone, on each side that has both.
    pieces = []
    if bounds.green_lower.is_set:
        low = []
        if bounds.red_below.is_set:
            low.append(term(_complement(bounds.red_below), "above"))
        low.append(term(_complement(bounds.green_lower), "below"))
        pieces.append(" and ".join(low))
    if bounds.green_upper.is_set:
        high = [term(_complement(bounds.green_upper), "above")]
        if bounds.red_above.is_set:
            high.append(term(_complement(bounds.red_above), "below"))
        pieces.append(" and ".join(high))
    return ", or ".join(pieces) or "never"


def describe(bounds: Bounds, *, percent: bool = False) -> str:
    """The whole rule in words: `Green ≥ 85.0%; Amber > 70.0% and < 85.0%; Red ≤ 70.0%`."""
    return "; ".join(
        f"{status.label} {describe_zone(bounds, status, percent=percent)}"
        for status in (Status.GREEN, Status.AMBER, Status.RED)
    )


def check_shape(bounds: Bounds, polarity: str) -> dict[str, str]:
    """
    Problems with a rule's shape, by field, for an administrator's form.

    The shape must match the polarity, and the green and red zones must not
    overlap: a value cannot be both on target and in failure.
    """
    needs = {
        "higher_is_better": {"green_lower", "red_below"},
        "lower_is_better": {"green_upper", "red_above"},
        "band": {"green_lower", "green_upper", "red_below"},
    }[polarity]
    problems = {}
    for name in ("green_lower", "green_upper", "red_below", "red_above"):
        is_set = getattr(bounds, name).is_set
        if name in needs and not is_set:
            problems[name] = f"A '{polarity.replace('_', ' ')}' rule needs this bound."
        elif name not in needs and is_set and not (polarity == "band" and name == "red_above"):
            problems[name] = f"A '{polarity.replace('_', ' ')}' rule does not use this bound."
    if problems:
        return problems
    for name in ("green_lower", "green_upper"):
        bound = getattr(bounds, name)
        if bound.is_set and bound.inclusive and is_red(bound.value, bounds):
            problems[name] = "The green zone overlaps the red zone."
    low, up = bounds.green_lower, bounds.green_upper
    if low.is_set and up.is_set and low.value > up.value:
        problems["green_upper"] = "The green zone's upper bound is below its lower bound."
    if bounds.red_below.is_set and low.is_set and bounds.red_below.value > low.value:
        problems["red_below"] = "The red zone reaches into the green zone."
    if bounds.red_above.is_set and up.is_set and bounds.red_above.value < up.value:
        problems["red_above"] = "The red zone reaches into the green zone."
    return problems
