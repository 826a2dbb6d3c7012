"""`{% load benchmarks %}`: a benchmark figure as the benchmark page's other figures are written."""

from django import template

from demand.selectors import written

register = template.Library()


@register.filter
def benchmark_figure(value, measure):
    """A rate per 10,000 at one place, or the measure's own figure (`demand.selectors.written`)."""
    return written(measure, value)
