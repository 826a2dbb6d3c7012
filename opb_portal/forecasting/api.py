"""
The forecasting interface: what every caller reads. (Interim body: the last-value
baseline only; the backtested methods replace it behind the same names.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

LEVEL = 0.8  # the prediction interval's coverage


@dataclass(frozen=True)
class Step:
    """One month ahead: the point forecast and its 80% prediction interval."""

    ahead: int  # 1 is the month after the last actual
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Accuracy:
    """
    How the chosen method did on this series when it was backtested: forecasts made from
    each earlier month (a rolling origin) compared with what actually happened.
    """

    method: str  # "last_value", "seasonal_last_value", "mean", "ses", "holt_damped", ...
    label: str  # the method in a reader's words: "the last value carried forward"
    tries: int  # 1-month-ahead forecasts tested (the last 12 at most)
    within: float | None  # |error| of the 1-month forecast was at most this ...
    hits: int  # ... this many times out of `tries` (9 in 10 where there are 10)
    mase: float | None  # mean absolute scaled error against the last-value baseline
    coverage: float | None  # share of backtested actuals inside the 80% interval
    fallback: bool  # True when no model beat the baseline, so the baseline is used


@dataclass(frozen=True)
class Forecast:
    method: str
    label: str
    steps: tuple[Step, ...]
    accuracy: Accuracy
    # Backtest errors (actual minus forecast) by months ahead: the spread a chance is read from.
    errors: dict[int, tuple[float, ...]] = field(default_factory=dict)

    def chance(self, ahead: int, happens: Callable[[float], bool]) -> float:
        """
        The chance that the figure `ahead` months on satisfies `happens` (red, say):
        the share of the point forecast plus each backtested error that does. With no
        errors to draw on, 1.0 or 0.0 from the point forecast alone.
        """
        step = self.steps[ahead - 1]
        errors = self.errors.get(ahead) or self.errors.get(1) or ()
        if not errors:
            return 1.0 if happens(step.value) else 0.0
        return sum(1 for e in errors if happens(step.value + e)) / len(errors)


def forecast(
    history: Sequence[float | None],
    *,
    horizon: int = 6,
    season: int = 12,
    min_history: int = 6,
) -> Forecast | None:
    """
    The next `horizon` months of `history` (monthly, oldest first; None for a month with
    no figure), or None when fewer than `min_history` figures end the series.
    """
    values = [v for v in history if v is not None]
    if len(values) < min_history:
        return None
    last = values[-1]
    errors = tuple(b - a for a, b in zip(values, values[1:], strict=False))
    spread = sorted(abs(e) for e in errors[-12:])
    width = spread[int(len(spread) * LEVEL) - 1] if spread else 0.0
    steps = tuple(
        Step(k, last, last - width * k**0.5, last + width * k**0.5) for k in range(1, horizon + 1)
    )
    accuracy = Accuracy(
        method="last_value",
        label="the last value carried forward",
        tries=len(spread),
        within=spread[int(len(spread) * 0.9) - 1] if spread else None,
        hits=int(len(spread) * 0.9),
        mase=1.0,
        coverage=None,
        fallback=True,
    )
    return Forecast("last_value", accuracy.label, steps, accuracy, {1: errors[-12:]})
