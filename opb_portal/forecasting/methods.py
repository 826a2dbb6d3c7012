"""
The forecasting methods: three baselines and three exponential smoothing models.

Each method answers, for every origin of a rolling-origin backtest at once, the forecasts
1..horizon months after the origin, made only from the figures before it (`values[:t]`
for origin t). Doing every origin in one pass is what keeps a forecast cheap: a model's
parameters are chosen at each origin by a grid search on the in-sample one-step squared
error up to that origin, and one run of the recursion per parameter set gives that error
at every origin together (the running sum), instead of one fit per origin.

Plain Python on floats: the series are 12 to 120 months long, where numpy's per-call cost
outweighs its speed, and production needs no numerical library (decision 0010).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# origin -> forecasts 1..horizon months on; a method absent at an origin cannot forecast there
Paths = dict[int, tuple[float, ...]]

# The grids searched at each origin. phi = 1 keeps the trend undamped, so that a straight
# line is extrapolated exactly; the smaller values flatten a trend the further out we go.
SES_ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
HOLT_GRID = tuple(itertools.product((0.1, 0.3, 0.5, 0.8), (0.05, 0.2, 0.5), (0.8, 0.9, 0.98, 1.0)))
WINTERS_GRID = tuple(itertools.product((0.1, 0.3, 0.6), (0.05, 0.2), (0.05, 0.2, 0.5), (0.9, 1.0)))


@dataclass(frozen=True)
class Method:
    name: str
    label: str  # the method in a reader's words
    paths: Callable[[Sequence[float], Sequence[int], int, int], Paths]


# --- baselines -----------------------------------------------------------------------


def last_value(values: Sequence[float], origins: Sequence[int], horizon: int, season: int) -> Paths:
    return {t: (values[t - 1],) * horizon for t in origins if t >= 1}


def seasonal_last_value(
    values: Sequence[float], origins: Sequence[int], horizon: int, season: int
) -> Paths:
    """The same month a year (a season) earlier; only with two full seasons behind it."""
    paths = {}
    for t in origins:
        if t >= 2 * season:
            # h months on is the month t-1+h; the latest figure in its place of the season.
            paths[t] = tuple(
                values[t - 1 + h - season * ((h - 1) // season + 1)] for h in range(1, horizon + 1)
            )
    return paths


def mean(values: Sequence[float], origins: Sequence[int], horizon: int, season: int) -> Paths:
    paths, total = {}, 0.0
    wanted = set(origins)
    for t in range(1, max(origins, default=0) + 1):
        total += values[t - 1]  # the sum of the t figures before origin t
        if t in wanted:
            paths[t] = (total / t,) * horizon
    return paths


# --- smoothing models ------------------------------------------------------------------


def _grid_searched(
    run: Callable[..., tuple[list[float], dict[int, tuple[float, ...]]]],
    grid: Sequence[tuple[float, ...]],
    values: Sequence[float],
    origins: Sequence[int],
    horizon: int,
    earliest: int,
) -> Paths:
    """
    At each origin, the forecasts of the parameters with the least in-sample one-step
    squared error up to that origin. First pass: the running error of every parameter set;
    second: the forecasts, only for the parameter sets that win somewhere.
    """
    origins = [t for t in origins if t >= earliest]
    if not origins:
        return {}
    running = [run(values, params, (), horizon)[0] for params in grid]
    winners: dict[int, list[int]] = {}  # index in the grid -> the origins it wins
    for t in origins:
        best = min(range(len(grid)), key=lambda i: running[i][t])
        winners.setdefault(best, []).append(t)
    paths: Paths = {}
    for index, won in winners.items():
        paths.update(run(values, grid[index], won, horizon)[1])
    return paths


def _damped_sums(phi: float, horizon: int) -> list[float]:
    """phi + phi^2 + ... + phi^h for h = 1..horizon: how much of the trend h months add."""
    sums, total, power = [], 0.0, 1.0
    for _ in range(horizon):
        power *= phi
        total += power
        sums.append(total)
    return sums


def _ses_run(values, params, origins, horizon):
    """Running SSE[t] (errors before t) and the forecasts at `origins`."""
    (alpha,) = params
    wanted = set(origins)
    level = values[0]
    sse = [0.0, 0.0]  # sse[t]: squared one-step errors of values[1:t]
    paths = {}
    for t in range(1, len(values) + 1):
        if t in wanted:
            paths[t] = (level,) * horizon
        if t == len(values):
            break
        error = values[t] - level
        level += alpha * error
        sse.append(sse[-1] + error * error)
    return sse, paths


def _holt_run(values, params, origins, horizon):
    """Holt's linear trend, damped by phi: level and trend from the first two figures."""
    alpha, beta, phi = params
    wanted = set(origins)
    sums = _damped_sums(phi, horizon)
    level, trend = values[1], values[1] - values[0]
    sse = [0.0, 0.0, 0.0]
    paths = {}
    for t in range(2, len(values) + 1):
        if t in wanted:
            paths[t] = tuple(level + s * trend for s in sums)
        if t == len(values):
            break
        expected = level + phi * trend
        error = values[t] - expected
        new_level = expected + alpha * error
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
        sse.append(sse[-1] + error * error)
    return sse, paths


