"""The audits and surveys' pages, under `/governance/audits/`."""

from django.urls import path

from . import views

urlpatterns = [
    path("audits/", views.audit_list, name="audits"),
    path("audits/new/", views.audit_create, name="audit_create"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("audits/<int:pk>/figures/new/", views.audit_figure_create, name="audit_figure_create"),
]
