"""
Inspections are read here, never edited: they change only through the import of Ofsted's
file (/inspections/import/), which keeps what each said before.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import Inspection, InspectionChange, InspectionImport


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
