from django.urls import path

from . import views

app_name = "comparators"

urlpatterns = [
    # Administrators: comparator figures imported from a file or typed, with their history.
    path("comparators/", views.comparators, name="list"),
    path("comparators/new/", views.comparator_add, name="add"),
    path("comparators/<int:pk>/", views.comparator_import_detail, name="detail"),
    path("comparators/import/", views.comparator_import, name="import"),
    path(
        "comparators/import/<slug:token>/",
        views.comparator_import_preview,
        name="import_preview",
    ),
    path(
        "comparators/problems/<slug:token>/",
        views.comparator_import_refused,
        name="import_refused",
    ),
    path(
        "comparators/problems/<slug:token>.xlsx",
        views.comparator_import_problems,
        name="import_problems",
    ),
    # Published statistics files (explore-education-statistics CSVs), as downloaded.
    path("comparators/statistics/", views.statistics_import, name="statistics"),
    path(
        "comparators/statistics/<slug:token>/",
        views.statistics_import_preview,
        name="statistics_preview",
    ),
    path(
        "comparators/statistics/problems/<slug:token>/",
        views.statistics_import_refused,
        name="statistics_refused",
    ),
    path(
        "comparators/statistics/problems/<slug:token>.xlsx",
        views.statistics_import_problems,
        name="statistics_problems",
    ),
    path("comparators/comparators.<slug:fmt>", views.comparator_template, name="template"),
    # Administrators: Sandwell's statistical neighbour groups, and loading a new one.
    path("comparators/groups/", views.neighbour_groups, name="groups"),
    path("comparators/groups/new/", views.neighbour_group_load, name="group_load"),
    # Everyone: every published statistic's latest benchmark.
    path("statistics/", views.published_statistics, name="published"),
]
