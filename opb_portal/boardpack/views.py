"""
The board pack pages: meetings, previewing and issuing a pack, downloading an issue,
and the annual review (its narrative sections edited, drafts circulated and signed off by the
Trust and the council, the signed draft frozen, frozen ones listed).

Each view authorises and fetches (404 or 403), validates a form, calls one
function and renders, redirects or returns the file.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from opb_portal.accounts.permissions import FORM, POST, Action, can, require
from opb_portal.core.db_router import replica_reader
from opb_portal.exports import audited_export
from opb_portal.jobs import services as job_services
from opb_portal.jobs import views as job_views

from . import annual, annual_jobs, meeting_links, sections, selectors, services
from . import render as pack_render
from .forms import AnnualTextForm, MeetingForm, SignOffForm
from .models import Meeting, PackTampered
from .responses import PDF, stored_pdf_response
from .services import PackError
from .tables import AnnualTextTable, FrozenReviewTable, IssueTable, MeetingTable

logger = logging.getLogger(__name__)


def _meeting_or_404(date) -> Meeting:
    meeting = selectors.meeting_for_page(date)
    if meeting is None:
        raise Http404(f"There is no meeting on {date.day} {date:%B %Y}.")
    return meeting


# --- meetings ----------------------------------------------------------------------------


@require(Action.VIEW_PACKS)
def meeting_list(request):
    context = {
        "table": MeetingTable(selectors.meetings_with_issues()),
        "may_arrange": can(request.user, Action.MANAGE_MEETINGS),
    }
    return render(request, "boardpack/meeting_list.html", context)


@require(Action.MANAGE_MEETINGS, methods=FORM)
def meeting_create(request):
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, **form.cleaned_data)
        except PackError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{meeting} arranged, considering {meeting.period.long}.")
            return redirect("boardpack:meeting", meeting.date.isoformat())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "boardpack/meeting_form.html", {"form": form}, status=status)


@require(Action.VIEW_PACKS)
def meeting_detail(request, date):
    meeting = _meeting_or_404(date)
    states = selectors.return_states(meeting.period)
    missing = sections.missing_before_issue(meeting.period)
    context = {
        "meeting": meeting,
        "states": states,
        "missing": missing,
        "approved": all(state.approved for state in states),
        "issuable": all(state.approved for state in states) and not missing,
        "may_issue": services.may_issue(request.user, meeting),
        "issues": IssueTable(meeting.issues.all()),
        "pages": meeting_links.links_for(meeting, request.user),
    }
    return render(request, "boardpack/meeting_detail.html", context)


# --- the pack ------------------------------------------------------------------------------


@require(Action.VIEW_PACKS, methods=FORM)
@audited_export
def pack_preview(request, date):
    """
    The pack as it would be issued now (a draft carries the band), made by a background job.

    POST (the meeting page's "Preview the pack") asks for the job and goes to its page, which
    shows its progress and then the PDF. GET (a link, a bookmark) never starts work: it gives
    the kept PDF when the pack's inputs are those of a preview already made, the job's page
    while one is being made, and otherwise the meeting's page, where the preview is asked for.
    """
    meeting = _meeting_or_404(date)
    if request.method == "POST":
        job = services.pack_preview_request(meeting=meeting, user=request.user)
        return redirect("jobs:job", job.pk)
    job = services.pack_preview_kept(meeting=meeting)
    if job is None:
        messages.info(
            request,
            "No preview of the pack as it stands now is kept: press “Preview the pack” to make it.",
        )
        return redirect("boardpack:meeting", meeting.date.isoformat())
    if job.is_active:
        return redirect("jobs:job", job.pk)
    # Served here, as stored, rather than redirected: the address people keep stays the file's.
    response = FileResponse(job_services.result_path(job).open("rb"), content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(False, job.result_filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require(Action.MANAGE_MEETINGS, methods=POST)
def pack_issue(request, date):
    """Ask for the next issue as a background job; a refusal is said on the meeting's page."""
    meeting = _meeting_or_404(date)
    try:
        job = services.pack_issue_request(meeting=meeting, user=request.user)
    except PackError as refused:
        messages.error(request, refused.message)
        return redirect("boardpack:meeting", meeting.date.isoformat())
    return redirect("jobs:job", job.pk)


@replica_reader
@require(Action.VIEW_PACKS)
@audited_export
def pack_download(request, pk):
    """An issued pack: the stored bytes as they were issued, checked against their SHA-256."""
    issue = selectors.issue_for_download(pk)
    if issue is None:
        raise Http404("There is no such issue of a board pack.")
    return stored_pdf_response(issue)


# --- the annual review ------------------------------------------------------------------------


@require(Action.VIEW_DASHBOARDS)
def annual_reviews(request):
    """The frozen reviews to download, and the years whose draft may be read."""
    frozen = list(selectors.frozen_reviews())
    context = {
        "table": FrozenReviewTable(frozen),
        "drafts": selectors.draft_years(frozen),
    }
    return render(request, "boardpack/annual_reviews.html", context)


@require(Action.VIEW_DASHBOARDS)
def annual_review(request, year):
    review = selectors.annual_review(year)
    user = request.user
    context = {
        "review": review,
        **pack_render.annual_parts(review),
        "on_page": True,
        "may_edit": review.frozen is None and can(user, Action.EDIT_ANNUAL_REVIEW),
        "may_sign": review.frozen is None
        and review.latest_draft is not None
        and can(user, Action.SIGN_OFF_ANNUAL_REVIEW),
    }
    return render(request, "boardpack/annual_review.html", context)


@require(Action.VIEW_DASHBOARDS, methods=FORM)
@audited_export
def annual_review_pdf(request, year):
    """
    The review as it stands, as a PDF, made as a job (`annual_jobs`): a GET gives the file
    already made for the review as it stands, or a page whose button POSTs here to make it;
    once frozen, the frozen one. The file itself is handed out (and audited) by the job's page.
    """
    if selectors.frozen_review(year) is not None:
        return redirect("boardpack:annual_review_frozen", year.label)
    return _annual_document(request, annual_jobs.PDF_KIND, year, "a PDF")


@require(Action.VIEW_DASHBOARDS, methods=FORM)
@audited_export
def annual_review_docx(request, year):
    """The review as it stands, as a Word document, made as a job; once frozen, the signed one."""
    frozen = selectors.frozen_review(year)
    if frozen is not None and frozen.draft is not None:
        return redirect("boardpack:annual_draft_docx", year.label, frozen.draft.number)
    return _annual_document(request, annual_jobs.DOCX_KIND, year, "a Word document")


def _annual_document(request, kind: str, year, what: str):
    return job_views.document(
        request,
        kind=kind,
        params=annual_jobs.params(year),
        title=f"The annual review {year}",
        what=what,
    )


@require(Action.VIEW_DASHBOARDS)
@audited_export
def annual_draft_pdf(request, year, number):
    """A circulated draft's PDF as stored, checked against its SHA-256."""
    return stored_pdf_response(_draft_or_404(year, number))


@require(Action.VIEW_DASHBOARDS)
@audited_export
def annual_draft_docx(request, year, number):
    """A circulated draft's Word document as stored, checked against its SHA-256."""
    from opb_portal.documents import word

    draft = _draft_or_404(year, number)
    try:
        data = draft.read_docx()
    except FileNotFoundError as exc:
        raise Http404("The stored Word document is missing: tell an administrator.") from exc
    except PackTampered:
        logger.error("Stored Word document of draft %s no longer matches its SHA-256", draft.pk)
        return HttpResponse(
            "The stored Word document no longer matches what was circulated: "
            "tell an administrator.",
            status=500,
            content_type="text/plain",
        )
    response = word.response(data, draft.docx_filename)
    response["ETag"] = f'"{draft.docx_sha256}"'
    return response


def _draft_or_404(year, number):
    draft = selectors.review_draft(year, number)
    if draft is None:
        raise Http404(f"The annual review {year} has no draft {number}.")
    return draft


@require(Action.EDIT_ANNUAL_REVIEW, methods=POST)
def annual_review_circulate(request, year):
    try:
        draft = annual.annual_review_circulate(year=year, user=request.user)
    except PackError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"Draft {draft.number} of the annual review {year} is kept ({draft.pages} pages, "
            f"SHA-256 {draft.sha256[:16]}…): the Trust and the council can sign it off.",
        )
    return redirect("boardpack:annual_review", year.label)


