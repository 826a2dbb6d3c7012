"""
What was done about a record: the actions raised about it, found through a registry.

An Ofsted recommendation, an audit's finding, an improvement milestone: each is followed up
by actions of the actions log, which belongs to governance. The records that are followed
up belong to other apps, which never import governance. So governance registers the one
provider (`register(provider)`), and any app asks `about(refs)` for the actions filed under
its references (`recommendation:12`), as a list of `FollowUp` by reference.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FollowUp:
    """One action about a record, as a section of a report names it."""

    ref: str  # the record it is about: recommendation:12
    reference: str  # how the papers cite the action: A12
    title: str
    owner: str
    due: datetime.date
    status: str  # "Open", "Closed"
    overdue: bool
    outcome: str = ""
    url: str = ""


_PROVIDER: list[Callable[[list[str]], dict[str, list[FollowUp]]]] = []


def register(provider: Callable[[list[str]], dict[str, list[FollowUp]]]) -> None:
    """Set the one provider of follow-ups (the actions log); from its app's `ready()`."""
    _PROVIDER[:] = [provider]


def about(refs: Iterable[str]) -> dict[str, list[FollowUp]]:
    """The follow-ups of each of `refs` (a reference with none is left out); {} with no provider."""
    refs = list(dict.fromkeys(refs))
    if not refs or not _PROVIDER:
        return {}
    return _PROVIDER[0](refs)
