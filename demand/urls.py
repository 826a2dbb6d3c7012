from django.urls import path

from . import views

app_name = "demand"

urlpatterns = [
    path("demand/", views.dashboard, name="dashboard"),
    path("benchmarks/<slug:code>/", views.benchmark, name="benchmark"),
]
