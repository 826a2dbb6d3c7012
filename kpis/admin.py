"""
The administrator's tools for keeping the KPI definitions right.

Rules are never edited to change history: to revise a KPI's thresholds from a
given month, add a new rule with that month as its effective date, so earlier
months keep the rule that was in force then.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import Framework, KpiDefinition, KpiForecast, KpiValue, ThresholdRule


class ThresholdRuleInline(admin.StackedInline):
    model = ThresholdRule
    extra = 0
    fields = [
        "effective_from",
        "polarity",
        ("green_lower", "green_lower_inclusive"),
        ("green_upper", "green_upper_inclusive"),
        ("red_below", "red_below_inclusive"),
        ("red_above", "red_above_inclusive"),
        "contract_wording",
        "source",
        "reason",
    ]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "effective_from", "effective_to"]


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "framework",
        "unit",
        "decimal_places",
        "measure_type",
        "grace_months",
        "exception_report_when_amber",
    ]
    list_filter = ["framework", "unit", "measure_type", "exception_report_when_amber"]
    list_select_related = ["framework"]
    search_fields = ["code", "title"]
    # A KPI's comparators are the comparator store's, by its code (Comparators).
    inlines = [ThresholdRuleInline]


@admin.register(ThresholdRule)
class ThresholdRuleAdmin(admin.ModelAdmin):
    list_display = ["kpi", "effective_from", "polarity", "describe"]
    list_filter = ["kpi__framework", "polarity"]
    list_select_related = ["kpi__framework"]


@admin.register(KpiValue)
class KpiValueAdmin(ReadOnlyAdmin):
    """Figures arrive through returns; the administrator can read them, not edit them."""

    list_display = ["kpi", "period", "value", "illustrative"]
    list_filter = ["kpi__framework", "period", "illustrative"]
    list_select_related = ["kpi__framework"]


@admin.register(KpiForecast)
class KpiForecastAdmin(ReadOnlyAdmin):
    """Forecasts are made when a return is approved (or by `refresh_forecasts`), never typed."""

    list_display = ["kpi", "last_period", "method", "last_status", "red_streak", "made_at"]
    list_filter = ["kpi__framework", "last_period", "method"]
    list_select_related = ["kpi__framework"]
