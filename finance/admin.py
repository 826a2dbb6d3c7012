"""
The administrator's tools for each financial year's plan.

A year's plan is set up once (contract sum, opening deficit, budgets, income
sources, savings schemes, the cost drivers' assumptions, the tolerances) and
can be corrected; the monthly figures arrive through the finance return and
can be read here, not edited.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import (
    CostDriver,
    DriverFigure,
    FinanceFigure,
    FinanceLine,
    FinanceYear,
    PublishedOutturn,
    Scenario,
    ScenarioChange,
)


class FinanceLineInline(admin.TabularInline):
    model = FinanceLine
    extra = 0
    fields = ["order", "code", "name", "group", "budget"]


class CostDriverInline(admin.TabularInline):
    model = CostDriver
    extra = 0
    fields = ["order", "code", "measure", "plan"]


@admin.register(FinanceYear)
class FinanceYearAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "contract_sum",
        "opening_cumulative_deficit",
        "variance_tolerance_percent",
        "variance_tolerance_amount",
        "movement_tolerance",
        "illustrative",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "start_year",
                    "contract_sum",
                    "previous_contract_sum",
                    "opening_cumulative_deficit",
                ]
            },
        ),
        (
            "Tolerances",
            {
                "fields": [
                    "variance_tolerance_percent",
                    "variance_tolerance_amount",
                    "movement_tolerance",
                ]
            },
        ),
        (None, {"fields": ["illustrative", "notes"]}),
    ]
    inlines = [FinanceLineInline, CostDriverInline]


@admin.register(FinanceFigure)
class FinanceFigureAdmin(ReadOnlyAdmin):
    list_display = ["line", "period", "actual_to_date", "forecast_outturn", "illustrative"]
    list_filter = ["line__year", "period", "line__group"]
    list_select_related = ["line"]


@admin.register(DriverFigure)
class DriverFigureAdmin(ReadOnlyAdmin):
    list_display = ["driver", "period", "value", "illustrative"]
    list_filter = ["driver__year", "period"]
    list_select_related = ["driver"]


@admin.register(PublishedOutturn)
class PublishedOutturnAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contract_sum", "income", "expenditure", "source"]


class ScenarioChangeInline(admin.TabularInline):
    model = ScenarioChange
    extra = 0
    fields = ["order", "measure", "how", "month", "value"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """
    Saved scenarios, for an administrator to put one right. The council builds them on
    their pages (finance.scenarios), where every change is checked against the figures.
    """

    list_display = ["name", "year", "in_pack", "created_by", "updated_at"]
    list_filter = ["year", "in_pack"]
    list_select_related = ["year", "created_by"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fields = ["year", "name", "description", "in_pack", *readonly_fields]
    inlines = [ScenarioChangeInline]
