"""The decisions log, and recording a decision at a meeting."""

from django.urls import path

from ..converters import MEETING
from . import views

urlpatterns = [
    path("decisions/", views.decision_list, name="decisions"),
    path(MEETING + "decisions/new/", views.decision_create, name="decision_create"),
]
