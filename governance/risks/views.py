"""
The risk register's pages: the register, one risk with every review, adding a risk,
reviewing one and closing one. Everyone reads it; council reviewers and administrators
keep it (MANAGE_RISKS).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from opb_portal.accounts.permissions import FORM, POST, Action, can, require

from . import selectors, services
from .forms import CloseForm, ReviewForm, RiskForm
from .services import RiskError
from .tables import RiskTable


def _row_or_404(pk: int) -> selectors.RiskRow:
    row = selectors.risk_for_page(pk)
    if row is None:
        raise Http404("There is no such risk on the register.")
    return row


@require(Action.VIEW_ACCOUNTABILITY)
def risk_list(request):
    current, closed = selectors.risk_register()
    context = {
        "current_table": RiskTable(current),
        "closed_table": RiskTable(closed, empty_text="No risk has been closed."),
        "may_manage": can(request.user, Action.MANAGE_RISKS),
    }
    return render(request, "governance/risks/list.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def risk_detail(request, pk):
    row = _row_or_404(pk)
    may_manage = row.risk.is_open and can(request.user, Action.MANAGE_RISKS)
    context = {"row": row, "risk": row.risk, "may_manage": may_manage}
    if may_manage:
        context["close_form"] = CloseForm()
    return render(request, "governance/risks/detail.html", context)


@require(Action.MANAGE_RISKS, methods=FORM)
def risk_create(request):
    form = RiskForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_raise(user=request.user, **form.cleaned_data)
        except RiskError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{risk.title}: added to the register.")
            return redirect("governance:risk", risk.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "heading": "Add a risk to the register"}
    return render(request, "governance/risks/form.html", context, status=status)


@require(Action.MANAGE_RISKS, methods=FORM)
def risk_review(request, pk):
    row = _row_or_404(pk)
    if not row.risk.is_open:
        messages.error(request, "This risk is closed: it is no longer reviewed.")
        return redirect("governance:risk", row.risk.pk)
    latest = row.latest
    initial = {"reviewed_on": timezone.localdate()}
    if latest is not None:
        initial |= {
            "likelihood": latest.likelihood,
            "impact": latest.impact,
            "mitigations": latest.mitigations,
        }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_review(risk=row.risk, user=request.user, **form.cleaned_data)
        except RiskError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The review is recorded.")
            return redirect("governance:risk", row.risk.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "heading": "Review a risk", "risk": row.risk}
    return render(request, "governance/risks/form.html", context, status=status)


@require(Action.MANAGE_RISKS, methods=POST)
def risk_close(request, pk):
    risk = _row_or_404(pk).risk
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the risk is closed.")
        return redirect("governance:risk", risk.pk)
    try:
        services.risk_close(risk=risk, user=request.user, **form.cleaned_data)
    except RiskError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The risk is closed; it stays on the register.")
    return redirect("governance:risk", risk.pk)
