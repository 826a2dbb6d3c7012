"""The accuracy figures and the sentence a board member reads, honest about short histories."""

import pytest

from opb_portal.forecasting import Accuracy, accuracy_sentence, forecast
from opb_portal.forecasting.accuracy import within_and_hits


def points(difference: float) -> str:
    return f"{difference:.1f} points"


def accuracy(tries: int, hits: int, within: float | None) -> Accuracy:
    return Accuracy("ses", "smoothing", tries, within, hits, 0.8, 0.8, False)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        pytest.param([], (None, 0, 0), id="no tries"),
        pytest.param([-2.0], (2.0, 1, 1), id="one try"),
        pytest.param([1, -4, 2, 0.5, 3], (3, 4, 5), id="5 tries: one bad month left out"),
        pytest.param([1] * 9 + [5, 6, 7], (6, 11, 12), id="12 tries: 11 of 12 at least"),
        pytest.param([1] * 10, (1, 10, 10), id="ties all count"),
        pytest.param([99] * 3 + [1] * 12, (1, 12, 12), id="only the last 12 tries"),
    ],
)
def test_within_is_the_smallest_error_that_9_in_10_tries_stay_inside(errors, expected):
    assert within_and_hits(errors) == expected


@pytest.mark.parametrize(
    ("tries", "hits", "within", "sentence"),
    [
        pytest.param(0, 0, None, "Not enough history to test this forecast yet.", id="0 tries"),
        pytest.param(
            1,
            1,
            2.1,
            "Tested on one month only, the 1-month forecast was 2.1 points out.",
            id="1 try",
        ),
        pytest.param(
            5,
            4,
            2.1,
            "Over the 5 months it could be tested, the 1-month forecast was within 2.1 points"
            " 4 times in 5.",
            id="5 tries",
        ),
        pytest.param(
            12,
            11,
            2.1,
            "Over the last 12 months, the 1-month forecast was within 2.1 points 9 times in 10.",
            id="12 tries",
        ),
    ],
)
def test_the_sentence_says_how_often_and_how_near(tries, hits, within, sentence):
    assert accuracy_sentence(accuracy(tries, hits, within), points) == sentence


def test_a_forecast_with_no_backtest_says_so():
    result = forecast([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])

    assert result.accuracy.tries == 0
    assert result.accuracy.mase is None
    assert accuracy_sentence(result.accuracy, points) == (
        "Not enough history to test this forecast yet."
    )


def test_a_long_series_is_judged_on_its_last_12_months():
    result = forecast([float(v % 5) for v in range(40)])

    assert result.accuracy.tries == 12
    assert accuracy_sentence(result.accuracy, points).startswith("Over the last 12 months")
