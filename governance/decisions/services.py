"""Recording the board's decisions: the chair (or an administrator) records, nobody edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action as Act
from opb_portal.boardpack.models import Meeting

from ..chairing import may_chair
from ..models import Action, Decision
from ..refusals import Refused


def may_record(user, meeting: Meeting) -> bool:
    return may_chair(user, meeting, Act.RECORD_DECISION)


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    user: User,
    text: str,
    subjects: Iterable[str] = (),
    actions: Iterable[Action] = (),
    supersedes: Decision | None = None,
) -> Decision:
    """
    Record what the board decided at `meeting`, what it concerns, and the earlier decision
    it replaces (which stays in the log, marked superseded).
    """
    if not may_record(user, meeting):
        raise Refused("Only the meeting's chair or an administrator can record its decisions.")
    if supersedes is not None:
        supersedes = (
            Decision.objects.select_for_update().select_related("meeting").get(pk=supersedes.pk)
        )
        if supersedes.meeting.date > meeting.date:
            raise Refused("A decision can only supersede one made before it.")
        if Decision.objects.filter(supersedes=supersedes).exists():
            raise Refused(f"Decision {supersedes.reference} is already superseded.")
    decision = Decision(
        meeting=meeting,
        text=text,
        subjects=list(dict.fromkeys(subjects)),
        supersedes=supersedes,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    decision.actions.set(list(actions))
    return decision
