"""
The rolling-origin backtest, and the choice of method it makes for one series.

From each origin t (min_history <= t <= n) every method forecasts 1..horizon months on
from `values[:t]` only; where the month forecast has a figure, the error (actual minus
forecast) is kept by months ahead. Origin n, with nothing to compare, is the forecast
itself. A method is chosen by its mean absolute error one month ahead, compared with
the last value's over the same origins (a method that needs two seasons is tested on
fewer); the last value stays unless another method beats it by MARGIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .methods import LAST_VALUE, METHODS, Method

# A method must have been tried this many times one month ahead before it can be chosen.
MIN_TRIES_TO_CHOOSE = 6
# ... and beat the last value's MAE by this share: on a random walk some model wins by
# 2-4% by luck alone, and the plainest method should keep a tie that close.
MARGIN = 0.05


@dataclass(frozen=True)
class Tried:
    """One method over the backtest: its forecasts from each origin, and their errors."""

    method: Method
    paths: dict[int, tuple[float, ...]]  # origin -> forecasts 1..horizon on
    values: Sequence[float]

    def error(self, origin: int, ahead: int) -> float | None:
        """Actual minus forecast for the month `ahead` after `origin`; None if unknown."""
        path = self.paths.get(origin)
        target = origin - 1 + ahead
        if path is None or target >= len(self.values):
            return None
        return self.values[target] - path[ahead - 1]

    def origins(self, ahead: int = 1) -> list[int]:
        """The origins whose forecast `ahead` months on can be checked, oldest first."""
        return sorted(t for t in self.paths if t - 1 + ahead < len(self.values))

    def errors(self, ahead: int, known_at: int | None = None) -> list[float]:
        """
        The errors `ahead` months on, oldest first; with `known_at`, only those whose
        month was before that origin (what someone forecasting then could have known).
        """
        last_target = len(self.values) if known_at is None else known_at
        return [
            self.values[t - 1 + ahead] - self.paths[t][ahead - 1]
            for t in self.origins(ahead)
            if t - 1 + ahead < last_target
        ]

    def mae(self, origins: Sequence[int], ahead: int = 1) -> float:
        errors = [abs(self.error(t, ahead)) for t in origins]
        return sum(errors) / len(errors)


@dataclass(frozen=True)
class Backtest:
    values: tuple[float, ...]
    horizon: int
    tried: dict[str, Tried]  # by method name

    def relative_mae(self, name: str, ahead: int = 1) -> float | None:
        """
        The method's MAE over the last value's on the same origins (the MASE): below 1,
        it beat the baseline. None where it was never tried; 1.0 where both are perfect.
        """
        tried = self.tried[name]
        origins = tried.origins(ahead)
        if not origins:
            return None
        baseline = self.tried[LAST_VALUE.name].mae(origins, ahead)
        mae = tried.mae(origins, ahead)
        if baseline == 0:
            return 1.0 if mae == 0 else float("inf")
        return mae / baseline

    def choose(self, known_at: int | None = None) -> tuple[Method, bool]:
        """
        The method with the least relative MAE one month ahead, and whether it is the
        fallback (nothing beat the last value). With `known_at`, from the errors known at
        that origin only: the choice someone would have made then (for honest figures).
        """
        best, best_ratio = LAST_VALUE, 1.0
        for name, tried in self.tried.items():
            origins = tried.origins(1)
            if known_at is not None:
                origins = [t for t in origins if t < known_at]
            if name == LAST_VALUE.name or len(origins) < MIN_TRIES_TO_CHOOSE:
                continue
            baseline = self.tried[LAST_VALUE.name].mae(origins)
            mae = tried.mae(origins)
            # A clear win only: a tie (a constant series) keeps the plainest method.
            if baseline > 0 and mae / baseline < min(best_ratio, 1 - MARGIN):
                best, best_ratio = tried.method, mae / baseline
        return best, best is LAST_VALUE


def run_backtest(
    values: Sequence[float], *, horizon: int, season: int, min_history: int
) -> Backtest:
    """Every method from every origin, min_history to len(values) inclusive."""
    values = tuple(values)
    origins = list(range(max(min_history, 1), len(values) + 1))
    tried = {
        method.name: Tried(method, method.paths(values, origins, horizon, season), values)
        for method in METHODS
    }
    return Backtest(values, horizon, tried)
