from django.urls import path

from . import views

app_name = "demand"

urlpatterns = [
    path("demand/", views.dashboard, name="dashboard"),
    path("benchmarks/<slug:code>/", views.benchmark, name="benchmark"),
    # Administrators: comparator figures imported from a file or typed, with their history.
    path("comparators/", views.comparators, name="comparators"),
    path("comparators/new/", views.comparator_add, name="comparator_add"),
    path("comparators/<int:pk>/", views.comparator_import_detail, name="comparator_import_detail"),
    path("comparators/import/", views.comparator_import, name="comparator_import"),
    path(
        "comparators/import/<slug:token>/",
        views.comparator_import_preview,
        name="comparator_import_preview",
    ),
    path(
        "comparators/problems/<slug:token>.xlsx",
        views.comparator_import_problems,
        name="comparator_import_problems",
    ),
    path(
        "comparators/comparators.<slug:fmt>", views.comparator_template, name="comparator_template"
    ),
]
