from django.urls import path

from . import exports, views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("lines.<str:fmt>", exports.lines_export, name="lines_export"),
]
