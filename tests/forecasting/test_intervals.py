"""80% intervals from the backtest's errors, and coverage counted as it would have been then."""

import pytest

from opb_portal.forecasting import forecast
from opb_portal.forecasting.backtest import run_backtest
from opb_portal.forecasting.intervals import coverage, error_sample, interval, quantile

from .series import random_walk


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        pytest.param([1, 2, 3, 4, 5], 0.5, 3, id="the median"),
        pytest.param([1, 2, 3, 4, 5], 0.1, 1.4, id="between the first two"),
        pytest.param([5, 1, 4, 2, 3], 0.9, 4.6, id="unsorted"),
        pytest.param([7], 0.9, 7, id="one value"),
    ],
)
def test_quantiles_interpolate_between_order_statistics(values, share, expected):
    assert quantile(values, share) == pytest.approx(expected)


def test_intervals_widen_with_the_months_ahead():
    steps = forecast(random_walk(60, seed=8), horizon=6).steps

    widths = [step.upper - step.lower for step in steps]
    assert widths[-1] > 1.5 * widths[0]
    assert all(step.lower <= step.value <= step.upper for step in steps)


def test_an_interval_always_holds_its_point_forecast():
    assert interval(10.0, [1.0, 2.0, 3.0]) == (10.0, pytest.approx(12.8))


def test_a_horizon_with_too_few_errors_scales_the_one_month_errors_by_root_h():
    tried = run_backtest(random_walk(20, seed=4), horizon=6, season=12, min_history=6).tried[
        "last_value"
    ]

    # 14 one-month errors are enough; only 9 six-months-ahead ones are not.
    assert (len(tried.errors(1)), len(tried.errors(6))) == (14, 9)
    assert error_sample(tried, 6, 20) == pytest.approx([6**0.5 * e for e in tried.errors(1)])


def calm_then_stormy() -> list[float]:
    """Two years of tiny steps, then a year of big ones: intervals made in the calm are narrow."""
    steps = [0.1, -0.1] * 12 + [5.0, -5.0] * 6
    values, level = [], 100.0
    for step in steps:
        level += step
        values.append(level)
    return values


def test_coverage_uses_only_the_errors_known_at_each_origin():
    tried = run_backtest(calm_then_stormy(), horizon=1, season=12, min_history=6).tried[
        "last_value"
    ]
    peeking = sum(
        lower <= tried.values[t] <= upper
        for t in tried.origins(1)
        for lower, upper in [interval(tried.paths[t][0], tried.errors(1))]
    ) / len(tried.origins(1))

    honest = coverage(tried, horizon=1)

    # Honestly, the first 8 of the 12 stormy months fell outside intervals learnt in the
    # calm, until enough big errors were known to move the 10th and 90th percentiles.
    assert honest == pytest.approx(22 / 30)
    assert peeking == 1.0
