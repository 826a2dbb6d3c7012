"""
The administrator's tools for the demand measures and their published figures.

Published figures are corrected here with their source. The comparators they are
benchmarked against are the comparators app's (`opb_portal.comparators.admin`).
"""

from django.contrib import admin

from .models import Measure, MeasureValue


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "group", "unit", "kind", "per_10000", "describe_target"]
    list_filter = ["group", "unit", "kind"]
    search_fields = ["code", "title"]
    fields = [
        ("code", "title"),
        ("group", "unit", "decimal_places", "kind"),
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
