"""A meeting's business: `/governance/meetings/...`."""

from django.urls import path

from ..converters import MEETING
from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "agenda/draft/", views.agenda_draft, name="agenda_draft"),
    path(MEETING + "agenda/new/", views.agenda_add, name="agenda_add"),
    path(MEETING + "agenda/<int:pk>/move/", views.agenda_move, name="agenda_move"),
    path(MEETING + "agenda/<int:pk>/withdraw/", views.agenda_withdraw, name="agenda_withdraw"),
    path(MEETING + "attendees/new/", views.attendee_add, name="attendee_add"),
    path(MEETING + "minutes/", views.minutes_edit, name="minutes_edit"),
    path(MEETING + "minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(MEETING + "minutes/<int:number>/", views.minutes_version, name="minutes_version"),
]
