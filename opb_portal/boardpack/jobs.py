"""
The board pack's background jobs: its preview and its issue (opb_portal.jobs).

A pack takes seconds to lay out, so neither is done in the request: the meeting's page asks
for a job and the person watches it on the job's page ("Rendering the board pack: page 7 of
about 19"). The preview is kept by the fingerprint of what it shows, so asking again for the
same pack serves the kept PDF; an issue is made once however often its job runs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from importlib.metadata import version

from django.urls import reverse

from opb_portal.accounts.permissions import Action
from opb_portal.jobs import registry
from opb_portal.jobs.models import Job
from opb_portal.jobs.registry import JobKind, JobRefused, Outcome

from . import render, selectors, services
from .models import Meeting
from .services import ISSUE, PREVIEW, PackError

# Change when the pack's layout changes in a way its HTML does not show (pdf.py, the PDF
# variant, the static CSS in development, where its name carries no hash): every kept
# preview is then made again.
PACK_CODE_VERSION = "2026-12-05.1"

# The cover's "generated" time is the one part of a pack's HTML that differs between two
# renderings of the same inputs: the fingerprint's HTML is built at this fixed moment.
_FINGERPRINT_MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _meeting(params: dict) -> Meeting:
    meeting = Meeting.objects.select_related("chair").filter(pk=params["meeting"]).first()
    if meeting is None:
        raise JobRefused("The meeting no longer exists.")
    return meeting


# --- the preview ------------------------------------------------------------------------------


def preview_fingerprint(params: dict) -> str:
    """
    What the preview shows: the meeting, the return versions behind its figures, and its
    whole HTML (the scenarios chosen, every text it carries: exception reports, actions,
    decisions, members), with the code's version. Any approval or edit makes a new preview;
    the same inputs are served the kept PDF.
    """
    meeting = _meeting(params)
    pack = selectors.pack_contents(
        meeting.period, meeting=meeting, generated_at=_FINGERPRINT_MOMENT
    )
    html = render.pack_html(pack)
    return _digest(
        {
            "code": PACK_CODE_VERSION,
            "weasyprint": version("weasyprint"),
            "meeting": meeting.pk,
            "versions": sorted(pack.version_ids),
            "html": hashlib.sha256(html.encode()).hexdigest(),
        }
    )


def pages_expected(meeting: Meeting) -> int:
    """The page count of the meeting's last rendered pack (a preview, else an issue), or 0."""
    last_preview = (
        Job.objects.filter(kind=PREVIEW, params__meeting=meeting.pk, state=Job.State.DONE)
        .order_by("-finished_at")
        .values_list("progress_total", flat=True)
        .first()
    )
    if last_preview:
        return last_preview
    last_issue = meeting.issues.order_by("-number").values_list("pages", flat=True).first()
    return last_issue or 0


def run_preview(job: Job, progress: registry.Progress) -> Outcome:
    meeting = _meeting(job.params)
    progress(0, 0, "Gathering the figures")
    pack = selectors.pack_contents(meeting.period, meeting=meeting)
    rendered = render.render_pack(pack, progress=progress, pages_expected=pages_expected(meeting))
    said = f"The preview of the pack for the {meeting} is ready ({rendered.pages} pages)"
    if pack.draft:
        said += ". It carries the DRAFT band: it includes unapproved figures"
    return Outcome(
        content=rendered.pdf,
        filename=f"opb-board-pack-{meeting.period.iso}-preview.pdf",
        content_type="application/pdf",
        message=said + ".",
    )


# --- the issue ----------------------------------------------------------------------------------


def issue_fingerprint(params: dict) -> str:
    """The meeting and the approved versions the issue freezes: two clicks are one job."""
    return _digest(
        {"code": PACK_CODE_VERSION, "meeting": params["meeting"], "versions": params["versions"]}
    )


def run_issue(job: Job, progress: registry.Progress) -> Outcome:
    meeting = _meeting(job.params)
    if job.requested_by is None:
        raise JobRefused("The person who asked for this issue no longer has an account.")
    progress(0, 0, "Gathering the figures")
    try:
        issue = services.pack_issue(
            meeting=meeting,
            user=job.requested_by,
            job=job,
            progress=progress,
            pages_expected=pages_expected(meeting),
        )
    except PackError as refused:
        raise JobRefused(refused.message) from refused
    return Outcome(
        url=reverse("boardpack:meeting", args=[meeting.date.isoformat()]),
        message=f"Issue {issue.number} of the pack is frozen ({issue.pages} pages, "
        f"SHA-256 {issue.sha256[:16]}…). Members can download it from the meeting's page.",
    )


def preview_title(params: dict) -> str:
    return f"Preview of the board pack for the {_meeting(params)}"


def issue_title(params: dict) -> str:
    return f"Issuing the board pack for the {_meeting(params)}"


def register() -> None:
    """Called from `BoardPackConfig.ready()`."""
    registry.register(
        JobKind(
            name=PREVIEW,
            title=preview_title,
            run=run_preview,
            fingerprint=preview_fingerprint,
            view_action=Action.VIEW_PACKS,
        )
    )
    registry.register(
        JobKind(
            name=ISSUE,
            title=issue_title,
            run=run_issue,
            fingerprint=issue_fingerprint,
            view_action=Action.MANAGE_MEETINGS,
        )
    )
