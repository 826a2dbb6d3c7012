"""The rectification plan pages, under `/governance/rectification/`."""

from django.urls import path

from ..exception_reports import urls as _months  # noqa: F401  (registers governance_month)
from . import views

urlpatterns = [
    path("rectification/", views.plan_list, name="plans"),
    path(
        "rectification/new/<governance_month:period>/<path:subject>/",
        views.plan_new,
        name="plan_new",
    ),
    path("rectification/<int:pk>/", views.plan_detail, name="plan"),
    path("rectification/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    path("rectification/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("rectification/<int:pk>/progress/", views.plan_progress, name="plan_progress"),
    path("rectification/<int:pk>/close/", views.plan_close, name="plan_close"),
]
