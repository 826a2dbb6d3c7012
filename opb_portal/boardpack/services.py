"""
Everything that changes meetings and packs: keyword-only functions, one per act.

Each checks the person may do it (the command line obeys the same rules as the
pages), checks every row with its model (`full_clean`) before saving it, and issuing
writes under a row lock on the meeting so that two clicks on "Issue pack" cannot both make
issue 2.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import Role, User
from opb_portal.accounts.permissions import MATRIX, Action, can
from opb_portal.jobs.models import Job
from opb_portal.jobs.services import job_find, job_request
from opb_portal.periods import Period

from . import render, sections, selectors
from .models import Meeting, PackIssue, PackSource
from .selectors import Pack

# The board pack's background jobs (registered in `jobs`): a preview, an issue.
PREVIEW = "boardpack.preview"
ISSUE = "boardpack.issue"


class PackError(Exception):
    """An act that cannot be done, with a sentence saying why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_issue(user: User, meeting: Meeting) -> bool:
    """The meeting's chair or an administrator (the matrix says who manages meetings at all)."""
    if not can(user, Action.MANAGE_MEETINGS):
        return False
    return user.role == Role.ADMINISTRATOR or meeting.is_chaired_by(user)


def pack_readers():
    """Everyone who may read packs: the people a meeting's members are chosen from."""
    roles = [role.value for role in MATRIX[Action.VIEW_PACKS]]
    return User.objects.filter(role__in=roles, is_active=True).order_by("last_name", "username")


@transaction.atomic
def meeting_create(
    *,
    user: User,
    date: datetime.date,
    period: Period | None = None,
    chair: User | None = None,
    members: Iterable[User] = (),
    board: str = Meeting.Board.OPB,
) -> Meeting:
    """
    Arrange a meeting of a board (the OPB unless told otherwise). It considers the month
    before its own unless told otherwise.

    An administrator names the chair; a board member who arranges a meeting chairs it.
    """
    if not can(user, Action.MANAGE_MEETINGS):
        raise PackError("Your role does not allow arranging meetings.")
    if user.role != Role.ADMINISTRATOR:
        chair = user
    if chair is None:
        raise PackError("Name the board member who chairs the meeting.")
    if not can(chair, Action.MANAGE_MEETINGS):
        raise PackError(
            f"{chair} cannot chair a meeting: only a board member or administrator can."
        )
    period = period or Period.from_date(date).shift(-1)
    if Meeting.objects.filter(date=date).exists():
        raise PackError(f"There is already a meeting on {date.day} {date:%B %Y}.")
    meeting = Meeting(board=board, date=date, period=period, chair=chair, created_by=user)
    meeting.full_clean()
    meeting.save()
    readers = set(pack_readers().values_list("pk", flat=True))
    meeting.members.set([m for m in {*members, chair} if m.pk in readers])
    return meeting


def pack_preview_request(*, meeting: Meeting, user: User) -> Job:
    """
    The job that renders the meeting's pack as it would be issued now: the one already asked
    for the same inputs (running, or done with its PDF kept), else a new one.
    """
    if not can(user, Action.VIEW_PACKS):
        raise PackError("Your role does not allow reading board packs.")
    return job_request(kind=PREVIEW, params={"meeting": meeting.pk}, user=user)


def pack_preview_kept(*, meeting: Meeting) -> Job | None:
    """The preview job for the pack's inputs as they stand now, if one was asked for."""
    return job_find(kind=PREVIEW, params={"meeting": meeting.pk})


def pack_issue_request(*, meeting: Meeting, user: User) -> Job:
    """
    Ask for the meeting's next issue as a background job, once the checks `pack_issue` makes
    pass now (so a refusal is said at once, on the meeting's page). Two clicks on "Issue pack"
    for the same approved versions are one job; the job checks again when it runs.
    """
    if not may_issue(user, meeting):
        raise PackError("Only the meeting's chair or an administrator can issue its pack.")
    pack = selectors.pack_contents(meeting.period, meeting=meeting)
    _refuse_unless_issuable(pack, meeting.issues.order_by("-number").first())
    params = {"meeting": meeting.pk, "versions": sorted(pack.version_ids)}
    return job_request(kind=ISSUE, params=params, user=user)


