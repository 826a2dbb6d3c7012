"""
Pages about a meeting that other apps offer, linked from the meeting's page.

A meeting's business (its agenda, attendees, minutes, the actions and decisions it
carries) belongs to a domain; the meeting and its packs are the machinery's. The owner
registers a `MeetingLink` from its `AppConfig.ready()`; the meeting's page links each one
its reader may follow, reversed with the meeting's date, and never names the owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from opb_portal.accounts.permissions import Action, can

_LINKS: dict[str, MeetingLink] = {}


@dataclass(frozen=True)
class MeetingLink:
    """A page about one meeting: `url_name` is reversed with the meeting's date (2025-04-17)."""

    label: str
    url_name: str
    action: Action = Action.VIEW_DASHBOARDS
    order: int = 100


def register(link: MeetingLink) -> None:
    """Offer a page about each meeting; called from the owner's `AppConfig.ready()`."""
    _LINKS[link.url_name] = link


def links_for(meeting, user) -> list[tuple[str, str]]:
    """The pages about `meeting` that `user` may follow, in order, as (address, label)."""
    return [
        (reverse(link.url_name, args=[meeting.date.isoformat()]), link.label)
        for link in sorted(_LINKS.values(), key=lambda link: (link.order, link.url_name))
        if can(user, link.action)
    ]
