"""The change control log's pages, under `/governance/changes/`."""

from django.urls import path

from . import views

urlpatterns = [
    path("changes/", views.change_list, name="changes"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("changes/<int:pk>/agree/", views.change_agree, name="change_agree"),
    path("changes/<int:pk>/withdraw/", views.change_withdraw, name="change_withdraw"),
    path("changes/<int:pk>/supersede/", views.change_supersede, name="change_supersede"),
]
