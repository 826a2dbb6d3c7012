from django.urls import path

from . import exports, views

app_name = "workforce"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.<str:fmt>", exports.figures_export, name="export"),
    path("caseloads.<str:fmt>", exports.caseloads_export, name="caseloads_export"),
]
