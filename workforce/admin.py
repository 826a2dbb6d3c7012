"""
The administrator's tools for the caseload model and the workforce RAG rules.

Neither is edited to change history: to revise a model or a rule from a given
month, add a new one with that month as its effective date, so earlier months
keep what was in force then.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import CaseloadFigure, CaseloadStandard, Service, WorkforceMonth, WorkforceRule


class CaseloadStandardInline(admin.TabularInline):
    model = CaseloadStandard
    extra = 0
    fields = ["effective_from", "average_children", "asye_reduction", "source", "reason"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "first_month", "last_month"]
    inlines = [CaseloadStandardInline]


@admin.register(CaseloadStandard)
class CaseloadStandardAdmin(admin.ModelAdmin):
    list_display = ["service", "effective_from", "average_children", "asye_reduction", "source"]
    list_filter = ["service"]
    list_select_related = ["service"]


@admin.register(WorkforceRule)
class WorkforceRuleAdmin(admin.ModelAdmin):
    list_display = ["measure", "effective_from", "polarity", "describe", "source"]
    list_filter = ["measure", "polarity"]
    fields = [
        "measure",
        "effective_from",
        "polarity",
        ("green_lower", "green_lower_inclusive"),
        ("green_upper", "green_upper_inclusive"),
        ("red_below", "red_below_inclusive"),
        ("red_above", "red_above_inclusive"),
        "source",
        "reason",
    ]


@admin.register(WorkforceMonth)
class WorkforceMonthAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "establishment_fte",
        "permanent_excl_asye_fte",
        "asye_fte",
        "agency_fte",
    ]


@admin.register(CaseloadFigure)
class CaseloadFigureAdmin(ReadOnlyAdmin):
    list_display = ["period", "service", "children", "fte", "illustrative", "source"]
    list_filter = ["service", "illustrative"]
    list_select_related = ["service"]
