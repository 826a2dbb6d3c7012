"""
The actions log as the portal's one provider of follow-ups (`opb_portal.core.followups`).

An Ofsted recommendation, an audit, an improvement milestone: whatever another app follows
up, it asks `followups.about(refs)` and gets the actions of this log filed under those
references, without importing governance.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from opb_portal.core.followups import FollowUp

from . import selectors


def provide(refs: list[str], *, day: datetime.date | None = None) -> dict[str, list[FollowUp]]:
    """
    The actions about each of `refs` as `FollowUp`s, overdue first, in one query (the
    actions with their owners); a reference with no actions is left out.
    """
    day = day or selectors.today()
    found: dict[str, list[FollowUp]] = {}
    for action in selectors.actions_about(refs, day=day):
        found.setdefault(action.subject, []).append(
            FollowUp(
                ref=action.subject,
                reference=action.reference,
                title=action.title,
                owner=str(action.owner),
                due=action.due,
                status=action.get_status_display(),
                overdue=action.overdue_on(day),
                outcome=action.outcome,
                url=reverse("governance:action", args=[action.pk]),
            )
        )
    return found


def register() -> None:
    from opb_portal.core import followups

    followups.register(provide)
