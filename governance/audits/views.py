"""
The audits and surveys' pages: the list, one audit with its figures and the actions it
raised, recording or correcting an audit, and recording a figure. Everyone reads them; the
Trust's submitters and administrators record them (RECORD_AUDITS).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, Action, require

from ..actions import followups
from ..actions import services as action_services
from ..refusals import Refused
from . import charts, selectors, services
from .forms import AuditForm, FigureForm
from .tables import AuditTable


def _row_or_404(pk: int) -> selectors.AuditRow:
    row = selectors.audit_for_page(pk)
    if row is None:
        raise Http404("There is no such audit or survey.")
    return row


@require(Action.VIEW_ACCOUNTABILITY)
def audit_list(request):
    rows = selectors.audit_list()
    context = {
        "table": AuditTable(rows),
        "illustrative": any(row.audit.illustrative for row in rows),
        "may_record": services.may_record(request.user),
    }
    return render(request, "governance/audits/list.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def audit_detail(request, pk):
    row = _row_or_404(pk)
    ref = row.audit.subject_ref
    context = {
        "row": row,
        "audit": row.audit,
        "chart": charts.figures(row),
        "followups": followups.provide([ref]).get(ref, []),
        "may_record": services.may_record(request.user),
        "may_raise": action_services.may_raise(request.user),
    }
    return render(request, "governance/audits/detail.html", context)


def _form_page(request, form, *, heading: str, audit=None):
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "heading": heading, "audit": audit}
    return render(request, "governance/audits/form.html", context, status=status)


@require(Action.RECORD_AUDITS, methods=FORM)
def audit_create(request):
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_record(user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{audit.title}: recorded.")
            return redirect("governance:audit", audit.pk)
    return _form_page(request, form, heading="Record an audit or survey")


@require(Action.RECORD_AUDITS, methods=FORM)
def audit_edit(request, pk):
    audit = _row_or_404(pk).audit
    initial = {name: getattr(audit, name) for name in services.FIELDS}
    form = AuditForm(request.POST or None, initial=initial, submit="Save the audit")
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_edit(audit=audit, user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The audit is saved.")
            return redirect("governance:audit", audit.pk)
    return _form_page(request, form, heading=f"Edit {audit.title}", audit=audit)


@require(Action.RECORD_AUDITS, methods=FORM)
def audit_figure_create(request, pk):
    row = _row_or_404(pk)
    measures = [m.name for m in row.measures]
    form = FigureForm(request.POST or None, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_figure_record(audit=row.audit, user=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The figure is recorded.")
            return redirect("governance:audit", row.audit.pk)
    return _form_page(request, form, heading="Record a figure", audit=row.audit)
