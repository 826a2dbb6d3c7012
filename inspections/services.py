"""
Everything that changes the stored inspections: keyword-only functions, one per act.

The import: each checks that the person may manage the portal's reference data
(administrators), runs the checks of `imports` again (the preview may have been open a
while), and writes in one transaction an `InspectionImport` with an `InspectionChange` for
every inspection added or changed, keeping what it was before. Nothing is deleted: an
inspection a later file leaves out (Ofsted's MI lists only the latest of some kinds) stays
as it was.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.comparators.models import Authority
from opb_portal.core.audit import log_event
from opb_portal.core.previews import Refused
from opb_portal.submissions.models import UploadedFile

from . import imports
from .imports import NewAuthority, Plan
from .models import (
    HandChange,
    Inspection,
    InspectionChange,
    InspectionImport,
    Kind,
    Recommendation,
)

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


# --- recorded by hand ----------------------------------------------------------------------
#
# The agencies' inspections and the LGA's peer reviews are not in Ofsted's file, and an
# inspection's recommendations are in no file at all: reviewers and administrators record
# them here. Each act keeps a `HandChange` with what the row said before. An imported
# inspection's dates and judgements are Ofsted's and are never changed by hand.


def _require_recording(user: User) -> None:
    if not can(user, Action.RECORD_INSPECTIONS):
        raise InspectionError(
            "Your role does not allow this: reviewers and administrators record inspections."
        )


def _kept(*, inspection: Inspection, recommendation=None, before, after, user: User) -> None:
    change = HandChange(
        inspection=inspection,
        recommendation=recommendation,
        before=before,
        after=after,
        user=user,
    )
    change.full_clean()
    change.save()


@transaction.atomic
def inspection_record(
    *,
    user: User,
    authority: Authority,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    month_only: bool = False,
    published_on: datetime.date | None = None,
    note: str = "",
    report_url: str = "",
    **judgements: str,
) -> Inspection:
    """Record an inspection, visit or peer review by hand, with who recorded it and when."""
    _require_recording(user)
    unknown = set(judgements) - set(imports.JUDGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not judgements: {sorted(unknown)}")
    if Inspection.objects.filter(authority=authority, kind=kind, start_date=start_date).exists():
        raise InspectionError(
            f"{authority} already has a {Kind(kind).label.lower()} starting "
            f"{start_date.day} {start_date:%B %Y}: open it from the list to correct it."
        )
    inspection = Inspection(
        authority=authority,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        month_only=month_only,
        published_on=published_on,
        note=note,
        report_url=report_url,
        recorded_by=user,
        recorded_at=timezone.now(),
        **judgements,
    )
    inspection.full_clean()
    inspection.save()
    _kept(inspection=inspection, before=None, after=inspection.hand_fields(), user=user)
    log_event("inspection_recorded", user=user, inspection=inspection.pk, kind=kind)
    return inspection


@transaction.atomic
def inspection_edit(
    *,
    inspection: Inspection,
    user: User,
    end_date: datetime.date | None,
    month_only: bool,
    published_on: datetime.date | None,
    note: str,
    report_url: str,
    **judgements: str,
) -> Inspection:
    """
    Correct an inspection recorded by hand (its kind and first day, which name it and its
    recommendations' references, stay). One an import set is Ofsted's: refused.
    """
    _require_recording(user)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not inspection.by_hand:
        raise InspectionError(
            "This inspection is as Ofsted's management information publishes it: its dates and "
            "judgements change only with the next import. You may add its recommendations."
        )
    before = inspection.hand_fields()
    inspection.end_date = end_date
    inspection.month_only = month_only
    inspection.published_on = published_on
    inspection.note = note
    inspection.report_url = report_url
    for name in imports.JUDGEMENT_FIELDS:
        setattr(inspection, name, judgements.get(name, ""))
    inspection.full_clean()
    if inspection.hand_fields() == before:
        raise InspectionError("Nothing to change: the inspection already says this.")
    inspection.save()
    _kept(inspection=inspection, before=before, after=inspection.hand_fields(), user=user)
    log_event("inspection_edited", user=user, inspection=inspection.pk)
    return inspection


@transaction.atomic
def recommendation_add(
    *, inspection: Inspection, user: User, number: int, text: str, area: str = ""
) -> Recommendation:
    """Record one of an inspection's recommendations, on an imported one or one by hand."""
    _require_recording(user)
    if inspection.recommendations.filter(number=number).exists():
        raise InspectionError(
            f"This inspection already has a recommendation {number}: give the next number, or "
            "edit that one."
        )
    recommendation = Recommendation(
        inspection=inspection,
        number=number,
        text=text,
        area=area,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    recommendation.full_clean()
    recommendation.save()
    _kept(
        inspection=inspection,
        recommendation=recommendation,
        before=None,
        after=recommendation.fields(),
        user=user,
    )
    log_event("recommendation_recorded", user=user, recommendation=recommendation.pk)
    return recommendation


@transaction.atomic
def recommendation_edit(
    *, recommendation: Recommendation, user: User, text: str, area: str = ""
) -> Recommendation:
    """Correct a recommendation's wording or area; its number (its reference) stays."""
    _require_recording(user)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    before = recommendation.fields()
    recommendation.text = text
    recommendation.area = area
    recommendation.full_clean()
    if recommendation.fields() == before:
        raise InspectionError("Nothing to change: the recommendation already says this.")
    recommendation.save()
    _kept(
        inspection=recommendation.inspection,
        recommendation=recommendation,
        before=before,
        after=recommendation.fields(),
        user=user,
    )
    log_event("recommendation_edited", user=user, recommendation=recommendation.pk)
    return recommendation
