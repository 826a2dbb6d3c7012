"""
The board pack pages: meetings, previewing and issuing a pack, downloading an issue,
and the annual review draft.

Each view authorises and fetches (404 or 403), validates a form, calls one
function and renders, redirects or returns the file.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from opb_portal.accounts.permissions import FORM, POST, Action, can, require
from opb_portal.exports import audited_export

from . import meeting_links, sections, selectors, services
from . import render as pack_render
from .forms import MeetingForm
from .models import Meeting, PackTampered
from .services import PackError
from .tables import IssueTable, MeetingTable

PDF = "application/pdf"
logger = logging.getLogger(__name__)


def _meeting_or_404(date) -> Meeting:
    meeting = selectors.meeting_for_page(date)
    if meeting is None:
        raise Http404(f"There is no meeting on {date.day} {date:%B %Y}.")
    return meeting


def _pdf(data: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


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


@require(Action.VIEW_PACKS)
@audited_export
def pack_preview(request, date):
    """The pack as it would be issued now, shown in the browser; a draft carries the band."""
    meeting = _meeting_or_404(date)
    pack = selectors.pack_contents(meeting.period, meeting=meeting)
    rendered = pack_render.render_pack(pack)
    filename = f"opb-board-pack-{meeting.period.iso}-preview.pdf"
    response = _pdf(rendered.pdf, filename, attachment=False)
    response["Cache-Control"] = "no-store"
    return response


@require(Action.MANAGE_MEETINGS, methods=POST)
def pack_issue(request, date):
    meeting = _meeting_or_404(date)
    try:
        issue = services.pack_issue(meeting=meeting, user=request.user)
    except PackError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"Issue {issue.number} of the pack is frozen ({issue.pages} pages, "
            f"SHA-256 {issue.sha256[:16]}…). Members can download it below.",
        )
    return redirect("boardpack:meeting", meeting.date.isoformat())


@require(Action.VIEW_PACKS)
@audited_export
def pack_download(request, pk):
    """An issued pack: the stored bytes as they were issued, checked against their SHA-256."""
    issue = selectors.issue_for_download(pk)
    if issue is None:
        raise Http404("There is no such issue of a board pack.")
    try:
        data = issue.read()
    except FileNotFoundError as exc:
        raise Http404("The stored pack is missing: tell an administrator.") from exc
    except PackTampered:
        logger.error("Issued pack %s no longer matches its SHA-256", issue.pk)
        return HttpResponse(
            "The stored pack no longer matches what was issued: tell an administrator.",
            status=500,
            content_type="text/plain",
        )
    response = _pdf(data, issue.filename, attachment=True)
    response["ETag"] = f'"{issue.sha256}"'
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["Cache-Control"] = "private"
    return response


# --- the annual review ------------------------------------------------------------------------


@require(Action.VIEW_DASHBOARDS)
def annual_review(request, year):
    review = selectors.annual_review(year)
    context = {"review": review, "parts": pack_render.rendered_parts(review.parts, annual=True)}
    return render(request, "boardpack/annual_review.html", context)


@require(Action.VIEW_DASHBOARDS)
@audited_export
def annual_review_pdf(request, year):
    review = selectors.annual_review(year)
    rendered = pack_render.render_annual_review(review, timezone.now())
    filename = f"annual-review-{year.label}-data-sections-draft.pdf"
    return _pdf(rendered.pdf, filename, attachment=True)
