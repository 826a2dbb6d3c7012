"""
The administrator's tools for the demand measures and their comparators.

Published figures are corrected here with their source; a neighbour group that
changes is a new group with its own dates, so earlier years keep theirs.
"""

from django.contrib import admin

from .models import (
    Authority,
    ComparatorValue,
    Measure,
    MeasureValue,
    NeighbourGroup,
    PublishedAverage,
)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "group", "unit", "kind", "per_10000", "describe_target"]
    list_filter = ["group", "unit", "kind"]
    search_fields = ["code", "title"]
    fields = [
        ("code", "title"),
        ("group", "unit", "kind"),
        ("polarity", "per_10000", "target_applies_to_rate"),
        ("green_lower", "green_lower_inclusive"),
        ("green_upper", "green_upper_inclusive"),
        ("red_below", "red_below_inclusive"),
        ("red_above", "red_above_inclusive"),
        "order",
    ]


@admin.register(MeasureValue)
class MeasureValueAdmin(admin.ModelAdmin):
    list_display = ["measure", "period", "span", "value", "published_rate", "source"]
    list_filter = ["span", "measure__group", "measure"]
    list_select_related = ["measure"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "code"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]


@admin.register(NeighbourGroup)
class NeighbourGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from", "effective_to", "source"]
    filter_horizontal = ["members"]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(admin.ModelAdmin):
    list_display = ["code", "authority", "year", "value", "source"]
    list_filter = ["code", "year", "authority__kind"]
    list_select_related = ["authority"]


@admin.register(PublishedAverage)
class PublishedAverageAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "year", "value", "source"]
    list_select_related = ["group"]
