"""The actions log: `/governance/actions/...`."""

from django.urls import path

from . import views

urlpatterns = [
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
]
