"""The administrator corrects the child population when the ONS revises it."""

from django.contrib import admin

from .models import ChildPopulation


@admin.register(ChildPopulation)
class ChildPopulationAdmin(admin.ModelAdmin):
    list_display = ["financial_year_start", "children", "source"]
