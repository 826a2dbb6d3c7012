"""
Everything that changes the comparators: keyword-only functions, one per act.

Each checks that the person may manage the portal's reference data, runs the
checks of `imports` again (the page may have been open for a while), and writes
in one transaction a `ComparatorImport` with a `ComparatorChange` for every figure
added or changed, keeping the value it replaced.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.core.audit import log_event
from opb_portal.core.previews import Refused
from opb_portal.core.text import joined
from opb_portal.spreadsheets import ERROR, Problem
from opb_portal.submissions.models import UploadedFile
from opb_portal.submissions.services import moment

from . import groups, imports
from .imports import Plan
from .models import (
    FIRST_YEAR,
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
    NeighbourGroup,
    PublishedAverage,
)
from .selectors import figure_date

# A stale preview's refusal names this many moved figures, then says how many more.
MOVED_NAMED = 5


class ComparatorError(Refused):
    """A change that cannot be made, with a sentence saying why and every problem found."""


def _require(user: User) -> None:
    if not can(user, Action.MANAGE_FRAMEWORKS):
        raise ComparatorError(
            "Your role does not allow this: only administrators change comparators."
        )


def comparator_import_preview(*, data: bytes, filename: str, user: User) -> Plan:
    """Every problem in a comparator file, or every figure it would add, change or leave."""
    _require(user)
    return imports.plan_file(data, filename=filename)


def _moved(plan: Plan, previewed: dict) -> str:
    """
    The figures that changed since the preview, who changed them and when (2 queries
    at most: the plan's rows came with the lock, their imports come here).
    """
    if not previewed:
        return ""
    moved = [p for p in plan.rows if p.figure in previewed and p.was != previewed[p.figure]]
    imports = ComparatorImport.objects.select_related("user").in_bulk(
        {p.current.comparator_import_id for p in moved[:MOVED_NAMED] if p.current is not None}
    )
    said = []
    for planned in moved[:MOVED_NAMED]:
        row, current = planned.row, planned.current
        before = previewed.get(planned.figure)
        was = f"{before[0]} in your preview" if before else "not stored when you previewed"
        what = f"{row.code} for {row.name} in {row.year}"
        if current is None:
            said.append(f"{what} was removed (it was {was})")
            continue
        record = imports.get(current.comparator_import_id)
        by = f" by {record.user} at {moment(record.at)}" if record else ""
        said.append(f"{what} was set to {current.value}{by} (it was {was})")
    if len(moved) > MOVED_NAMED:
        said.append(f"{len(moved) - MOVED_NAMED} more")
    return f" {joined(said)}." if said else ""


def comparator_import_apply(
    *,
    data: bytes,
    filename: str,
    user: User,
    fingerprint: str,
    previewed: dict | None = None,
) -> ComparatorImport:
    """
    Import a previewed file: the file is kept with its SHA-256, every figure it adds
    or changes is written with its history, or nothing at all.

    `fingerprint` is the preview's (`Plan.fingerprint`): if any figure the file
    touches has changed since, the import is refused and the person checks again;
    `previewed` (that preview's `Plan.base`, kept with the staged file) lets the
    refusal say which figures moved, by whom and when.
    """
    _require(user)
    plan, record, upload = import_file(
        data=data,
        filename=filename,
        user=user,
        fingerprint=fingerprint,
        plan=lambda: imports.plan_file(data, filename=filename, lock=True),
        moved=lambda plan: _moved(plan, previewed or {}),
        write=lambda plan, upload: _apply(
            plan,
            user=user,
            source=ComparatorImport.Source.FILE,
            filename=filename,
            upload=upload,
        ),
    )
    log_event(
        "comparator_import",
        user=user,
        filename=filename,
        sha256=upload.sha256,
        comparator_import=record.pk,
        added=record.added,
        changed=record.changed,
        unchanged=record.unchanged,
    )
    return record


def import_file(
    *,
    data: bytes,
    filename: str,
    user: User,
    fingerprint: str,
    plan: Callable[[], Any],
    moved: Callable[[Any], str],
    write: Callable[[Any, UploadedFile], ComparatorImport],
) -> tuple[Any, ComparatorImport, UploadedFile]:
    """
    The confirm of every comparator file (a comparator table, a published statistics
    file), in one transaction: `plan()` checks it again with the figures it touches locked;
    it is refused if it has problems, if its fingerprint is not the preview's (`moved(plan)`
    says what moved) or if it changes nothing; else the file is kept and `write(plan,
    upload)` writes the figures and their history. Any failure rolls it all back, the kept
    file included.
    """
    upload = None
    try:
        with transaction.atomic():
            checked = plan()
            if not checked.ok:
                raise ComparatorError(
                    f"{filename} has errors: nothing was changed.", checked.problems
                )
            if checked.fingerprint != fingerprint:
                raise ComparatorError(
                    "The comparators this file touches have changed since you checked it:"
                    f"{moved(checked)} The preview below shows the figures as they are now: "
                    "check it again before confirming."
                )
            _refuse_no_change(checked)
            upload = UploadedFile.store(data=data, name=filename, user=user)
            record = write(checked, upload)
    except BaseException as error:
        # The rows rolled back: the kept file goes with them.
        if upload is not None:
            upload.discard_file()
        if isinstance(error, IntegrityError):
            # Another import added one of these figures between our read and our write.
            raise ComparatorError(
                "Someone else added some of these figures at the same moment: nothing was "
                "changed. Check the preview again before confirming."
            ) from error
        raise
    return checked, record, upload


@transaction.atomic
def comparator_save(
    *, user: User, code: str, authority: str, year: str, value: str, source: str = ""
) -> ComparatorImport:
    """
    Save one typed figure through the same checks and history as an import.

    `authority` is a name or ONS code, or `PublishedAverage.LABEL` for the
    published neighbour average of the group in force that year.
    """
    _require(user)
    row, problems = imports.typed_row(
        code=code,
        authority=authority,
        year=str(year),
        value=str(value),
        source=source,
        lookups=imports.Lookups.load(),
    )
    if row is None:
        raise ComparatorError("The figure has errors: nothing was changed.", problems)
    plan = Plan(rows=imports.plan_rows([row], lock=True))
    _refuse_no_change(plan)
    # Read before `_apply` writes the new figure over the one it holds.
    old_value = plan.rows[0].old_value
    record = _apply(plan, user=user, source=ComparatorImport.Source.FORM)
    log_event(
        "comparator_save",
        user=user,
        comparator_import=record.pk,
        code=row.code,
        about=row.name,
        year=row.year,
        old_value=str(old_value),
        new_value=str(row.value),
    )
    return record


def _refuse_no_change(plan: Plan) -> None:
    if not plan.added and not plan.changed:
        raise ComparatorError(
            "Nothing to change: every figure is already stored with the same value and source."
        )


def _apply(
    plan: Plan, *, user: User, source: str, filename: str = "", upload: UploadedFile | None = None
) -> ComparatorImport:
    """Write the plan's new and changed figures, each with a change row keeping the old one."""
    record = ComparatorImport(
        source=source,
        filename=filename,
        upload=upload,
        sha256=upload.sha256 if upload else "",
        added=len(plan.added),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        user=user,
    )
    record.full_clean()
    record.save()
    new_values, new_averages, updated_values, updated_averages, changes = [], [], [], [], []
    for planned in plan.rows:
        if planned.state == imports.UNCHANGED:
            continue
        row = planned.row
        changes.append(
            ComparatorChange(
                comparator_import=record,
                code=row.code,
                year=row.year,
                authority=row.authority,
                group=row.group,
                old_value=planned.old_value,
                new_value=row.value,
                old_source=planned.old_source,
                new_source=planned.new_source,
            )
        )
        current = planned.current
        if current is None:
            fields = {
                "code": row.code,
                "year": row.year,
                "value": row.value,
                "source": row.source,
                "comparator_import": record,
            }
            if row.authority is not None:
                new_values.append(ComparatorValue(authority=row.authority, **fields))
            else:
                new_averages.append(PublishedAverage(group=row.group, **fields))
            continue
        current.value, current.source = row.value, planned.new_source
        current.comparator_import = record
        target = updated_values if isinstance(current, ComparatorValue) else updated_averages
        target.append(current)
    updated = ["value", "source", "comparator_import"]
    ComparatorValue.objects.bulk_create(new_values)
    PublishedAverage.objects.bulk_create(new_averages)
    ComparatorValue.objects.bulk_update(updated_values, updated)
    PublishedAverage.objects.bulk_update(updated_averages, updated)
    ComparatorChange.objects.bulk_create(changes)
    return record


# --- statistical neighbour groups --------------------------------------------------------


@transaction.atomic
def neighbour_group_load(
    *,
    user: User,
    name: str,
    effective_from: datetime.date,
    source: str = "",
    data: bytes | None = None,
    filename: str = "",
    members: str = "",
) -> NeighbourGroup:
    """
    Save a new statistical neighbour group from `effective_from`, its members read from a
    file (`data`) or typed one a line (`members`), and close the group in force the day
    before, in one transaction; or change nothing and raise every problem found.

    Groups follow one another: a new group starts after every group stored, so no year's
    figures change group silently, and a group's published averages of years the new
    group would cover stop the load rather than be left with no group.
    """
    _require(user)
    file = filename if data is not None else ""
    if data is not None:
        entries, problems = groups.file_entries(data, filename=filename)
        if problems:
            raise ComparatorError(f"{filename} cannot be read: nothing was changed.", problems)
    else:
        entries = groups.typed_entries(members)
    found = groups.check_members(
        entries, file=file, starts=effective_from, register=groups.Register.load()
    )
    problems = list(found.problems)
    stored = list(NeighbourGroup.objects.select_for_update().order_by("pk"))
    closing = _group_checks(stored, name=name, starts=effective_from, problems=problems)
    if problems:
        raise ComparatorError("The group has errors: nothing was changed.", problems)
    group = NeighbourGroup(name=name.strip(), effective_from=effective_from, source=source.strip())
    group.full_clean()
    group.save()
    group.members.set(found.authorities)
    day_before = effective_from - datetime.timedelta(days=1)
    for old in closing:
        old.effective_to = day_before
        old.full_clean()
        old.save(update_fields=["effective_to"])
    log_event(
        "neighbour_group_load",
        user=user,
        group=group.pk,
        name=group.name,
        effective_from=effective_from.isoformat(),
        members=[authority.code for authority in found.authorities],
        closed=[old.pk for old in closing],
    )
    return group


def _group_checks(
    stored: list[NeighbourGroup], *, name: str, starts: datetime.date, problems: list
) -> list[NeighbourGroup]:
    """The groups the new one closes; a problem for anything that stops it."""

    def problem(field: str, message: str) -> None:
        problems.append(Problem(severity=ERROR, message=message, field=field))

    if any(g.name.casefold() == name.strip().casefold() for g in stored):
        problem("name", f"A group is already called {name.strip()}: give the new one its own name.")
    if starts.year < FIRST_YEAR:
        problem(
            "effective_from",
            f"{groups.long_date(starts)} is before {FIRST_YEAR}, the first year comparators "
            "describe: expected the day the group comes into force.",
        )
    later = [g for g in stored if g.effective_from is not None and g.effective_from >= starts]
    if later:
        first = min(later, key=lambda g: g.effective_from)
        problem(
            "effective_from",
            f"{first.name} already starts on {groups.long_date(first.effective_from)}: a new "
            f"group starts after the last one stored, so it cannot start on "
            f"{groups.long_date(starts)}.",
        )
        return []
    closing = [g for g in stored if g.effective_to is None or g.effective_to >= starts]
    averages = PublishedAverage.objects.filter(
        Q(group__in=closing), Q(year__gte=starts.year - 1)
    ).select_related("group")
    for average in averages:
        if figure_date(average.year, average.year_basis) >= starts:
            problem(
                "effective_from",
                f"{average.group.name} holds the published average of {average.code} for "
                f"{average.refers_to}, which the new group would cover from "
                f"{groups.long_date(starts)}: start the group later, or move that average "
                "to the new group first.",
            )
    return closing
