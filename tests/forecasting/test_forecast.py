"""`forecast`: too little history, gaps, the steps and the chance read from the errors."""

from decimal import Decimal

import pytest

from opb_portal.forecasting import forecast

from .series import line


@pytest.mark.parametrize(
    ("history", "min_history"),
    [
        pytest.param([1.0] * 5, 6, id="5 figures, 6 needed"),
        pytest.param([1.0, None, 2.0, None, 3.0, 4.0, 5.0], 6, id="gaps do not count"),
        pytest.param([], 6, id="nothing"),
        pytest.param([None] * 10, 2, id="no figures at all"),
    ],
)
def test_too_little_history_gives_no_forecast(history, min_history):
    assert forecast(history, min_history=min_history) is None


def test_the_steps_are_the_months_after_the_last():
    result = forecast(line(24), horizon=4)

    assert [step.ahead for step in result.steps] == [1, 2, 3, 4]


def test_a_gap_inside_the_history_is_closed_up():
    with_gap = [*line(12), None, None, *line(24)[12:]]

    assert forecast(with_gap).steps == forecast(line(24)).steps


def test_with_empty_months_at_the_end_step_1_is_the_month_after_the_last_given():
    result = forecast([*line(24), None, None], horizon=3)

    # The last figure is month 24; two empty months, then steps for months 27, 28, 29.
    assert [step.ahead for step in result.steps] == [1, 2, 3]
    assert [step.value for step in result.steps] == pytest.approx(line(29)[26:])


def test_decimal_figures_are_forecast_as_numbers():
    result = forecast([Decimal("62.5")] * 12)

    assert result.steps[0].value == 62.5


def test_the_chance_is_read_from_the_errors_at_that_horizon():
    result = forecast([10.0, 12.0] * 12, horizon=2)

    # The mean (11) beats the last value on a zigzag; about half its past errors were +1.
    assert result.method == "mean"
    assert result.chance(1, lambda value: value > 11) == pytest.approx(0.5, abs=0.1)


def test_the_chance_agrees_with_the_interval():
    result = forecast([float(v % 7) + 0.1 * v for v in range(48)])
    step = result.steps[0]

    # The interval is the middle 80% of the same errors the chance is read from.
    assert result.chance(1, lambda value: value < step.lower) <= 0.1
    assert result.chance(1, lambda value: value > step.upper) <= 0.1
    assert result.chance(1, lambda value: step.lower <= value <= step.upper) >= 0.8
