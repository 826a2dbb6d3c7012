"""
Audits as subjects of the actions log (`opb_portal.core.subjects`): an action an audit
raised is filed under `audit:<pk>`, so it is followed up where every other action is, and
the actions form offers every audit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from ..models import Audit

KIND = "audit"


def _subject(audit: Audit) -> subjects.Subject:
    return subjects.Subject(
        subjects.ref(KIND, str(audit.pk)),
        f"{audit.title} ({audit.started:%B %Y})",
        reverse("governance:audit", args=[audit.pk]),
    )


def choices(period: Period) -> list[subjects.Subject]:
    """Every audit and survey, latest started first: an action may follow up any of them."""
    return [_subject(audit) for audit in Audit.objects.all()]


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """The audits of those keys that exist, in one query."""
    pks = [int(key) for key in keys if key.isdigit()]
    return {str(audit.pk): _subject(audit) for audit in Audit.objects.filter(pk__in=pks)}


def register() -> None:
    subjects.register(
        subjects.SubjectKind(
            kind=KIND, noun="Audit or survey", choices=choices, describe=describe, order=70
        )
    )
