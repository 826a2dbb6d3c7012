"""
The change control log's pages: the log, one change with its history, recording a change,
agreeing a proposed one, withdrawing or superseding one. Everyone reads the log;
administrators keep it (MANAGE_CHANGE_CONTROL).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, POST, Action, can, require

from . import selectors, services
from .forms import AgreeForm, ChangeForm, SupersedeForm, WithdrawForm
from .services import ChangeError
from .tables import ChangeTable


def _row_or_404(pk: int) -> selectors.ChangeRow:
    row = selectors.change_for_page(pk)
    if row is None:
        raise Http404("There is no such change in the log.")
    return row


@require(Action.VIEW_ACCOUNTABILITY)
def change_list(request):
    current, closed = selectors.change_log()
    context = {
        "current_table": ChangeTable(current),
        "closed_table": ChangeTable(
            closed, empty_text="No change has been superseded or withdrawn."
        ),
        "may_manage": can(request.user, Action.MANAGE_CHANGE_CONTROL),
    }
    return render(request, "governance/changes/list.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def change_detail(request, pk):
    row = _row_or_404(pk)
    may_manage = row.change.is_open and can(request.user, Action.MANAGE_CHANGE_CONTROL)
    context = {
        "row": row,
        "change": row.change,
        "may_manage": may_manage,
        "agree_form": AgreeForm() if may_manage and row.change.status == "proposed" else None,
        "withdraw_form": WithdrawForm() if may_manage else None,
    }
    return render(request, "governance/changes/detail.html", context)


@require(Action.MANAGE_CHANGE_CONTROL, methods=FORM)
def change_create(request):
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_record(user=request.user, **form.cleaned_data)
        except ChangeError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, f"{change.title}: recorded as {change.get_status_display().lower()}."
            )
            return redirect("governance:change", change.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "heading": "Record a change to the agreement"}
    return render(request, "governance/changes/form.html", context, status=status)


@require(Action.MANAGE_CHANGE_CONTROL, methods=FORM)
def change_supersede(request, pk):
    row = _row_or_404(pk)
    change = row.change
    if not change.is_open:
        messages.error(request, "This change is closed: it cannot be superseded.")
        return redirect("governance:change", change.pk)
    initial = {
        field: getattr(change, field)
        for field in ("title", "kind", "subject", "detail", "agreed_by", "agreed_on")
    }
    initial["in_force_from"] = change.in_force_from.iso
    form = SupersedeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.change_supersede(change=change, user=request.user, **form.cleaned_data)
        except ChangeError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Superseded by its correction: {new.title}.")
            return redirect("governance:change", new.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "heading": "Supersede a change with its correction", "change": change}
    return render(request, "governance/changes/form.html", context, status=status)


@require(Action.MANAGE_CHANGE_CONTROL, methods=POST)
def change_agree(request, pk):
    change = _row_or_404(pk).change
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say which board agreed the change, and when.")
        return redirect("governance:change", change.pk)
    try:
        services.change_agree(change=change, user=request.user, **form.cleaned_data)
    except ChangeError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The agreement is recorded.")
    return redirect("governance:change", change.pk)


@require(Action.MANAGE_CHANGE_CONTROL, methods=POST)
def change_withdraw(request, pk):
    change = _row_or_404(pk).change
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the change is withdrawn.")
        return redirect("governance:change", change.pk)
    try:
        services.change_withdraw(change=change, user=request.user, **form.cleaned_data)
    except ChangeError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The change is withdrawn; it stays in the log.")
    return redirect("governance:change", change.pk)
