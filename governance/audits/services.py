"""
Everything that records the Trust's audits and surveys: an audit, a correction to it, and
the compliance figures it measured.

Keyword-only functions that check the person may (RECORD_AUDITS, so a command obeys the
pages' rules) and clean each row with its model before saving it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can

from ..models import Audit, AuditFigure
from ..refusals import Refused

#: What an audit records, as its form and services name them.
FIELDS = (
    "kind",
    "title",
    "theme",
    "started",
    "finished",
    "sample",
    "findings",
    "strengths",
    "development",
    "illustrative",
)


def may_record(user: User) -> bool:
    return can(user, Action.RECORD_AUDITS)


def _require(user: User) -> None:
    if not may_record(user):
        raise Refused("Your role does not allow recording audits and surveys.")


def audit_record(
    *,
    user: User,
    kind: str,
    title: str,
    theme: str,
    started: datetime.date,
    finished: datetime.date | None = None,
    sample: str = "",
    findings: str = "",
    strengths: str = "",
    development: str = "",
    illustrative: bool = False,
) -> Audit:
    """Record an audit or survey the Trust carried out (or has under way)."""
    _require(user)
    audit = Audit(
        kind=kind,
        title=title,
        theme=theme,
        started=started,
        finished=finished,
        sample=sample,
        findings=findings,
        strengths=strengths,
        development=development,
        illustrative=illustrative,
    )
    audit.full_clean()
    audit.save()
    return audit


@transaction.atomic
def audit_edit(*, audit: Audit, user: User, **fields) -> Audit:
    """Correct or complete an audit (its findings once written, its finish date once done)."""
    _require(user)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"An audit has no {', '.join(sorted(unknown))}.")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    for name, value in fields.items():
        setattr(audit, name, value)
    audit.full_clean()
    audit.save(update_fields=list(fields))
    return audit


@transaction.atomic
def audit_figure_record(
    *, audit: Audit, user: User, measure: str, as_at: datetime.date, percent: Decimal
) -> AuditFigure:
    """
    Record a figure the audit measured on a day; a second figure of the same measure on the
    same day corrects the first (one a day, as the constraint keeps it).
    """
    _require(user)
    if as_at < audit.started:
        raise Refused(
            f"The audit started on {audit.started:%d %B %Y}: a figure it measured is dated "
            "on or after that."
        )
    figure = (
        AuditFigure.objects.select_for_update()
        .filter(audit=audit, measure=measure.strip(), as_at=as_at)
        .first()
    ) or AuditFigure(audit=audit, measure=measure.strip(), as_at=as_at)
    figure.percent = percent
    figure.full_clean(validate_constraints=figure.pk is None)
    figure.save()
    return figure
