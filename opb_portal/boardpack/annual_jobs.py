"""
The annual review as it stands, as a PDF or a Word document, made as a job.

Drafting the review from the figures takes under a second; laying out its two dozen pages
takes several, so the file is made off the request (`opb_portal.jobs`), with progress
("Drafting section (f) of 11", "Laying out the PDF: page 7 of about 24"), and kept under the
fingerprint of the review's HTML (`documents.fingerprint`): the same review asked for again,
or by two people, is the same job and the same file; an edited section, an approval or a
new draft makes another. Circulated drafts and the frozen review are stored files, served
as they are, never made here.
"""

from __future__ import annotations

from django.utils import timezone

from opb_portal.accounts.permissions import Action
from opb_portal.documents.fingerprint import MOMENT, html_fingerprint
from opb_portal.jobs import registry
from opb_portal.jobs.models import Job
from opb_portal.periods import FinancialYear

from . import render, sections, selectors

PDF_KIND = "boardpack.annual_review_pdf"
DOCX_KIND = "boardpack.annual_review_docx"
# Raise when the same HTML would give another file (the PDF or Word writer changed).
VERSION = "annual-review-1"
# Pages expected the first time (the demonstration review has 24).
ABOUT_PAGES = 24


def params(year: FinancialYear) -> dict:
    return {"year": year.label}


def _year(params: dict) -> FinancialYear:
    return FinancialYear.parse(params["year"])


def _fingerprint(params: dict) -> str:
    review = selectors.annual_review(_year(params))
    return html_fingerprint(render.annual_html(review, MOMENT), version=VERSION)


def _review(job: Job, progress) -> selectors.AnnualReview:
    """The review drafted section by section, refused once it is frozen."""
    year = _year(job.params)
    if selectors.frozen_review(year) is not None:
        raise registry.JobRefused(
            f"The annual review {year} is frozen: open the frozen one from the annual reviews."
        )
    return selectors.annual_review(year, progress=progress)


def _pages_last_time(job: Job, before: int) -> int:
    """The pages of the last PDF made of this year's review (its progress ended on them)."""
    last = (
        Job.objects.filter(kind=job.kind, params=job.params, state=Job.State.DONE)
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .values_list("progress_total", flat=True)
        .first()
    )
    return last - before if last and last > before else ABOUT_PAGES


def _run_pdf(job: Job, progress) -> registry.Outcome:
    review = _review(job, progress)
    steps = len(sections.annual_sections())
    about = _pages_last_time(job, steps)
    progress(steps, steps + about, "Laying out the PDF")
    with render.pages_progress(progress, before=steps, about=about, saying="Laying out the PDF"):
        rendered = render.render_annual_review(review, timezone.now())
    progress(steps + rendered.pages, steps + rendered.pages, "Written")
    return registry.Outcome(
        content=rendered.pdf,
        filename=f"annual-review-{review.year.label}-draft.pdf",
        content_type="application/pdf",
        message=f"The annual review {review.year} as it stands: {rendered.pages} pages.",
    )


def _run_docx(job: Job, progress) -> registry.Outcome:
    from opb_portal.documents import word  # python-docx loads when a Word file is made

    review = _review(job, progress)
    steps = len(sections.annual_sections())
    progress(steps, steps + 1, "Writing the Word document")
    data = render.annual_docx(review, timezone.now())
    return registry.Outcome(
        content=data,
        filename=f"annual-review-{review.year.label}-draft.docx",
        content_type=word.CONTENT_TYPE,
        message=f"The annual review {review.year} as it stands, as a Word document.",
    )


def register() -> None:
    registry.register(
        registry.JobKind(
            name=PDF_KIND,
            title=lambda params: f"The annual review {_year(params)} as a PDF",
            run=_run_pdf,
            fingerprint=_fingerprint,
            view_action=Action.VIEW_DASHBOARDS,
        )
    )
    registry.register(
        registry.JobKind(
            name=DOCX_KIND,
            title=lambda params: f"The annual review {_year(params)} as a Word document",
            run=_run_docx,
            fingerprint=_fingerprint,
            view_action=Action.VIEW_DASHBOARDS,
        )
    )
