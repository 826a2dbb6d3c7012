"""The one way the portal writes a number (opb_portal.formatting and `{% load numbers %}`)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from opb_portal import formatting


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param(formatting.number(3728), "3,728", id="a-count-is-grouped"),
        pytest.param(formatting.number(999), "999", id="under-a-thousand-has-no-comma"),
        pytest.param(formatting.number(1234567), "1,234,567", id="millions-are-grouped"),
        pytest.param(formatting.number("40.65", 1), "40.7", id="halves-round-up"),
        pytest.param(formatting.number(Decimal("-12.5"), 0), "−13", id="a-real-minus-sign"),
        pytest.param(formatting.number(3, signed=True), "+3", id="signed-shows-a-plus"),
        pytest.param(formatting.number(0, signed=True), "0", id="signed-zero-has-no-sign"),
        pytest.param(formatting.number(None), "–", id="no-figure-is-a-dash"),
        pytest.param(formatting.number(""), "–", id="an-empty-figure-is-a-dash"),
        pytest.param(formatting.number(1234.5, 1), "1,234.5", id="a-decimal-is-grouped"),
        pytest.param(formatting.as_given(Decimal("86835.0")), "86,835", id="as-given-drops-zeros"),
        pytest.param(formatting.as_given(Decimal("2.50")), "2.5", id="as-given-keeps-places"),
        pytest.param(formatting.as_given(None), "–", id="as-given-none"),
        pytest.param(formatting.percent("87.24"), "87.2%", id="a-percentage-at-one-place"),
        pytest.param(formatting.percent(10, 0), "10%", id="a-comparator-at-no-places"),
        pytest.param(formatting.percent("5.125", 2), "5.13%", id="a-percentage-at-two-places"),
        pytest.param(formatting.percent(None), "–", id="no-percentage-is-a-dash-not-a-sign"),
        pytest.param(formatting.percent(-2, 1, signed=True), "−2.0%", id="a-fall-in-percent"),
        pytest.param(formatting.fte("152.4"), "152.40", id="fte-at-two-places"),
        pytest.param(formatting.fte(1200), "1,200.00", id="fte-is-grouped"),
        pytest.param(formatting.pounds(29_600_000), "£29,600,000", id="money-in-pounds"),
        pytest.param(formatting.pounds(Decimal("-352961.4")), "−£352,961", id="a-deficit"),
        pytest.param(formatting.pounds(1_400_000, signed=True), "+£1,400,000", id="signed-money"),
        pytest.param(formatting.pounds(None), "–", id="no-money-is-a-dash"),
        pytest.param(formatting.millions(29_600_000), "£29.60m", id="a-headline-in-millions"),
        pytest.param(formatting.millions(-8_785_000), "−£8.79m", id="millions-halves-round-up"),
        pytest.param(formatting.millions(None), "–", id="no-millions-is-a-dash"),
        pytest.param(
            formatting.millions(6_325_000, places=3), "£6.325m", id="millions-at-the-places-asked"
        ),
        pytest.param(formatting.in_millions(Decimal(8_785_000)), Decimal("8.79"), id="axis"),
        pytest.param(formatting.measure("87.24", "percent", 1), "87.2%", id="measure-percent"),
        pytest.param(formatting.measure(3728, "count", 0), "3,728", id="measure-count"),
        pytest.param(formatting.measure("429.28", "rate_per_10000", 1), "429.3", id="rate"),
        pytest.param(formatting.measure("1.5", "fte", 0), "1.50", id="measure-fte-two-places"),
        pytest.param(formatting.measure(29_600_000, "money", 0), "£29,600,000", id="money"),
        pytest.param(formatting.measure(3, "count", 0, signed=True), "+3", id="signed-measure"),
        pytest.param(formatting.difference("0.9", "percent", 1), "0.9 points", id="points"),
        pytest.param(formatting.difference(1, "percent", 0), "1 point", id="one-point"),
        pytest.param(formatting.difference(1200, "count", 0), "1,200", id="a-count-moved"),
        pytest.param(formatting.difference(None, "percent", 1), "–", id="no-difference"),
    ],
)
def test_each_kind_of_figure_is_written_one_way(written, expected):
    assert written == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param("{{ v|count }}", "3,728", id="count"),
        pytest.param("{{ v|decimal }}", "3,728.0", id="decimal-at-one-place-by-default"),
        pytest.param("{{ v|decimal:2 }}", "3,728.00", id="decimal-at-two-places"),
        pytest.param("{{ v|percent:0 }}", "3,728%", id="percent"),
        pytest.param("{{ v|fte }}", "3,728.00", id="fte"),
        pytest.param("{{ v|pounds }}", "£3,728", id="pounds"),
        pytest.param("{{ v|signed_pounds }}", "+£3,728", id="signed-pounds"),
        pytest.param("{{ v|millions }}", "£0.00m", id="millions"),
        pytest.param("{{ v|signed_millions }}", "£0.00m", id="signed-millions-rounded-to-none"),
        pytest.param("{{ v|figure:measure }}", "3,728.0%", id="figure-as-its-measure-writes-it"),
        pytest.param("{{ v|points:1 }}", "3,728.0 points", id="points"),
        pytest.param("{{ v|given }}", "3,728", id="given"),
        pytest.param("{{ v|given:'signed' }}", "+3,728", id="given-signed"),
    ],
)
def test_the_template_filters_write_what_the_module_writes(template, expected):
    class Measure:
        def format_value(self, value):
            return formatting.measure(value, "percent", 1)

    context = Context({"v": 3728, "measure": Measure()})
    assert Template("{% load numbers %}" + template).render(context) == expected
