"""The Improvement Plan's pages, under `/governance/improvement/`."""

from django.urls import path, register_converter

from opb_portal.boardpack.urls import FinancialYearConverter

from . import views

# A year written 2024-25; one that is no financial year matches no pattern (a 404).
register_converter(FinancialYearConverter, "improvement_year")

urlpatterns = [
    path("improvement/", views.plan_latest, name="improvement"),
    path("improvement/new/", views.plan_create, name="improvement_plan_create"),
    path("improvement/<improvement_year:year>/", views.plan_year, name="improvement_year"),
    path("improvement/plans/<int:pk>/edit/", views.plan_edit, name="improvement_plan_edit"),
    path(
        "improvement/plans/<int:pk>/priorities/new/",
        views.priority_create,
        name="improvement_priority_create",
    ),
    path(
        "improvement/priorities/<int:pk>/edit/",
        views.priority_edit,
        name="improvement_priority_edit",
    ),
    path(
        "improvement/priorities/<int:pk>/actions/new/",
        views.action_create,
        name="improvement_action_create",
    ),
    path("improvement/actions/<int:pk>/", views.action_detail, name="improvement_action"),
    path("improvement/actions/<int:pk>/edit/", views.action_edit, name="improvement_action_edit"),
    path(
        "improvement/actions/<int:pk>/progress/",
        views.progress_create,
        name="improvement_progress",
    ),
]
