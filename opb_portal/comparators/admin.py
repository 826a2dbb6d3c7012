"""
The administrator's tools for the comparator store.

Authorities (with their ONS and DfE codes, former codes and reorganisations), neighbour
groups and the mappings of published files (`PublishedMeasure`) are set here; a neighbour
group that changes is a new group with its own dates, so earlier years keep theirs (the
comparators page loads one and closes the group before it). Comparator figures and
published averages are read here but changed only through the comparator import or
typed entry (/comparators/), which keep every old value: an edit here would change a
ranking silently.
"""

from django.contrib import admin
from django.db.models import Case, CharField, F, Value, When

from opb_portal.core.admin_site import ReadOnlyAdmin

from . import registry
from .models import (
    Authority,
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
    FormerCode,
    NeighbourGroup,
    PublishedAverage,
    PublishedMeasure,
)


class FormerCodeInline(admin.TabularInline):
    model = FormerCode
    extra = 0


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "code", "la_code", "active_from", "active_to"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code", "la_code", "former_codes__code"]
    fields = [
        "name",
        "kind",
        "code",
        "la_code",
        "region",
        "active_from",
        "active_to",
        "replaced_by",
    ]
    filter_horizontal = ["replaced_by"]
    inlines = [FormerCodeInline]


@admin.register(FormerCode)
class FormerCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "authority", "until"]
    list_select_related = ["authority"]
    search_fields = ["code", "authority__name", "authority__code"]
    autocomplete_fields = ["authority"]


@admin.register(PublishedMeasure)
class PublishedMeasureAdmin(admin.ModelAdmin):
    """Which column of which published file is which measure: an administrator corrects a
    mapping here when a release renames a column (the filters are JSON, checked by the
    model's `clean`)."""

    list_display = [
        "title",
        "code",
        "publication",
        "file_pattern",
        "indicator",
        "unit",
        "polarity",
        "year_basis",
        "first_year",
        "active",
    ]
    list_filter = ["publication", "active", "unit", "year_basis"]
    search_fields = ["code", "title", "file_pattern", "indicator"]


@admin.register(NeighbourGroup)
class NeighbourGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from", "effective_to", "source"]
    filter_horizontal = ["members"]


class MeasureFilter(admin.SimpleListFilter):
    """Filter by what a figure measures, listed by title."""

    title = "measure"
    parameter_name = "code"

    def lookups(self, request, model_admin):
        codes = set(model_admin.model.objects.values_list("code", flat=True).distinct())
        titles = registry.titles()
        return sorted(((code, titles.get(code, code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(code=self.value()) if self.value() else queryset


class ReadOnly(ReadOnlyAdmin):
    """Listed for reading; changed through the comparator pages, which keep the history."""

    change_list_template = "admin/comparators/comparators_change_list.html"


class Measured(ReadOnly):
    """A figure listed with the title of what it measures, as well as its code."""

    def get_queryset(self, request):
        # Each row says what it measures by its title ("Section 47 enquiries"), never only by
        # its code (`s47_enquiries`): the titles are the domains' (the registry), read once.
        titles = registry.titles()
        named = Case(
            *(When(code=code, then=Value(title)) for code, title in titles.items()),
            default=F("code"),
            output_field=CharField(),
        )
        return super().get_queryset(request).annotate(measure_title=named)

    @admin.display(description="Measure", ordering="measure_title")
    def measure(self, obj):
        return getattr(obj, "measure_title", obj.code)


@admin.register(ComparatorValue)
class ComparatorValueAdmin(Measured):
    list_display = [
        "measure",
        "code",
        "authority",
        "year",
        "year_basis",
        "value",
        "source",
        "comparator_import",
    ]
    list_filter = [MeasureFilter, "year", "authority__kind"]
    list_select_related = ["authority", "comparator_import__user"]


@admin.register(PublishedAverage)
class PublishedAverageAdmin(Measured):
    list_display = [
        "measure",
        "code",
        "group",
        "year",
        "year_basis",
        "value",
        "source",
        "comparator_import",
    ]
    list_select_related = ["group", "comparator_import__user"]


class ComparatorChangeInline(admin.TabularInline):
    model = ComparatorChange
    fields = ["code", "authority", "group", "year", "old_value", "new_value", "new_source"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ComparatorImport)
class ComparatorImportAdmin(ReadOnly):
    list_display = ["at", "user", "source", "filename", "added", "changed", "unchanged"]
    list_filter = ["source"]
    list_select_related = ["user"]
    inlines = [ComparatorChangeInline]
