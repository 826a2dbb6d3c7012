from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("years/", views.year_summary, name="year_summary_latest"),
    path("years/<str:year>/", views.year_summary, name="year_summary"),
    path("<str:framework>/<str:code>/", views.kpi_detail, name="detail"),
]