def _winters_run(values, params, origins, horizon, season=12):
    """
    Additive Holt-Winters with a damped trend. Starting values from the first two seasons:
    the level from the first season's mean, the trend from the change between the two
    seasons' means, each month's effect from its distance to that line. The recursion runs
    from the second season on, so the first origin is two full seasons in.
    """
    alpha, beta, gamma, phi = params
    m = season
    wanted = set(origins)
    sums = _damped_sums(phi, horizon)
    first, second = sum(values[:m]) / m, sum(values[m : 2 * m]) / m
    trend = (second - first) / m
    effects = [values[i] - (first + (i - (m - 1) / 2) * trend) for i in range(m)]
    level = first + (m - 1) / 2 * trend  # the level at month m-1
    sse = [0.0] * (m + 1)
    paths = {}
    for t in range(m, len(values) + 1):
        if t in wanted:
            paths[t] = tuple(
                level + sums[h - 1] * trend + effects[(t - 1 + h) % m]
                for h in range(1, horizon + 1)
            )
        if t == len(values):
            break
        effect = effects[t % m]
        expected = level + phi * trend
        error = values[t] - expected - effect
        new_level = expected + alpha * error
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        effects[t % m] = gamma * (values[t] - new_level) + (1 - gamma) * effect
        level = new_level
        sse.append(sse[-1] + error * error)
    return sse, paths


def ses(values: Sequence[float], origins: Sequence[int], horizon: int, season: int) -> Paths:
    return _grid_searched(_ses_run, [(a,) for a in SES_ALPHAS], values, origins, horizon, 1)


def holt_damped(
    values: Sequence[float], origins: Sequence[int], horizon: int, season: int
) -> Paths:
    if len(values) < 2:
        return {}
    return _grid_searched(_holt_run, HOLT_GRID, values, origins, horizon, 2)


def holt_winters(
    values: Sequence[float], origins: Sequence[int], horizon: int, season: int
) -> Paths:
    """Only where two full seasons lie behind the origin (the starting values need them)."""
    if len(values) < 2 * season:
        return {}

    def run(values, params, origins, horizon):
        return _winters_run(values, params, origins, horizon, season)

    return _grid_searched(run, WINTERS_GRID, values, origins, horizon, 2 * season)


LAST_VALUE = Method("last_value", "the last value carried forward", last_value)

METHODS: tuple[Method, ...] = (
    LAST_VALUE,
    Method("seasonal_last_value", "the same month a year earlier", seasonal_last_value),
    Method("mean", "the average of every month so far", mean),
    Method("ses", "simple exponential smoothing (recent months weigh most)", ses),
    Method("holt_damped", "Holt's trend, damped (the recent trend, flattening)", holt_damped),
    Method("holt_winters", "Holt-Winters (the trend and the pattern of the year)", holt_winters),
)
