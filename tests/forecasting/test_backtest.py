"""The rolling-origin backtest: it never reads the future, and keeps the baseline unless beaten."""

import pytest

from opb_portal.forecasting import forecast
from opb_portal.forecasting.backtest import run_backtest

from .series import line, random_walk, seasonal, trend_with_noise


def test_no_origin_sees_the_months_after_it():
    values = trend_with_noise(36, seed=3)
    absurd = [*values[:-1], 1e9]

    honest = run_backtest(values, horizon=6, season=12, min_history=6)
    spoiled = run_backtest(absurd, horizon=6, season=12, min_history=6)

    for name, tried in honest.tried.items():
        earlier = {t: path for t, path in tried.paths.items() if t < 36}
        assert earlier, name
        assert {t: spoiled.tried[name].paths[t] for t in earlier} == earlier, name


def test_the_errors_known_at_an_origin_end_before_it():
    tried = run_backtest(line(20), horizon=3, season=12, min_history=6).tried["mean"]

    # Origins 6..17 forecast month t-1+2 <= 18, known at origin 19; 18's (month 19) is not.
    assert len(tried.errors(2, known_at=19)) == 12
    assert len(tried.errors(2)) == 13


@pytest.mark.parametrize(
    "seed", [pytest.param(seed, id=f"random walk {seed}") for seed in (1, 2, 3)]
)
def test_it_falls_back_to_the_last_value_when_there_is_only_noise_in_the_steps(seed):
    result = forecast(random_walk(48, seed=seed))

    assert result.method == "last_value"
    assert result.accuracy.fallback is True
    assert result.accuracy.mase == 1.0


def test_a_constant_keeps_the_plainest_method():
    result = forecast([7.0] * 24)

    assert (result.method, result.accuracy.fallback) == ("last_value", True)
    assert [step.value for step in result.steps] == [7.0] * 6


@pytest.mark.parametrize(
    ("values", "method"),
    [
        pytest.param(line(24), "holt_damped", id="a straight line: Holt"),
        pytest.param(trend_with_noise(48, seed=5), "holt_damped", id="a noisy trend: Holt"),
        pytest.param(seasonal(3), "seasonal_last_value", id="a repeating year: last year"),
    ],
)
def test_a_method_that_beats_the_baseline_is_chosen(values, method):
    result = forecast(values)

    assert result.method == method
    assert result.accuracy.fallback is False
    assert result.accuracy.mase < 0.95


def test_a_straight_line_is_forecast_exactly():
    result = forecast(line(24))

    assert [step.value for step in result.steps] == pytest.approx(line(30)[24:])
