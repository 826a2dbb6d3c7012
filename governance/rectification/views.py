"""
The rectification plan pages: every plan, one plan with its history, writing and revising
it, its progress, the council's review and its closing.

Each view authorises and fetches (404 or 403), validates a form, calls one service and
redirects or renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from opb_portal.accounts.permissions import FORM, POST, Action, can, require
from opb_portal.core import subjects
from opb_portal.periods import Period

from ..exception_reports import services as report_services
from ..exception_reports.forms import ReviewForm
from ..exception_reports.services import AccountabilityError
from ..models import RectificationPlan
from . import selectors, services
from .forms import CloseForm, MilestoneFormSet, PlanForm, ProgressForm, milestones_of
from .tables import PlanTable


def _plan_or_404(pk: int) -> RectificationPlan:
    plan = selectors.plan_for_page(pk)
    if plan is None:
        raise Http404("There is no such rectification plan.")
    return plan


def _subject(ref: str) -> subjects.Subject:
    return subjects.describe([ref])[ref]


@require(Action.VIEW_ACCOUNTABILITY)
def plan_list(request):
    plans = list(selectors.plans_for_list())
    described = subjects.describe(plan.subject for plan in plans)
    for plan in plans:
        plan.described = described[plan.subject]
    return render(request, "governance/rectification/plan_list.html", {"table": PlanTable(plans)})


@require(Action.VIEW_ACCOUNTABILITY)
def plan_detail(request, pk):
    plan = _plan_or_404(pk)
    user = request.user
    here = reverse("governance:plan", args=[pk])
    reviewer = can(user, Action.REVIEW_EXCEPTION_REPORT)
    writer = report_services.may_write(user, plan.domain)
    context = {
        "plan": plan,
        "subject": _subject(plan.subject),
        "may_write": writer and plan.is_open,
        "review": (
            ReviewForm(
                initial={"seen": plan.current_version.number},
                action=here + "review/",
                accept_label="Agree",
            )
            if reviewer and plan.status == plan.Status.SUBMITTED
            else None
        ),
        "progress_form": (
            ProgressForm(
                initial={"period": Period.current().shift(-1).iso}, action=here + "progress/"
            )
            if writer and plan.is_open
            else None
        ),
        "close_form": (
            CloseForm(action=here + "close/")
            if reviewer and plan.status == plan.Status.ACCEPTED
            else None
        ),
    }
    return render(request, "governance/rectification/plan_detail.html", context)


def _plan_form_page(request, *, subject, period, plan, save):
    """The form shared by writing a plan and revising it: the plan, then its milestones."""
    current = plan.current_version if plan else None
    initial = {"seen": current.number if current else None}
    rows = []
    if current is not None:
        initial["summary"] = current.summary
        rows = [
            {
                "what": m.what,
                "owner_name": m.owner_name,
                "owner_organisation": m.owner_organisation_id,
                "due": m.due,
            }
            for m in current.milestones.all()
        ]
    data = request.POST or None
    form = PlanForm(data, initial=initial, first=current is None)
    formset = MilestoneFormSet(data, initial=rows, prefix="milestones")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = save(form.cleaned_data, milestones_of(formset))
        except AccountabilityError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The rectification plan was sent to the council.")
            return redirect("governance:plan", plan.pk)
    context = {"subject": subject, "period": period, "plan": plan, "form": form, "formset": formset}
    status = 400 if form.is_bound and (form.errors or formset.errors) else 200
    return render(request, "governance/rectification/plan_form.html", context, status=status)


@require(Action.WRITE_EXCEPTION_REPORT, methods=FORM)
def plan_new(request, period, subject):
    item = report_services.off_track_item(subject, period)
    if item is None or not item.escalated:
        raise Http404(f"{subject} is not escalated in {period.long}.")
    if not report_services.may_write(request.user, item.domain):
        raise PermissionDenied("Only the Trust's people who send this figure's return write it.")

    def save(cleaned, milestones):
        return services.plan_write(
            user=request.user,
            subject=subject,
            period=period,
            summary=cleaned["summary"],
            milestones=milestones,
        )

    described = subjects.Subject(item.subject, item.label, item.url)
    return _plan_form_page(request, subject=described, period=period, plan=None, save=save)


@require(Action.WRITE_EXCEPTION_REPORT, methods=FORM)
def plan_revise(request, pk):
    plan = _plan_or_404(pk)
    if not report_services.may_write(request.user, plan.domain):
        raise PermissionDenied("Only the Trust's people who send this figure's return write it.")
    if not plan.is_open:
        raise Http404("This plan is closed.")

    def save(cleaned, milestones):
        services.plan_revise(
            user=request.user,
            plan=plan,
            summary=cleaned["summary"],
            milestones=milestones,
            seen=cleaned["seen"],
            reason=cleaned.get("reason", ""),
        )
        return plan

    return _plan_form_page(
        request, subject=_subject(plan.subject), period=plan.period, plan=plan, save=save
    )


def _act(request, pk, act, done: str):
    """A POST-only act on a plan: its form's errors or a refusal are a message on the plan."""
    plan = _plan_or_404(pk)
    try:
        act(plan)
    except AccountabilityError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("governance:plan", pk)


class _Invalid(AccountabilityError):
    pass


def _valid(form):
    if not form.is_valid():
        raise _Invalid("; ".join(f"{error}" for errors in form.errors.values() for error in errors))
    return form.cleaned_data


@require(Action.REVIEW_EXCEPTION_REPORT, methods=POST)
def plan_review(request, pk):
    def act(plan):
        form = ReviewForm(request.POST, action="")
        cleaned = _valid(form)
        services.plan_review(
            user=request.user,
            plan=plan,
            accept=form.accept,
            note=cleaned["note"],
            seen=cleaned["seen"],
        )

    return _act(request, pk, act, "Your decision on the plan is recorded.")


@require(Action.WRITE_EXCEPTION_REPORT, methods=POST)
def plan_progress(request, pk):
    def act(plan):
        cleaned = _valid(ProgressForm(request.POST, action=""))
        services.plan_progress_add(
            user=request.user, plan=plan, period=cleaned["period"], text=cleaned["text"]
        )

    return _act(request, pk, act, "The progress was added to the plan.")


@require(Action.REVIEW_EXCEPTION_REPORT, methods=POST)
def plan_close(request, pk):
    def act(plan):
        cleaned = _valid(CloseForm(request.POST, action=""))
        services.plan_close(user=request.user, plan=plan, outcome=cleaned["outcome"])

    return _act(request, pk, act, "The plan is closed with its outcome.")
