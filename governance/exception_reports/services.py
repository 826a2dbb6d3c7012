"""
Everything that changes an exception report: keyword-only functions, one per act.

Each checks the person may do it (the command line obeys the same rules as the pages),
takes a row lock so that two people acting at once cannot both succeed, checks every row
with its model (`full_clean`) and records an event with who, when, from, to and why.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from opb_portal.accounts.models import Organisation, User
from opb_portal.accounts.permissions import Action, can
from opb_portal.core import off_track
from opb_portal.periods import Period

from ..models import ExceptionReport, ExceptionReportEvent, ExceptionReportVersion

Status = ExceptionReport.Status


class AccountabilityError(Exception):
    """An act that cannot be done, with a sentence saying why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def saved(row):
    """`row`, checked by its model and saved."""
    row.full_clean()
    row.save()
    return row


def off_track_item(subject: str, period: Period) -> off_track.OffTrack | None:
    """The figure `subject` in `period` if its domain judges it off track."""
    return next((item for item in off_track.at(period) if item.subject == subject), None)


def may_write(user: User, domain: str) -> bool:
    """The submitters of the return the figure belongs to: they explain their own figures."""
    return bool(domain) and can(user, Action.WRITE_EXCEPTION_REPORT, domain=domain)


def require_writer(user: User, domain: str) -> None:
    if not may_write(user, domain):
        raise AccountabilityError(
            "Only the Trust's people who send this figure's return can write its report."
        )


def require_reviewer(user: User) -> None:
    if not can(user, Action.REVIEW_EXCEPTION_REPORT):
        raise AccountabilityError("Only a council reviewer can accept a report or ask for more.")


def stale(record, seen: int | None) -> AccountabilityError | None:
    """Refuse an act based on a version someone has since replaced; None when it is current."""
    current = record.current_version
    number = current.number if current else None
    if number == seen:
        return None
    return AccountabilityError(
        f"Version {number} was written by {current.written_by} after you opened version "
        f"{seen or 'none'}. Nothing was saved: reload the page, read it, and act again."
    )


@transaction.atomic
def exception_report_write(
    *,
    user: User,
    subject: str,
    period: Period,
    cause: str,
    action_taken: str,
    owner_name: str,
    owner_organisation: Organisation,
    back_on_target: datetime.date,
    seen: int | None = None,
    reason: str = "",
) -> ExceptionReportVersion:
    """
    Write the exception report on `subject` in `period`, or a new version of it.

    The first version needs the figure to be off track in the month; a later one is an
    answer to the council's questions or a revision (with a reason, once accepted), and
    goes back to the council. `seen` is the version number the writer started from.
    """
    report = (
        ExceptionReport.objects.select_for_update(of=("self",))
        .select_related("current_version__written_by")
        .filter(subject=subject, period=period)
        .first()
    )
    if report is None:
        if not can(user, Action.WRITE_EXCEPTION_REPORT):
            require_writer(user, "")
        item = off_track_item(subject, period)
        if item is None:
            raise AccountabilityError(
                f"{subject} is not off track in {period.long}: no exception report is asked for."
            )
        require_writer(user, item.domain)
        report = ExceptionReport(subject=subject, period=period, domain=item.domain)
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise AccountabilityError(
                "Someone else has just written this report: reload the page to read it."
            ) from exc
        before = ""
    else:
        require_writer(user, report.domain)
        if refused := stale(report, seen):
            raise refused
        before = report.status
        if report.accepted and not reason.strip():
            raise AccountabilityError(
                "The council has accepted this report: say why you are revising it."
            )
    number = report.current_version.number + 1 if report.current_version else 1
    version = saved(
        ExceptionReportVersion(
            report=report,
            number=number,
            cause=cause,
            action_taken=action_taken,
            owner_name=owner_name,
            owner_organisation=owner_organisation,
            back_on_target=back_on_target,
            reason=reason,
            written_by=user,
        )
    )
    report.current_version = version
    report.status = Status.SUBMITTED
    saved(report)
    saved(
        ExceptionReportEvent(
            report=report,
            version=version,
            action=ExceptionReportEvent.Action.WRITTEN,
            from_status=before,
            to_status=report.status,
            user=user,
            note=reason,
        )
    )
    return version


@transaction.atomic
def exception_report_review(
    *, user: User, report: ExceptionReport, accept: bool, note: str = "", seen: int | None
) -> ExceptionReportEvent:
    """
    Accept the report's current version, or ask for more (saying what). `seen` is the
    version the reviewer read: a version written since is read before it is judged.
    """
    require_reviewer(user)
    report = (
        ExceptionReport.objects.select_for_update(of=("self",))
        .select_related("current_version__written_by")
        .get(pk=report.pk)
    )
    if report.status != Status.SUBMITTED:
        raise AccountabilityError(
            f"This report is {report.get_status_display().lower()}, not awaiting review: "
            "reload the page to see its state."
        )
    if refused := stale(report, seen):
        raise refused
    if not accept and not note.strip():
        raise AccountabilityError("Say what more the council needs.")
    before = report.status
    report.status = Status.ACCEPTED if accept else Status.MORE_ASKED
    saved(report)
    return saved(
        ExceptionReportEvent(
            report=report,
            version=report.current_version,
            action=(
                ExceptionReportEvent.Action.ACCEPTED
                if accept
                else ExceptionReportEvent.Action.MORE_ASKED
            ),
            from_status=before,
            to_status=report.status,
            user=user,
            note=note,
        )
    )
