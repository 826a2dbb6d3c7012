"""
Everything that changes the stored inspections: keyword-only functions, one per act.

Each checks that the person may manage the portal's reference data (administrators), runs
the checks of `imports` again (the preview may have been open a while), and writes in one
transaction an `InspectionImport` with an `InspectionChange` for every inspection added or
changed, keeping what it was before. Nothing is deleted: an inspection a later file leaves
out (Ofsted's MI lists only the latest of some kinds) stays as it was.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.comparators.models import Authority
from opb_portal.core.audit import log_event
from opb_portal.core.previews import Refused
from opb_portal.submissions.models import UploadedFile

from . import imports
from .imports import NewAuthority, Plan
from .models import Inspection, InspectionChange, InspectionImport

# Checked without a query each: `_apply` made or read them in this transaction.
LINKS = ["authority", "source"]
UPDATED = ["end_date", "published_on", *imports.JUDGEMENT_FIELDS, "report_url", "source"]
BATCH = 500


class InspectionError(Refused):
    """An import that cannot be made, with a sentence saying why and every problem found."""


def _require(user: User) -> None:
    if not can(user, Action.MANAGE_FRAMEWORKS):
        raise InspectionError(
            "Your role does not allow this: only administrators import Ofsted's outcomes."
        )


def inspections_import_preview(*, data: bytes, filename: str, user: User) -> Plan:
    """Every problem in an Ofsted file, or every inspection it would add, change or leave."""
    _require(user)
    return imports.plan_file(data, filename=filename)


def inspections_import_apply(
    *, data: bytes, filename: str, user: User, fingerprint: str
) -> InspectionImport:
    """
    Import a previewed file: the file is kept with its SHA-256, every inspection it adds or
    changes is written with what it was, or nothing at all.

    `fingerprint` is the preview's (`Plan.fingerprint`): if any inspection the file touches
    has changed since, the import is refused and the person checks again.
    """
    _require(user)
    upload = None
    try:
        with transaction.atomic():
            plan = imports.plan_file(data, filename=filename, lock=True)
            if not plan.ok:
                raise InspectionError(f"{filename} has errors: nothing was changed.", plan.problems)
            if plan.fingerprint != fingerprint:
                raise InspectionError(
                    "The inspections this file touches have changed since you checked it (another "
                    "import): the preview below shows them as they are now. Check it again before "
                    "confirming."
                )
            if not plan.added and not plan.changed:
                raise InspectionError(
                    "Nothing to change: every inspection in the file is already stored as it says."
                )
            upload = UploadedFile.store(data=data, name=filename, user=user)
            record = _apply(plan, user=user, filename=filename, upload=upload)
    except BaseException as error:
        # The rows rolled back: the kept file goes with them.
        if upload is not None:
            upload.discard_file()
        if isinstance(error, IntegrityError):
            raise InspectionError(
                "Someone else imported some of these inspections at the same moment: nothing "
                "was changed. Check the preview again before confirming."
            ) from error
        raise
    log_event(
        "inspections_import",
        user=user,
        filename=filename,
        sha256=record.sha256,
        inspections_import=record.pk,
        added=record.added,
        changed=record.changed,
        unchanged=record.unchanged,
    )
    return record


def _new_authority(new: NewAuthority) -> Authority:
    authority = Authority(
        name=new.name,
        kind=Authority.Kind.LOCAL_AUTHORITY,
        code=new.code,
        la_code=new.la_code,
        region=new.region[: Authority._meta.get_field("region").max_length],
    )
    authority.full_clean()
    authority.save()
    return authority


def _apply(plan: Plan, *, user: User, filename: str, upload: UploadedFile) -> InspectionImport:
    """Write the plan's new and changed inspections, each with a change row keeping the old."""
    added_authorities = {new.code: _new_authority(new) for new in plan.new_authorities}
    record = InspectionImport(
        filename=filename[:255],
        upload=upload,
        sha256=upload.sha256,
        added=len(plan.added),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        authorities_added=len(added_authorities),
        user=user,
    )
    record.full_clean()
    record.save()
    added, changed, changes = [], [], []
    for planned in plan.added + plan.changed:
        row = planned.row
        inspection = planned.current
        if inspection is None:
            authority = row.authority
            if isinstance(authority, NewAuthority):
                authority = added_authorities[authority.code]
            inspection = Inspection(authority=authority, kind=row.kind, start_date=row.start_date)
            added.append(inspection)
        else:
            changed.append(inspection)
        before = planned.was
        values = row.values
        inspection.end_date = _day(values["end_date"])
        inspection.published_on = _day(values["published_on"])
        for name in imports.JUDGEMENT_FIELDS:
            setattr(inspection, name, values[name])
        inspection.report_url = values["report_url"]
        inspection.source = record
        # Its authority and import are the rows just read or written, and the table's
        # constraint guards the rest at the write: no query a row to check them again.
        inspection.full_clean(exclude=LINKS, validate_unique=False, validate_constraints=False)
        changes.append((inspection, before, values))
    # A whole release is ~1,500 rows: written in a few statements, not a few a row.
    Inspection.objects.bulk_create(added, batch_size=BATCH)
    Inspection.objects.bulk_update(changed, UPDATED, batch_size=BATCH)
    rows = []
    for inspection, before, values in changes:
        change = InspectionChange(
            inspection_import=record, inspection=inspection, before=before, after=values
        )
        change.full_clean(exclude=["inspection_import", "inspection"])
        rows.append(change)
    InspectionChange.objects.bulk_create(rows, batch_size=BATCH)
    return record


def _day(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None
