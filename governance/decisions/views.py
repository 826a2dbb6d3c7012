"""The decisions log, and recording a decision at a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, Action, require

from ..meetings.views import meeting_or_404, not_the_chair
from ..refusals import Refused
from . import selectors, services
from .forms import DecisionForm
from .tables import DecisionTable


@require(Action.VIEW_ACCOUNTABILITY)
def decision_list(request):
    context = {"table": DecisionTable(selectors.rows(selectors.decisions_log()))}
    return render(request, "governance/decisions/list.html", context)


@require(Action.RECORD_DECISION, methods=FORM)
def decision_create(request, date):
    meeting = meeting_or_404(date)
    if not services.may_record(request.user, meeting):
        return not_the_chair(request, meeting)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                meeting=meeting, user=request.user, **form.cleaned_data
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Decision {decision.reference} recorded.")
            return redirect("governance:meeting", meeting.date.isoformat())
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "meeting": meeting, "what": "Record a decision"}
    return render(request, "governance/meetings/form.html", context, status=status)
