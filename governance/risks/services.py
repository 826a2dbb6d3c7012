"""
Everything that changes the risk register: raising a risk, reviewing it, closing it.

Keyword-only functions that check the person may (MANAGE_RISKS, so a command obeys the
pages' rules), clean each row with its model, and lock the risk they review or close so two
reviewers cannot both close it or record reviews out of order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can

from ..models import Risk, RiskReview, RiskSubject


class RiskError(Exception):
    """An act on the register that cannot be done, with a sentence saying why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require(user: User) -> None:
    if not can(user, Action.MANAGE_RISKS):
        raise RiskError("Your role does not allow changing the risk register.")


def _review(
    risk: Risk,
    *,
    user: User,
    at: datetime.datetime,
    reviewed_on: datetime.date,
    likelihood: int,
    impact: int,
    mitigations: str,
    note: str,
) -> RiskReview:
    if reviewed_on > timezone.localdate():
        raise RiskError("A review is recorded once it has happened: its date is in the future.")
    review = RiskReview(
        risk=risk,
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        impact=impact,
        mitigations=mitigations,
        note=note,
        recorded_by=user,
        recorded_at=at,
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def risk_raise(
    *,
    user: User,
    title: str,
    owner: str,
    reviewed_on: datetime.date,
    likelihood: int,
    impact: int,
    mitigations: str,
    description: str = "",
    subjects: Iterable[str] = (),
    note: str = "",
) -> Risk:
    """Add a risk to the register with its first rating."""
    _require(user)
    at = timezone.now()
    risk = Risk(title=title, description=description, owner=owner, raised_by=user, raised_at=at)
    risk.full_clean()
    risk.save()
    rows = [RiskSubject(risk=risk, subject=ref) for ref in dict.fromkeys(subjects)]
    for row in rows:
        row.full_clean()
    RiskSubject.objects.bulk_create(rows)
    _review(
        risk,
        user=user,
        at=at,
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        impact=impact,
        mitigations=mitigations,
        note=note or "Raised.",
    )
    return risk


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    user: User,
    reviewed_on: datetime.date,
    likelihood: int,
    impact: int,
    mitigations: str,
    note: str = "",
) -> RiskReview:
    """Record a review of an open risk; the earlier reviews stay as they were."""
    _require(user)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise RiskError("This risk is closed: it is no longer reviewed.")
    last = risk.reviews.order_by("-reviewed_on", "-pk").first()
    if last is not None and reviewed_on < last.reviewed_on:
        raise RiskError(
            f"The risk was last reviewed on {last.reviewed_on:%d %B %Y}: a review is recorded "
            "after the one before it."
        )
    return _review(
        risk,
        user=user,
        at=timezone.now(),
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        impact=impact,
        mitigations=mitigations,
        note=note,
    )


@transaction.atomic
def risk_close(*, risk: Risk, user: User, reason: str) -> Risk:
    """Close a risk that no longer applies: kept, with who closed it, when and why."""
    _require(user)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise RiskError("This risk is already closed.")
    if not reason.strip():
        raise RiskError("Say why the risk is closed.")
    risk.closed_by, risk.closed_at, risk.close_reason = user, timezone.now(), reason
    risk.full_clean()
    risk.save(update_fields=["closed_by", "closed_at", "close_reason"])
    return risk
