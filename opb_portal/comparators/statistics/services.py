"""
Importing a published statistics file: the preview, and the import it confirms.

As every comparator change (`comparators.services`): administrators only, the checks run
again inside the transaction, and a `ComparatorImport` with a `ComparatorChange` for each
figure added or changed, keeping what it replaced. A new release replaces the figures it
covers; the old ones stay in the history with their source, the import (its publication,
date and file) and when.

Re-importing a file whose figures are all stored is refused as "nothing to change": no
import is written, so the history lists only releases that changed something.
"""

from __future__ import annotations

import datetime

from opb_portal.accounts.models import User
from opb_portal.core.audit import log_event
from opb_portal.submissions.models import UploadedFile

from ..models import Authority, ComparatorChange, ComparatorImport, ComparatorValue
from ..services import _require, import_file
from .plan import ADDED, UNCHANGED, StatisticsPlan, plan_statistics

# Rows written per INSERT or UPDATE: SQLite allows 999 parameters a statement.
BATCH = 500
# A stale confirmation's refusal names this many moved (code, year) cells, then counts.
MOVED_NAMED = 5


def statistics_import_preview(*, data: bytes, filename: str, user: User) -> StatisticsPlan:
    """Every problem in a statistics file, or a summary of what importing it would change."""
    _require(user)
    return plan_statistics(data, filename=filename)


def _moved(plan: StatisticsPlan, previewed: dict | None) -> str:
    if not previewed:
        return ""
    moved = sorted(cell for cell, digest in plan.base.items() if previewed.get(cell) != digest)
    said = [cell.replace("|", " in ") for cell in moved[:MOVED_NAMED]]
    if len(moved) > MOVED_NAMED:
        said.append(f"{len(moved) - MOVED_NAMED} more")
    return f" the figures of {', '.join(said)} moved." if said else ""


def statistics_import_apply(
    *,
    data: bytes,
    filename: str,
    user: User,
    fingerprint: str,
    published_on: datetime.date | None = None,
    previewed: dict | None = None,
) -> ComparatorImport:
    """
    Import a previewed statistics file, all of it or nothing: the file is kept with its
    SHA-256, new authorities are added, every figure added or changed is written with its
    history. `fingerprint` is the preview's (`StatisticsPlan.fingerprint`): if a figure
    of a code and year the file covers has changed since, the import is refused.
    """
    _require(user)
    plan, record, upload = import_file(
        data=data,
        filename=filename,
        user=user,
        fingerprint=fingerprint,
        plan=lambda: plan_statistics(data, filename=filename, lock=True),
        moved=lambda plan: _moved(plan, previewed),
        write=lambda plan, upload: _apply(
            plan, user=user, upload=upload, published_on=published_on
        ),
    )
    log_event(
        "statistics_import",
        user=user,
        filename=filename,
        sha256=upload.sha256,
        comparator_import=record.pk,
        publication=record.publication,
        added=record.added,
        changed=record.changed,
        unchanged=record.unchanged,
        new_authorities=len(plan.new_authorities),
    )
    return record


def _apply(
    plan: StatisticsPlan, *, user: User, upload: UploadedFile, published_on: datetime.date | None
) -> ComparatorImport:
    record = ComparatorImport(
        source=ComparatorImport.Source.STATISTICS,
        filename=upload.original_name,
        upload=upload,
        sha256=upload.sha256,
        added=plan.added,
        changed=plan.changed,
        unchanged=plan.unchanged,
        publication=plan.publication[:200],
        published_on=published_on,
        summary=plan.summary,
        user=user,
    )
    record.full_clean()
    record.save()
    for authority in plan.new_authorities:
        # The ONS code's unique constraint is checked by the write (a race is an IntegrityError).
        authority.full_clean(validate_unique=False, validate_constraints=False)
    Authority.objects.bulk_create(plan.new_authorities, batch_size=BATCH)
    new_values, updated, changes = [], [], []
    for planned in plan.rows:
        state = planned.state
        if state == UNCHANGED:
            continue
        figure, current, measure = planned.figure, planned.current, planned.figure.measure
        changes.append(
            ComparatorChange(
                comparator_import=record,
                code=figure.code,
                year=figure.year,
                authority=planned.authority,
                old_value=current.value if current else None,
                old_symbol=current.symbol if current else "",
                old_source=current.source if current else "",
                new_value=figure.value,
                new_symbol=figure.symbol,
                new_source=measure.cited_as,
            )
        )
        if state == ADDED:
            current = ComparatorValue(
                code=figure.code, authority=planned.authority, year=figure.year
            )
            new_values.append(current)
        else:
            updated.append(current)
        current.value, current.symbol = figure.value, figure.symbol
        current.source, current.year_basis = measure.cited_as, measure.year_basis
        current.comparator_import = record
    ComparatorValue.objects.bulk_create(new_values, batch_size=BATCH)
    ComparatorValue.objects.bulk_update(
        updated, ["value", "symbol", "source", "year_basis", "comparator_import"], batch_size=BATCH
    )
    ComparatorChange.objects.bulk_create(changes, batch_size=BATCH)
    return record
