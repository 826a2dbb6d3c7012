"""
Inspections are read here, never edited: they change through the import of Ofsted's file
(/inspections/import/) or the forms of /inspections/ (by hand), each keeping what it said.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import HandChange, Inspection, InspectionChange, InspectionImport, Recommendation


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["authority", "kind", "start_date", "end_date", "overall", "published_on"]
    list_filter = ["kind", "overall"]
    search_fields = ["authority__name", "authority__code"]
    list_select_related = ["authority"]


@admin.register(InspectionImport)
class InspectionImportAdmin(ReadOnlyAdmin):
    list_display = ["at", "filename", "user", "added", "changed", "unchanged"]
    list_select_related = ["user"]


@admin.register(InspectionChange)
class InspectionChangeAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "inspection_import"]
    list_select_related = ["inspection__authority", "inspection_import__user"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "number", "area"]
    list_select_related = ["inspection__authority"]


@admin.register(HandChange)
class HandChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "inspection", "recommendation", "user"]
    list_select_related = ["inspection__authority", "recommendation", "user"]
