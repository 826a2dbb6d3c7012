"""
The forecasting interface: what every caller reads.

`forecast` runs the rolling-origin backtest (backtest.py) over the series, keeps the
method that beat the last value one month ahead (or the last value), and reads the
80% interval and the accuracy from that method's own backtest errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .accuracy import accuracy_sentence, within_and_hits
from .backtest import run_backtest
from .intervals import LEVEL, coverage, error_sample, interval
from .methods import LAST_VALUE


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

    Gaps: the figures that exist are taken as consecutive months (a gap inside the
    history is closed up, which may shift a seasonal method by a month; the backtest
    judges it as it is). Months without a figure at the end still count: the forecast
    starts from the last figure, and `Step.ahead` 1 is the month after the last month
    given, so with two empty months at the end step 1 is three months past the figure.
    """
    values = [float(v) for v in history if v is not None]
    if len(values) < min_history:
        return None
    gap = len(history) - 1 - max(i for i, v in enumerate(history) if v is not None)
    reach = gap + horizon  # months from the last figure to the last step
    backtest = run_backtest(values, horizon=reach, season=season, min_history=min_history)
    method, fallback = backtest.choose()
    tried = backtest.tried[method.name]
    path = tried.paths[len(values)]
    steps, errors = [], {}
    for ahead in range(1, horizon + 1):
        sample = error_sample(tried, gap + ahead, len(values))
        value = path[gap + ahead - 1]
        steps.append(Step(ahead, value, *interval(value, sample)))
        errors[ahead] = sample
    within, hits, tries = within_and_hits(tried.errors(1))
    accuracy = Accuracy(
        method=method.name,
        label=method.label,
        tries=tries,
        within=within,
        hits=hits,
        mase=1.0 if method is LAST_VALUE and tries else backtest.relative_mae(method.name),
        coverage=coverage(tried, reach),
        fallback=fallback,
    )
    return Forecast(method.name, method.label, tuple(steps), accuracy, errors)


__all__ = ["LEVEL", "Accuracy", "Forecast", "Step", "accuracy_sentence", "forecast"]
