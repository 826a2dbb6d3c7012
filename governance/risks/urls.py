"""The risk register's pages, under `/governance/risks/`."""

from django.urls import path

from . import views

urlpatterns = [
    path("risks/", views.risk_list, name="risks"),
    path("risks/new/", views.risk_create, name="risk_create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk_review"),
    path("risks/<int:pk>/close/", views.risk_close, name="risk_close"),
]
