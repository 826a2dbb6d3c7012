"""`{% load numbers %}`: the filters every template writes numbers with (opb_portal.formatting)."""

from django import template

from opb_portal import formatting

register = template.Library()


@register.filter
def pounds(value):
    return formatting.pounds(value)


@register.filter
def signed_pounds(value):
    return formatting.pounds(value, signed=True)


@register.filter
def millions(value):
    return formatting.millions(value)


@register.filter
def signed_millions(value):
    return formatting.millions(value, signed=True)


@register.filter
def count(value):
    """`3,728`: a whole number with thousands separators."""
    return formatting.number(value)


@register.filter
def decimal(value, places=1):
    """`1,234.5`: a number at `places` with thousands separators."""
    return formatting.number(value, int(places))


@register.filter
def percent(value, places=1):
    """`87.2%`: a percentage at `places` (the measure's precision)."""
    return formatting.percent(value, int(places))


@register.filter
def fte(value):
    """`152.40`: full-time equivalents at two places."""
    return formatting.fte(value)


@register.filter
def points(value, places=1):
    """`0.9 points`: the difference between two percentages."""
    return formatting.difference(value, formatting.PERCENT, int(places))


@register.filter
def figure(value, measure):
    """A figure as its measure writes it: anything with `format_value` (a KPI, a measure)."""
    return measure.format_value(value)


@register.filter
def given(value, signed=""):
    """A figure at the places it holds, grouped (`143.61`, `86,835`); `given:"signed"`: `−0.01`."""
    return formatting.as_given(value, signed=signed == "signed")
