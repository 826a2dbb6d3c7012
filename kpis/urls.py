from django.urls import path

from . import exports, views

app_name = "kpis"

urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard.<str:fmt>", exports.scorecard_export, name="scorecard_export"),
    path("years/", views.year_summary, name="year_summary_latest"),
    path("years/<str:year>/", views.year_summary, name="year_summary"),
    path("years/<str:year>.<str:fmt>", exports.year_summary_export, name="year_export"),
    path("forecasts/refresh/", views.forecasts_refresh, name="forecasts_refresh"),
    path("<str:framework>/<str:code>/", views.kpi_detail, name="detail"),
]
