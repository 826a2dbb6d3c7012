"""Each method on series whose future is known: a constant, a straight line, a repeating year."""

import pytest

from opb_portal.forecasting.methods import METHODS, holt_damped, holt_winters, mean

from .series import PATTERN, line, seasonal

HORIZON = 6


def at_the_end(method, values, horizon=HORIZON):
    """The method's forecasts from the whole series (the last origin), None if it cannot."""
    return method.paths(values, [len(values)], horizon, 12).get(len(values))


@pytest.mark.parametrize("method", [pytest.param(m, id=m.name) for m in METHODS])
def test_every_method_keeps_a_constant_constant(method):
    assert at_the_end(method, [42.0] * 36) == pytest.approx((42.0,) * HORIZON)


def test_holt_extrapolates_a_straight_line_exactly():
    values = line(24)

    forecasts = holt_damped(values, [24], HORIZON, 12)[24]

    assert forecasts == pytest.approx(tuple(line(24 + HORIZON)[24:]))


@pytest.mark.parametrize(
    "name", [pytest.param("seasonal_last_value", id="seasonal last value"), "holt_winters"]
)
def test_seasonal_methods_repeat_the_year(name):
    method = next(m for m in METHODS if m.name == name)

    assert at_the_end(method, seasonal(3), horizon=12) == pytest.approx(PATTERN)


def test_holt_winters_carries_a_trend_under_the_season():
    values = [v + 0.5 * month for month, v in enumerate(seasonal(3))]
    expected = [v + 0.5 * (36 + k) for k, v in enumerate(PATTERN[:HORIZON])]

    assert holt_winters(values, [36], HORIZON, 12)[36] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "months"),
    [
        pytest.param("seasonal_last_value", 23, id="seasonal last value, one month short"),
        pytest.param("holt_winters", 23, id="holt winters, one month short"),
    ],
)
def test_seasonal_methods_wait_for_two_full_seasons(name, months):
    method = next(m for m in METHODS if m.name == name)
    values = seasonal(2)[:months]

    assert at_the_end(method, values) is None
    assert at_the_end(method, seasonal(2)) is not None


def test_the_mean_is_of_the_history_up_to_each_origin():
    paths = mean([1.0, 2.0, 3.0, 10.0], [2, 4], 2, 12)

    assert paths == {2: (1.5, 1.5), 4: (4.0, 4.0)}
