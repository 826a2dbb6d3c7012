"""`{% load money %}`: the `pounds` and `millions` filters (see finance.formatting)."""

from django import template

from finance import formatting

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
