"""
The exception report pages: what is due in a month, one report with its history, writing
it, and the council's review.

Each view authorises and fetches (404 or 403), validates a form, calls one service and
redirects or renders.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, POST, Action, can, require
from opb_portal.core import subjects
from opb_portal.core.reporting import period_from_request
from opb_portal.periods import Period

from ..models import ExceptionReport
from . import selectors, services
from .forms import ExceptionReportForm, ReviewForm
from .services import AccountabilityError
from .tables import DueTable


def _writers_of_the_figure(view):
    """
    Outside `require`: someone who writes reports, but not on this figure's return (a
    finance submitter on a KPI), is refused (403) whatever the method, as a submitter is
    refused another domain's return.
    """

    @wraps(view)
    def wrapped(request, period, subject):
        if can(request.user, Action.WRITE_EXCEPTION_REPORT):
            domain = (
                ExceptionReport.objects.filter(subject=subject, period=period)
                .values_list("domain", flat=True)
                .first()
            )
            if domain is None:
                item = services.off_track_item(subject, period)
                domain = item.domain if item else None
            if domain is not None and not services.may_write(request.user, domain):
                raise PermissionDenied("Only the Trust's people who send this figure's return.")
        return view(request, period=period, subject=subject)

    return wrapped


@require(Action.VIEW_ACCOUNTABILITY)
def due_list(request):
    asked = period_from_request(request, latest=selectors.latest_month)
    due = selectors.due_at(asked.period)
    context = {
        "form": asked.form,
        "period": asked.period,
        "periods": selectors.months_offered(),
        "due": due,
        "table": DueTable(due.rows),
    }
    return render(
        request, "governance/exception_reports/due_list.html", context, status=asked.status
    )


def _subject_in(subject: str, period: Period):
    """What the page is about: the figure off track (with its return), else a known report."""
    item = services.off_track_item(subject, period)
    report = selectors.report_for_page(subject, period)
    if item is None and report is None:
        raise Http404(f"{subject} is not off track in {period.long} and has no exception report.")
    if item is not None:
        return subjects.Subject(item.subject, item.label, item.url), item, report
    return subjects.describe([subject])[subject], None, report


@require(Action.VIEW_ACCOUNTABILITY)
def report_detail(request, period, subject):
    described, item, report = _subject_in(subject, period)
    domain = report.domain if report else item.domain
    review = None
    awaiting = report is not None and report.status == report.Status.SUBMITTED
    if awaiting and can(request.user, Action.REVIEW_EXCEPTION_REPORT):
        review = ReviewForm(
            initial={"seen": report.current_version.number}, action=request.path + "review/"
        )
    context = {
        "subject": described,
        "period": period,
        "item": item,
        "report": report,
        "may_write": services.may_write(request.user, domain),
        "review": review,
    }
    return render(request, "governance/exception_reports/report_detail.html", context)


@_writers_of_the_figure
@require(Action.WRITE_EXCEPTION_REPORT, methods=FORM)
def report_write(request, period, subject):
    described, item, report = _subject_in(subject, period)
    if not services.may_write(request.user, report.domain if report else item.domain):
        raise PermissionDenied("Only the Trust's people who send this figure's return write it.")
    current = report.current_version if report else None
    initial = {"seen": current.number if current else None}
    if current is not None:
        initial |= {
            name: getattr(current, name)
            for name in ("cause", "action_taken", "owner_name", "back_on_target")
        }
        initial["owner_organisation"] = current.owner_organisation_id
    elif request.user.organisation_id:
        initial["owner_organisation"] = request.user.organisation_id
    form = ExceptionReportForm(request.POST or None, initial=initial, first=current is None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exception_report_write(
                user=request.user, subject=subject, period=period, **form.cleaned_data
            )
        except AccountabilityError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The exception report was sent to the council.")
            return redirect("governance:exception_report", period, subject)
    context = {"subject": described, "period": period, "item": item, "report": report}
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "governance/exception_reports/report_form.html",
        {**context, "form": form},
        status=status,
    )


@require(Action.REVIEW_EXCEPTION_REPORT, methods=POST)
def report_review(request, period, subject):
    report = selectors.report_for_page(subject, period)
    if report is None:
        raise Http404("There is no exception report to review.")
    form = ReviewForm(request.POST, action="")
    if not form.is_valid():
        messages.error(request, "Choose to accept the report or to ask for more.")
    else:
        try:
            services.exception_report_review(
                user=request.user,
                report=report,
                accept=form.accept,
                note=form.cleaned_data["note"],
                seen=form.cleaned_data["seen"],
            )
        except AccountabilityError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "Your decision on the report is recorded.")
    return redirect("governance:exception_report", period, subject)
