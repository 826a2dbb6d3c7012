"""
80% prediction intervals from the backtest's own errors, and how often they held.

The interval h months ahead is the point forecast plus the 10th and 90th percentiles of
the method's backtest errors h months ahead. Where fewer than MIN_ERRORS such errors
exist (long horizons on short series), the one-month errors are scaled by sqrt(h), as
the spread of a random walk grows; where even those are fewer than MIN_SCALED, the
month-to-month changes of the history stand in for them (a crude guess, said so by the
coverage of the backtest). No distribution is assumed: KPI errors are often skewed.

Coverage is counted honestly: at each backtest origin the interval is made from the
errors known at that origin (months before it) and the rule above, then compared with
what happened.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .backtest import Tried

LEVEL = 0.8  # the prediction interval's coverage: the middle 80% of the errors
LOWER, UPPER = 0.1, 0.9
MIN_ERRORS = 10  # errors at a horizon before their own percentiles are trusted
MIN_SCALED = 5  # one-month errors before they are scaled to longer horizons


def quantile(values: Sequence[float], share: float) -> float:
    """The `share` quantile, interpolating linearly between order statistics (numpy's)."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def error_sample(tried: Tried, ahead: int, known_at: int) -> tuple[float, ...]:
    """The errors an interval `ahead` months on is read from, at the origin `known_at`."""
    errors = tried.errors(ahead, known_at)
    if len(errors) >= MIN_ERRORS:
        return tuple(errors)
    scale = math.sqrt(ahead)
    ones = tried.errors(1, known_at)
    if len(ones) >= MIN_SCALED:
        return tuple(e * scale for e in ones)
    history = tried.values[:known_at]
    changes = [abs(b - a) * scale for a, b in zip(history, history[1:], strict=False)]
    return tuple(changes) + tuple(-c for c in changes)


def interval(value: float, sample: Sequence[float]) -> tuple[float, float]:
    """
    The 80% interval around `value`; it always holds the point forecast itself, even when
    the method's errors lean one way.
    """
    if not sample:
        return value, value
    return min(value, value + quantile(sample, LOWER)), max(value, value + quantile(sample, UPPER))


def coverage(tried: Tried, horizon: int) -> float | None:
    """The share of backtested actuals inside the interval made at their origin."""
    inside = total = 0
    for origin in tried.origins(1):
        path = tried.paths[origin]
        for ahead in range(1, horizon + 1):
            target = origin - 1 + ahead
            if target >= len(tried.values):
                break
            lower, upper = interval(path[ahead - 1], error_sample(tried, ahead, origin))
            total += 1
            inside += lower <= tried.values[target] <= upper
    return inside / total if total else None
