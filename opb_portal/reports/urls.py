"""The reports pages under `/reports/`: reports, sections, downloads, forward plan, layouts."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.report_create, name="new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>.pdf", views.report_pdf, name="pdf"),
    path("reports/<int:pk>.docx", views.report_docx, name="docx"),
    path("reports/<int:pk>/final/", views.report_make_final, name="make_final"),
    path("reports/<int:pk>/sections/<int:position>/", views.section_edit, name="section_edit"),
    path("reports/forward-plan/new/", views.due_create, name="due_new"),
    path("reports/layouts/", views.layout_list, name="layouts"),
    path("reports/layouts/<int:pk>/", views.layout_edit, name="layout"),
    path(
        "reports/layouts/<int:pk>/sections/new/",
        views.layout_section_edit,
        name="layout_section_new",
    ),
    path(
        "reports/layouts/<int:pk>/sections/<int:position>/",
        views.layout_section_edit,
        name="layout_section",
    ),
    path("reports/layouts/<int:pk>/reorder/", views.layout_reorder, name="layout_reorder"),
]
