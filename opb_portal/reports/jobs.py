"""
A report's PDF and Word document, and making it final, as jobs (`opb_portal.jobs`).

A draft's files are made off the request and kept under the fingerprint of the report's
HTML (`documents.fingerprint`): asked for again with nothing changed, they are the same job
and the same file; an edited section makes another. A final report's PDF is its stored file,
served as it is (no job); its Word file is made once for its fixed HTML. Making a report final
writes its PDF, so it is a job too, done once: the report has one final (a one-to-one row),
and a second run of the same job finds it and says so.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.permissions import Action
from opb_portal.boardpack.render import pages_progress
from opb_portal.documents.fingerprint import MOMENT, html_fingerprint
from opb_portal.jobs import registry
from opb_portal.jobs.models import Job

from . import render, selectors, services
from .models import Report

PDF_KIND = "reports.pdf"
DOCX_KIND = "reports.docx"
FINAL_KIND = "reports.make_final"
# Raise when the same HTML would give another file (the PDF or Word writer changed).
VERSION = "report-1"
ABOUT_PAGES = 4


def params(report: Report) -> dict:
    return {"report": report.pk}


def _report(params: dict) -> Report:
    report = selectors.report_for_page(params["report"])
    if report is None:
        raise registry.JobRefused("The report is no longer there.")
    return report


def _fingerprint(params: dict) -> str:
    report = selectors.report_for_page(params["report"])
    if report is None:
        return html_fingerprint("", version=f"{VERSION} gone {params['report']}")
    document = selectors.report_document(report)
    final = document.final.sha256 if document.final is not None else ""
    return html_fingerprint(
        render.print_html(document, generated_at=MOMENT), version=f"{VERSION} {final}"
    )


def _title(params: dict, what: str) -> str:
    report = Report.objects.filter(pk=params["report"]).only("title").first()
    return f"{report.title if report else 'The report'}{what}"


def _document(job: Job, progress):
    report = _report(job.params)
    progress(0, 1, "Reading the figures at the report's date")
    document = selectors.report_document(report)
    # A report is read in a fraction of a second: its time is in the layout, page by page.
    progress(1, 1 + ABOUT_PAGES, f"Writing its {len(document.sections)} sections")
    return report, document


def _run_pdf(job: Job, progress) -> registry.Outcome:
    report, document = _document(job, progress)
    with pages_progress(progress, before=1, about=ABOUT_PAGES, saying="Laying out the PDF"):
        rendered = render.report_pdf(document, generated_at=timezone.now())
    return registry.Outcome(
        content=rendered.pdf,
        filename=f"report-{report.pk}-draft.pdf",
        content_type="application/pdf",
        message=f"{report.title}, as it stands: {rendered.pages} pages.",
    )


def _run_docx(job: Job, progress) -> registry.Outcome:
    from opb_portal.documents import word  # python-docx loads when a Word file is made

    report, document = _document(job, progress)
    state = "final" if document.final is not None else "draft"
    return registry.Outcome(
        content=render.report_docx(document),
        filename=f"report-{report.pk}-{state}.docx",
        content_type=word.CONTENT_TYPE,
        message=f"{report.title} as a Word document ({state}).",
    )


def _run_make_final(job: Job, progress) -> registry.Outcome:
    report = _report(job.params)
    url = reverse("reports:report", args=[report.pk])
    if getattr(report, "final", None) is None:
        if job.requested_by is None:
            raise registry.JobRefused("Nobody is named to make the report final.")
        progress(0, 1, "Writing the final PDF")
        try:
            final = services.report_make_final(report=report, user=job.requested_by)
        except services.ReportError as refused:
            raise registry.JobRefused(refused.message) from None
    else:
        # A second run of this job (its worker stopped after the final was kept), or someone
        # made it final first: the report has one final, never two.
        final = report.final
    return registry.Outcome(
        url=url,
        message=f"{report.title} is final ({final.pages} pages, SHA-256 {final.sha256[:16]}…): "
        "nothing in it can be edited now.",
    )


def register() -> None:
    registry.register(
        registry.JobKind(
            name=PDF_KIND,
            title=lambda params: _title(params, " as a PDF"),
            run=_run_pdf,
            fingerprint=_fingerprint,
            view_action=Action.VIEW_PACKS,
        )
    )
    registry.register(
        registry.JobKind(
            name=DOCX_KIND,
            title=lambda params: _title(params, " as a Word document"),
            run=_run_docx,
            fingerprint=_fingerprint,
            view_action=Action.VIEW_PACKS,
        )
    )
    registry.register(
        registry.JobKind(
            name=FINAL_KIND,
            title=lambda params: _title(params, ": made final"),
            run=_run_make_final,
            fingerprint=_fingerprint,
            view_action=Action.DRAFT_REPORTS,
            reuse_result=False,
        )
    )
