from django.urls import path

from . import exports, views
from .scenarios import views as scenarios

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("lines.<str:fmt>", exports.lines_export, name="lines_export"),
    path("scenarios/", scenarios.scenario_list, name="scenarios"),
    path("scenarios/compare/", scenarios.scenario_compare, name="scenario_compare"),
    path("scenarios/new/", scenarios.scenario_create, name="scenario_create"),
    path("scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/edit/", scenarios.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/delete/", scenarios.scenario_delete, name="scenario_delete"),
    path("scenarios/<int:pk>/pack/", scenarios.scenario_choose, name="scenario_choose"),
]