@require(Action.SIGN_OFF_ANNUAL_REVIEW, methods=POST)
def annual_review_sign_off(request, year):
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Sign off the draft from the annual review's page.")
        return redirect("boardpack:annual_review", year.label)
    try:
        sign_off, frozen = annual.annual_review_sign_off(
            year=year, number=form.cleaned_data["number"], user=request.user
        )
    except PackError as refused:
        messages.error(request, refused.message)
    else:
        said = f"You signed off draft {sign_off.draft.number} for {sign_off.organisation}."
        if frozen is not None:
            said += " Both organisations have signed it: the annual review is frozen."
        messages.success(request, said)
    return redirect("boardpack:annual_review", year.label)


@require(Action.EDIT_ANNUAL_REVIEW, methods=FORM)
def annual_text_edit(request, year, key):
    """Edit one narrative section: its text starts as the latest version, else the draft."""
    section = annual.narrative_section(key)
    if section is None:
        raise Http404("The annual review has no such section to edit.")
    frozen = selectors.frozen_review(year)
    if frozen is not None:
        messages.error(request, f"The annual review {year} is frozen: nothing in it can be edited.")
        return redirect("boardpack:annual_review", year.label)
    versions = selectors.text_versions(year, key)
    latest = versions[0] if versions else None
    draft = section.annual_draft(year)
    initial = {"text": latest.text if latest else draft, "based_on": latest.number if latest else 0}
    form = AnnualTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = annual.annual_text_save(
                year=year, key=key, user=request.user, **form.cleaned_data
            )
        except PackError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, f"Version {version.number} of {section.annual_title[:11]} is kept."
            )
            return redirect(f"{reverse('boardpack:annual_review', args=[year.label])}#{key}")
    context = {
        "year": year,
        "section": section,
        "form": form,
        "draft": draft,
        "draft_changed": latest is not None and latest.draft != draft,
        "versions": AnnualTextTable(versions),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "boardpack/annual_text_form.html", context, status=status)


@require(Action.VIEW_DASHBOARDS)
@audited_export
def annual_review_frozen(request, year):
    """A frozen review: the stored bytes as they were frozen, checked against their SHA-256."""
    frozen = selectors.frozen_review(year)
    if frozen is None:
        raise Http404(f"The annual review {year} has not been frozen.")
    return stored_pdf_response(frozen)
