"""
The reports pages: the list and forward plan, a new report, a report (its document, PDF
and Word), a section's edits, making it final, and the administrator's layouts.

Each view authorises and fetches (404 or 403), validates a form, calls one service and
renders, redirects or returns the file.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.permissions import FORM, POST, Action, can, require
from opb_portal.boardpack.responses import stored_pdf_response
from opb_portal.exports import audited_export
from opb_portal.jobs import views as job_views
from opb_portal.periods import FinancialYear, Period

from . import forms, selectors, services
from . import jobs as report_jobs
from .models import Layout, Report
from .services import ReportError


def _report_or_404(pk: int) -> Report:
    report = selectors.report_for_page(pk)
    if report is None:
        raise Http404("There is no such report.")
    return report


def _layout_or_404(pk: int) -> Layout:
    layout = Layout.objects.filter(pk=pk).first()
    if layout is None:
        raise Http404("There is no such layout.")
    return layout


@require(Action.VIEW_PACKS)
def report_list(request):
    today = timezone.localdate()
    context = {
        "reports": selectors.reports_list(),
        "dues": selectors.due_rows(selectors.forward_plan(), today=today),
        "may_draft": can(request.user, Action.DRAFT_REPORTS),
        "may_layout": can(request.user, Action.MANAGE_REPORT_LAYOUTS),
    }
    return render(request, "reports/report_list.html", context)


@require(Action.DRAFT_REPORTS, methods=FORM)
def report_create(request):
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(user=request.user, **form.cleaned_data)
        except ReportError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{report.title} is drafted from {report.layout}.")
            return redirect("reports:report", report.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/report_form.html", {"form": form}, status=status)


@require(Action.VIEW_PACKS)
def report_detail(request, pk):
    report = _report_or_404(pk)
    document = selectors.report_document(report)
    context = {
        "report": report,
        "document": document,
        "edit_links": document.final is None,
        "may_draft": can(request.user, Action.DRAFT_REPORTS),
    }
    return render(request, "reports/report.html", context)


@require(Action.VIEW_PACKS, methods=FORM)
@audited_export
def report_pdf(request, pk):
    """
    A final report's stored PDF; a draft's, made as a job (`reports.jobs`): a GET gives the
    file already made for the report as it stands, or a page whose button POSTs here.
    """
    report = _report_or_404(pk)
    if getattr(report, "final", None) is not None:
        return stored_pdf_response(report.final)
    return _document_job(request, report, report_jobs.PDF_KIND, "a PDF")


@require(Action.VIEW_PACKS, methods=FORM)
@audited_export
def report_docx(request, pk):
    """The report as a Word document (for the final text to be edited in Word), made as a job."""
    report = _report_or_404(pk)
    return _document_job(request, report, report_jobs.DOCX_KIND, "a Word document")


def _document_job(request, report: Report, kind: str, what: str):
    return job_views.document(
        request, kind=kind, params=report_jobs.params(report), title=report.title, what=what
    )


@require(Action.DRAFT_REPORTS, methods=POST)
def report_make_final(request, pk):
    """Make the report final (its PDF written once and kept) as a job, whose page says how."""
    report = _report_or_404(pk)
    if getattr(report, "final", None) is not None:
        messages.error(request, f"{report.title} is already final.")
        return redirect("reports:report", report.pk)
    return job_views.job_asked(
        request, kind=report_jobs.FINAL_KIND, params=report_jobs.params(report)
    )


@require(Action.DRAFT_REPORTS, methods=FORM)
def section_edit(request, pk, position):
    report = _report_or_404(pk)
    versions = selectors.text_versions(report, position)
    if not versions:
        raise Http404("The report has no such section.")
    if hasattr(report, "final"):
        messages.error(request, f"{report.title} is final: nothing in it can be edited.")
        return redirect("reports:report", report.pk)
    latest = versions[0]
    form = forms.SectionForm(
        request.POST or None, initial={"body": latest.body, "based_on": latest.number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_text_save(
                report=report, position=position, user=request.user, **form.cleaned_data
            )
        except ReportError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Version {version.number} of {version.heading} is kept.")
            return redirect(f"{reverse('reports:report', args=[report.pk])}#section-{position}")
    context = {
        "report": report,
        "latest": latest,
        "form": form,
        "versions": versions,
        "facts": selectors.available_facts(report.figures_at),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/section_form.html", context, status=status)


@require(Action.DRAFT_REPORTS, methods=FORM)
def due_create(request):
    year = FinancialYear(Period.from_date(timezone.localdate()).financial_year.start_year + 1)
    form = forms.DueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.due_save(user=request.user, **form.cleaned_data)
        except ReportError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{entry} is in the forward plan, written by {entry.author}.")
            return redirect("reports:list")
    context = {"form": form, "year": year, "proposals": services.forward_plan_for(year)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/due_form.html", context, status=status)


# --- layouts ---------------------------------------------------------------------------------


@require(Action.MANAGE_REPORT_LAYOUTS)
def layout_list(request):
    return render(request, "reports/layout_list.html", {"layouts": selectors.layouts()})


@require(Action.MANAGE_REPORT_LAYOUTS, methods=FORM)
def layout_edit(request, pk):
    layout = _layout_or_404(pk)
    initial = {
        "kind": layout.kind,
        "name": layout.name,
        "heading": layout.heading,
        "front_matter": layout.front_matter,
        "in_use": layout.in_use,
    }
    form = forms.LayoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            layout = services.layout_save(layout=layout, user=request.user, **form.cleaned_data)
        except ReportError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"The layout {layout} is kept.")
            return redirect("reports:layout", layout.pk)
    context = {
        "layout": layout,
        "form": form,
        "sections": layout.sections.order_by("position"),
        "rules": forms.RULES,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/layout_form.html", context, status=status)


@require(Action.MANAGE_REPORT_LAYOUTS, methods=FORM)
def layout_section_edit(request, pk, position=None):
    layout = _layout_or_404(pk)
    section = None
    if position is not None:
        section = layout.sections.filter(position=position).first()
        if section is None:
            raise Http404("The layout has no such section.")
    initial = {"heading": section.heading, "body": section.body} if section else {}
    form = forms.LayoutSectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.layout_section_save(
                layout=layout, position=position, user=request.user, **form.cleaned_data
            )
        except ReportError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"The section is kept in {layout}.")
            return redirect("reports:layout", layout.pk)
    context = {"layout": layout, "section": section, "form": form, "rules": forms.RULES}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/layout_section_form.html", context, status=status)


@require(Action.MANAGE_REPORT_LAYOUTS, methods=POST)
def layout_reorder(request, pk):
    layout = _layout_or_404(pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        messages.error(request, "Choose a section to move.")
        return redirect("reports:layout", layout.pk)
    try:
        services.layout_reorder(
            layout=layout, position=position, up=request.POST.get("move") == "up", user=request.user
        )
    except ReportError as refused:
        messages.error(request, refused.message)
    return redirect("reports:layout", layout.pk)
