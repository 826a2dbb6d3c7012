"""The exception report pages, under `/governance/exceptions/`."""

from django.urls import path, register_converter

from opb_portal.submissions.urls import MonthConverter

from . import views

# A reporting month written `2025-03`; a month that does not exist matches nothing (a 404).
register_converter(MonthConverter, "governance_month")

# A subject is a reference such as `kpi:2024/PI9` (`core.subjects`): the rest of the path,
# so the acts on a report come first.
urlpatterns = [
    path("exceptions/", views.due_list, name="exceptions"),
    path(
        "exceptions/<governance_month:period>/<path:subject>/write/",
        views.report_write,
        name="exception_report_write",
    ),
    path(
        "exceptions/<governance_month:period>/<path:subject>/review/",
        views.report_review,
        name="exception_report_review",
    ),
    path(
        "exceptions/<governance_month:period>/<path:subject>/",
        views.report_detail,
        name="exception_report",
    ),
]
