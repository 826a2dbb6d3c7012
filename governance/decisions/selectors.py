"""Reads of the decisions log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from opb_portal.core import subjects

from ..models import Decision


def decisions_log() -> QuerySet:
    """Every decision, newest meeting first, with its meeting, recorder, and what replaced it."""
    return (
        Decision.objects.select_related("meeting", "recorded_by", "superseded_by__meeting")
        .prefetch_related("actions")
        .order_by("-meeting__date", "pk")
    )


def decisions_between(start: datetime.date | None, end: datetime.date) -> QuerySet:
    """Decisions of meetings on or after `start` and before `end`, in the order made."""
    found = Decision.objects.filter(meeting__date__lt=end)
    if start is not None:
        found = found.filter(meeting__date__gte=start)
    return found.select_related("meeting").order_by("meeting__date", "pk")


@dataclass(frozen=True)
class Row:
    decision: Decision
    subjects: list[subjects.Subject]


def rows(decisions) -> list[Row]:
    """The decisions with what they concern described (one query a kind of subject)."""
    decisions = list(decisions)
    described = subjects.describe(ref for d in decisions for ref in d.subjects)
    return [Row(d, [described[ref] for ref in d.subjects if ref in described]) for d in decisions]