def _refuse_unless_issuable(pack: Pack, latest: PackIssue | None) -> None:
    """
    Refused while any return the pack draws on is not approved (the pack would carry the
    draft band), while anything the registered checks find missing is missing
    (`sections.missing_before_issue`: a red KPI with no exception report), and when nothing
    changed since the last issue (the same return versions): a correction, once approved, is
    what makes a new issue.
    """
    if pack.draft:
        raise PackError(
            "The pack cannot be issued while it includes unapproved figures: "
            + "; ".join(pack.draft_reasons)
            + "."
        )
    missing = sections.missing_before_issue(pack.period)
    if missing:
        raise PackError(
            "The pack cannot be issued while the board lacks what it needs: "
            + "; ".join(item.what for item in missing)
            + "."
        )
    if latest is not None:
        previous = set(latest.sources.values_list("version_id", flat=True))
        if previous == pack.version_ids:
            raise PackError(
                f"Nothing has changed since issue {latest.number}: it shows the same approved "
                "returns. Issue again once a correction has been approved."
            )


def pack_issue(
    *,
    meeting: Meeting,
    user: User,
    job: Job | None = None,
    progress: render.Progress | None = None,
    pages_expected: int = 0,
) -> PackIssue:
    """
    Freeze the meeting's pack as its next numbered issue, once it may be issued
    (`_refuse_unless_issuable`).

    The pack is rendered outside any transaction, so its `progress` (for `render.render_pack`,
    with `pages_expected`) reaches the job's page while it renders; the rows are then written
    under a lock on the meeting, once it is checked that no other issue was made meanwhile.
    Issued by a background `job`, the issue records it: the job run again (its worker was
    killed after the issue was written, before the job was marked done) returns that issue
    rather than making another.
    """
    if not may_issue(user, meeting):
        raise PackError("Only the meeting's chair or an administrator can issue its pack.")
    if job is not None:
        done = PackIssue.objects.filter(job=job).first()
        if done is not None:
            return done
    meeting = Meeting.objects.select_related("chair").get(pk=meeting.pk)
    latest = meeting.issues.order_by("-number").first()
    number = latest.number + 1 if latest else 1
    # The same instant goes on the cover, into the PDF's metadata and on the record.
    issued_at = timezone.now().replace(microsecond=0)
    pack = selectors.pack_contents(
        meeting.period, meeting=meeting, number=number, generated_at=issued_at
    )
    _refuse_unless_issuable(pack, latest)
    rendered = render.render_pack(pack, progress=progress, pages_expected=pages_expected)
    with transaction.atomic():
        return _issue_write(meeting, number, pack, rendered, user=user, job=job, at=issued_at)


def _issue_write(meeting, number, pack, rendered, *, user, job, at) -> PackIssue:
    """
    The issue's rows and file, under a lock on the meeting so that two issues cannot both
    become number N: what was rendered as N is written only while N is still the next.
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if job is not None:
        # Read under the lock: a second run of the job waits for the first to commit or die.
        done = PackIssue.objects.filter(job=job).first()
        if done is not None:
            return done
    latest = meeting.issues.order_by("-number").values_list("number", flat=True).first()
    if (latest or 0) + 1 != number:
        raise PackError(
            f"Issue {latest} was made while this one was being rendered: "
            "issue again once a correction has been approved."
        )
    issue = PackIssue(
        meeting=meeting,
        number=number,
        period=meeting.period,
        stored_name=f"{uuid.uuid4().hex}.pdf",
        sha256=rendered.sha256,
        size=len(rendered.pdf),
        pages=rendered.pages,
        issued_by=user,
        issued_at=at,
        job=job,
    )
    issue.full_clean()
    issue.write(rendered.pdf)
    # Should the rows not be written, nothing may point at the file: remove it. (If an
    # outer transaction rolls back later, an unreferenced file stays behind; it is never served.)
    try:
        issue.save()
        sources = [
            PackSource(issue=issue, version_id=version_id)
            for version_id in sorted(pack.version_ids)
        ]
        for source in sources:
            source.full_clean()
        PackSource.objects.bulk_create(sources)
    except Exception:
        issue.path.unlink(missing_ok=True)
        raise
    return issue
