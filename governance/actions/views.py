"""
The actions log's pages: the log, one action, raising one, updating and closing it.

Each view authorises and fetches (404 or 403), validates a form, calls one service and
redirects or renders.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, POST, Action, require
from opb_portal.boardpack.models import Meeting
from opb_portal.periods import Period

from ..refusals import Refused
from . import selectors, services
from .forms import ActionForm, CloseForm, UpdateForm
from .tables import ActionTable

STATUSES = {"open": "Open actions", "closed": "Closed actions", "": "Every action"}


def _action_or_404(pk: int):
    action = selectors.action_for_page(pk)
    if action is None:
        raise Http404("There is no such action.")
    return action


@require(Action.VIEW_ACCOUNTABILITY)
def action_list(request):
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = "open"
    day = selectors.today()
    rows = selectors.rows(selectors.actions_log(status=status, day=day), day)
    context = {
        "table": ActionTable(rows),
        "status": status,
        "statuses": STATUSES,
        "overdue": sum(row.overdue for row in rows),
        "may_raise": services.may_raise(request.user),
    }
    return render(request, "governance/actions/list.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def action_detail(request, pk):
    action = _action_or_404(pk)
    day = selectors.today()
    may_update = action.is_open and services.may_update(request.user, action)
    context = {
        "action": action,
        "row": selectors.rows([action], day)[0],
        "may_update": may_update,
        "update_form": UpdateForm(action=action) if may_update else None,
        "close_form": CloseForm(action=action) if may_update else None,
    }
    return render(request, "governance/actions/detail.html", context)


def _meeting_asked(request) -> Meeting | None:
    try:
        day = datetime.date.fromisoformat(request.GET.get("meeting", ""))
    except ValueError:
        return None
    return Meeting.objects.filter(date=day).first()


def _initial(request) -> tuple[dict, Period]:
    """What `?meeting=2025-04-17&subject=kpi:2024/PI9` fills in, and the month of its choices."""
    initial = {"subject": request.GET.get("subject", "")}
    meeting = _meeting_asked(request)
    if meeting is None:
        meeting_latest = Meeting.objects.order_by("-date").first()
        period = meeting_latest.period if meeting_latest else Period.current().shift(-1)
    else:
        initial["meeting"], period = meeting, meeting.period
    return initial, period


@require(Action.RAISE_ACTION, methods=FORM)
def action_create(request):
    initial, period = _initial(request)
    form = ActionForm(request.POST or None, initial=initial, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_raise(user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Action {action.reference} raised; {action.owner} is told.")
            return redirect("governance:action", action.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "governance/actions/form.html", {"form": form}, status=status)


def _act(request, pk, form_class, act, done: str):
    action = _action_or_404(pk)
    if not services.may_update(request.user, action):
        raise PermissionDenied("Only the owner's organisation, the raiser or an administrator.")
    form = form_class(request.POST, action=action)
    if form.is_valid():
        try:
            act(action=action, user=request.user, **form.cleaned_data)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, done.format(action.reference))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("governance:action", action.pk)


@require(Action.UPDATE_ACTION, methods=POST)
def action_update(request, pk):
    return _act(request, pk, UpdateForm, services.action_update, "Update added to {}.")


@require(Action.UPDATE_ACTION, methods=POST)
def action_close(request, pk):
    return _act(request, pk, CloseForm, services.action_close, "Action {} closed.")
