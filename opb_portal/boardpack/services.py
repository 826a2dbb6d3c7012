"""
Everything that changes meetings and packs: keyword-only functions, one per act.

Each checks the person may do it (the command line obeys the same rules as the
pages), checks every row with its model (`full_clean`) before saving it, and issuing
takes a row lock on the meeting so that two clicks on "Issue pack" cannot both make
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
from opb_portal.periods import Period

from . import render, sections, selectors
from .models import Meeting, PackIssue, PackSource


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


@transaction.atomic
def pack_issue(*, meeting: Meeting, user: User) -> PackIssue:
    """
    Freeze the meeting's pack as its next numbered issue.

    Refused while any return the pack draws on is not approved (the pack would
    carry the draft band), while anything the registered checks find missing is
    missing (`sections.missing_before_issue`: a red KPI with no exception report), and
    when nothing changed since the last issue (the same return versions): a correction,
    once approved, is what makes a new issue.
    """
    if not may_issue(user, meeting):
        raise PackError("Only the meeting's chair or an administrator can issue its pack.")
    meeting = Meeting.objects.select_for_update().select_related("chair").get(pk=meeting.pk)
    latest = meeting.issues.order_by("-number").first()
    number = latest.number + 1 if latest else 1
    # The same instant goes on the cover, into the PDF's metadata and on the record.
    issued_at = timezone.now().replace(microsecond=0)
    pack = selectors.pack_contents(
        meeting.period, meeting=meeting, number=number, generated_at=issued_at
    )
    if pack.draft:
        raise PackError(
            "The pack cannot be issued while it includes unapproved figures: "
            + "; ".join(pack.draft_reasons)
            + "."
        )
    missing = sections.missing_before_issue(meeting.period)
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
    rendered = render.render_pack(pack)
    issue = PackIssue(
        meeting=meeting,
        number=number,
        period=meeting.period,
        stored_name=f"{uuid.uuid4().hex}.pdf",
        sha256=rendered.sha256,
        size=len(rendered.pdf),
        pages=rendered.pages,
        issued_by=user,
        issued_at=issued_at,
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
