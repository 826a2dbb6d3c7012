"""
The Improvement Plan's pages: a year's plan (the latest by default), one action with its
progress history and the board's actions about it, and the forms that keep the plan.
Everyone reads the plan (VIEW_ACCOUNTABILITY); the Trust's submitters and administrators
keep it (MANAGE_IMPROVEMENT_PLAN).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from opb_portal.accounts.permissions import FORM, Action, can, require

from ..actions import selectors as action_selectors
from . import selectors, services, subjects
from .forms import ActionForm, NewPlanForm, PlanForm, PriorityForm, ProgressForm
from .services import ImprovementError
from .tables import ActionTable, ProgressTable


def _refused(form, refused: ImprovementError | ValidationError) -> None:
    """A service's refusal on the form: by field where the form has the field."""
    if isinstance(refused, ImprovementError):
        form.add_error(None, refused.message)
        return
    for field, errors in refused.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _form_page(request, form, *, heading: str, plan=None, back=None):
    context = {"form": form, "heading": heading, "plan": plan, "back": back}
    return render(request, "governance/improvement/form.html", context, status=_status(form))


@require(Action.VIEW_ACCOUNTABILITY)
def plan_latest(request):
    return _plan(request, None)


@require(Action.VIEW_ACCOUNTABILITY)
def plan_year(request, year):
    return _plan(request, year.start_year)


def _plan(request, start_year: int | None):
    page = selectors.plan_page(start_year)
    if start_year is not None and page.plan is None:
        raise Http404("There is no Improvement Plan for that year.")
    context = {
        "page": page,
        "plan": page.plan,
        "tables": [(block, ActionTable(block.rows)) for block in page.priorities],
        "may_manage": can(request.user, Action.MANAGE_IMPROVEMENT_PLAN),
    }
    return render(request, "governance/improvement/plan.html", context)


@require(Action.VIEW_ACCOUNTABILITY)
def action_detail(request, pk):
    action = selectors.action_for_page(pk)
    if action is None:
        raise Http404("There is no such action in the Improvement Plan.")
    row = selectors.action_row(action, timezone.localdate())
    ref = subjects.ref_of(action)
    context = {
        "action": action,
        "row": row,
        "plan": action.priority.plan,
        "history": ProgressTable(list(reversed(action.progress.all()))),
        "follow_ups": list(action_selectors.actions_about([ref])),
        "subject_ref": ref,
        "may_manage": can(request.user, Action.MANAGE_IMPROVEMENT_PLAN),
        "may_raise": can(request.user, Action.RAISE_ACTION),
    }
    return render(request, "governance/improvement/action.html", context)


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def plan_create(request):
    form = NewPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                user=request.user,
                start_year=data.pop("year"),
                **data,
            )
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{plan}: added.")
            return redirect("governance:improvement_year", plan.year.label)
    return _form_page(request, form, heading="Add an Improvement Plan")


def _plan_or_404(pk: int):
    plan = selectors.plan_for_page(pk)
    if plan is None:
        raise Http404("There is no such Improvement Plan.")
    return plan


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def plan_edit(request, pk):
    plan = _plan_or_404(pk)
    initial = {
        field: getattr(plan, field)
        for field in ("title", "summary", "trust_board_signed_off", "spb_signed_off")
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, user=request.user, **form.cleaned_data)
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The plan is saved.")
            return redirect("governance:improvement_year", plan.year.label)
    return _form_page(request, form, heading=f"Edit the plan of {plan.year}", plan=plan)


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def priority_create(request, pk):
    plan = _plan_or_404(pk)
    form = PriorityForm(request.POST or None, submit="Add the priority")
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_create(plan=plan, user=request.user, **form.cleaned_data)
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The priority is added.")
            return redirect("governance:improvement_year", plan.year.label)
    return _form_page(
        request, form, heading=f"Add a priority to the plan of {plan.year}", plan=plan
    )


def _priority_or_404(pk: int):
    priority = selectors.priority_for_page(pk)
    if priority is None:
        raise Http404("There is no such priority in the Improvement Plan.")
    return priority


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def priority_edit(request, pk):
    priority = _priority_or_404(pk)
    initial = {f: getattr(priority, f) for f in ("number", "title", "ambition", "sponsor")}
    form = PriorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(priority=priority, user=request.user, **form.cleaned_data)
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The priority is saved.")
            return redirect("governance:improvement_year", priority.plan.year.label)
    return _form_page(request, form, heading=f"Edit {priority}", plan=priority.plan)


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def action_create(request, pk):
    priority = _priority_or_404(pk)
    form = ActionForm(request.POST or None, submit="Add the action")
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                priority=priority, user=request.user, **form.cleaned_data
            )
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Action {action.reference} is added.")
            return redirect("governance:improvement_action", action.pk)
    return _form_page(request, form, heading=f"Add an action to {priority}", plan=priority.plan)


def _action_or_404(pk: int):
    action = selectors.action_for_page(pk)
    if action is None:
        raise Http404("There is no such action in the Improvement Plan.")
    return action


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def action_edit(request, pk):
    action = _action_or_404(pk)
    fields = ("number", "title", "lead", "milestone", "due")
    form = ActionForm(request.POST or None, initial={f: getattr(action, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, user=request.user, **form.cleaned_data)
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The action is saved.")
            return redirect("governance:improvement_action", action.pk)
    return _form_page(
        request,
        form,
        heading=f"Edit action {action.reference}",
        plan=action.priority.plan,
        back=action,
    )


@require(Action.MANAGE_IMPROVEMENT_PLAN, methods=FORM)
def progress_create(request, pk):
    action = _action_or_404(pk)
    form = ProgressForm(request.POST or None, initial={"as_at": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(action=action, user=request.user, **form.cleaned_data)
        except (ImprovementError, ValidationError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The progress is recorded.")
            return redirect("governance:improvement_action", action.pk)
    return _form_page(
        request,
        form,
        heading=f"Record the progress of action {action.reference}",
        plan=action.priority.plan,
        back=action,
    )
