"""
A meeting's business pages: the meetings, one meeting (agenda, attendees, minutes, the
actions it carries, its decisions), and the chair's forms.

Each view authorises and fetches (404 or 403), validates a form, calls one service and
redirects or renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, POST, Action, can, require

from ..actions.tables import ActionTable
from ..chairing import may_chair
from ..refusals import Refused
from . import selectors, services
from .forms import AgendaItemForm, AttendeeForm, MinutesForm
from .tables import MeetingTable


def meeting_or_404(date):
    meeting = selectors.meeting_for_page(date)
    if meeting is None:
        raise Http404(f"There is no meeting on {date.day} {date:%B %Y}.")
    return meeting


def not_the_chair(request, meeting):
    """
    A board member who does not chair the meeting is sent back to it with the reason, as
    the board pack's issue button does: their role may act for a meeting, not for this one.
    """
    messages.error(request, f"Only the chair of the {meeting} or an administrator can do that.")
    return _back(meeting)


def _back(meeting):
    return redirect("governance:meeting", meeting.date.isoformat())


@require(Action.VIEW_ACCOUNTABILITY)
def meeting_list(request):
    context = {"table": MeetingTable(selectors.meetings_list())}
    return render(request, "governance/meetings/list.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def meeting_detail(request, date):
    meeting = meeting_or_404(date)
    business = selectors.business(meeting)
    chair = may_chair(request.user, meeting) and not business.approved
    context = {
        "meeting": meeting,
        "business": business,
        "actions_table": ActionTable(business.actions),
        "may_chair": chair,
        "may_approve": (
            business.minutes is not None
            and not business.approved
            and services.may_approve(request.user, meeting, business.following)
        ),
        "may_record": may_chair(request.user, meeting, Action.RECORD_DECISION),
        "may_raise": can(request.user, Action.RAISE_ACTION),
        "may_read_pack": can(request.user, Action.VIEW_PACKS),
    }
    return render(request, "governance/meetings/detail.html", context)


@require(Action.MANAGE_MEETINGS, methods=POST)
def agenda_draft(request, date):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    try:
        added = services.agenda_draft(meeting=meeting, user=request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        if added:
            messages.success(request, f"{len(added)} items drafted from {meeting.period.long}.")
        else:
            messages.info(request, "The agenda already holds everything the month calls for.")
    return _back(meeting)


@require(Action.MANAGE_MEETINGS, methods=FORM)
def agenda_add(request, date):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_add(meeting=meeting, user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "Item added to the agenda.")
            return _back(meeting)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "meeting": meeting, "what": "Add to the agenda"}
    return render(request, "governance/meetings/form.html", context, status=status)


def _item_or_404(meeting, pk):
    item = meeting.agenda_items.filter(pk=pk).first()
    if item is None:
        raise Http404("There is no such item on this meeting's agenda.")
    return item


@require(Action.MANAGE_MEETINGS, methods=POST)
def agenda_move(request, date, pk):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    item = _item_or_404(meeting, pk)
    try:
        services.agenda_move(item=item, user=request.user, up=request.POST.get("to") != "down")
    except Refused as refused:
        messages.error(request, refused.message)
    return _back(meeting)


@require(Action.MANAGE_MEETINGS, methods=POST)
def agenda_withdraw(request, date, pk):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    item = _item_or_404(meeting, pk)
    try:
        services.agenda_withdraw(item=item, user=request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"“{item.title}” withdrawn from the agenda; it stays on record.")
    return _back(meeting)


@require(Action.MANAGE_MEETINGS, methods=FORM)
def attendee_add(request, date):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendee_add(meeting=meeting, user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{form.cleaned_data['name']} recorded.")
            return _back(meeting)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "meeting": meeting, "what": "Record an attendee"}
    return render(request, "governance/meetings/form.html", context, status=status)


@require(Action.MANAGE_MEETINGS, methods=FORM)
def minutes_edit(request, date):
    meeting = meeting_or_404(date)
    if not may_chair(request.user, meeting):
        return not_the_chair(request, meeting)
    latest = meeting.minutes_versions.order_by("-number").first()
    initial = {"text": latest.text if latest else "", "base_version": latest and latest.number}
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.minutes_save(meeting=meeting, user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Minutes saved as version {version.number}.")
            return _back(meeting)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "meeting": meeting, "what": "Draft the minutes", "latest": latest}
    return render(request, "governance/meetings/form.html", context, status=status)


@require(Action.MANAGE_MEETINGS, methods=POST)
def minutes_approve(request, date):
    meeting = meeting_or_404(date)
    try:
        version = services.minutes_approve(meeting=meeting, user=request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"Version {version.number} of the minutes approved at the "
            f"{version.approved_at_meeting}; they are now read-only.",
        )
    return _back(meeting)


@require(Action.VIEW_ACCOUNTABILITY)
def minutes_version(request, date, number):
    meeting = meeting_or_404(date)
    version = selectors.minutes_version(meeting, number)
    if version is None:
        raise Http404("There is no such version of these minutes.")
    context = {"meeting": meeting, "version": version}
    return render(request, "governance/meetings/minutes_version.html", context)
