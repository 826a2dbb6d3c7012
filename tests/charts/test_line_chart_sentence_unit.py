"""One point of a percentage is said with its %: a chart's sentence writes figures the one way."""

from decimal import Decimal

import pytest

from opb_portal.charts.svg import Series, line_chart


@pytest.mark.parametrize(
    ("unit", "said"),
    [
        pytest.param("%", "Sandwell 54.8% in 2024; England 56.0% in 2024", id="percentage"),
        pytest.param("", "Sandwell 54.8 in 2024; England 56.0 in 2024", id="no-unit"),
    ],
)
def test_one_point_is_a_sentence_with_the_figures_unit(unit, said):
    html = line_chart(
        title="Care leavers in EET",
        labels=["2024"],
        series=[Series("Sandwell", [Decimal("54.8")]), Series("England", [Decimal("56.0")])],
        y_unit=unit,
    )
    assert 'class="chart-sentence"' in html
    assert said in html
