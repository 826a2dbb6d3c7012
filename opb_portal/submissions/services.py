"""
Everything that changes a return: keyword-only functions, one per act.

Each function checks that the person may do it, takes a row lock on the
return so that two people acting at once cannot both succeed, records an
event with who, when and why, and sends the emails the act calls for. Every
row is checked by its model (`full_clean`) before it is saved, as everywhere.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import Organisation, User
from opb_portal.accounts.permissions import Action, can
from opb_portal.core.audit import log_event
from opb_portal.core.previews import Refused
from opb_portal.core.text import joined
from opb_portal.periods import Period

from . import notifications, registry
from .models import (
    EXPLAINED_AT_SUBMISSION,
    Comment,
    LockedPeriod,
    PeriodLockEvent,
    Return,
    ReturnEvent,
    ReturnVersion,
    UploadedFile,
)
from .pipeline import Checked, Entry, check_entries


class ReturnError(Refused):
    """An act that cannot be done, with a sentence saying why and what to do."""


def _require(
    user: User,
    action: Action,
    *,
    domain: str | None = None,
    organisation: Organisation | None = None,
) -> None:
    if not can(user, action, domain=domain):
        raise ReturnError("Your role does not allow this.")
    own = organisation is None or user.organisation_id == organisation.pk
    if action == Action.SUBMIT_RETURN and not own:
        raise ReturnError("You can only send returns for your own organisation.")


class ReturnChanged(ReturnError):
    """
    A save refused because the return moved on after the person saw it.

    Names the version now current, who saved it and when, and the version the
    person's figures were based on (`seen`, None for a return that had no figures).
    """

    def __init__(
        self, *, ret: Return, current: ReturnVersion, seen: int | None, user: User, preview: bool
    ):
        self.ret, self.current, self.seen = ret, current, seen
        who = "you, in another window," if current.created_by_id == user.pk else current.created_by
        saved = (
            f"Version {current.number} of the {registry.get(ret.domain).label} for "
            f"{ret.period.long} was saved by {who} at {moment(current.created_at)}"
        )
        if preview:
            after = (
                f"your preview of version {seen}"
                if seen
                else "your preview (it had no figures then)"
            )
            message = f"{saved}, after {after}. Nothing was saved. Preview the file again:"
        else:
            after = (
                f"you opened version {seen}" if seen else "you opened it (it had no figures then)"
            )
            message = (
                f"{saved}, after {after}. Your changes were not saved: reload the page to see "
                "those figures, then make your changes again."
            )
        super().__init__(message)


def moment(at) -> str:
    """A moment as people say it: 14:02 on 3 May 2025 (local time)."""
    at = timezone.localtime(at)
    return f"{at:%H:%M} on {at.day} {at:%B %Y}"


def _require_unlocked(period: Period) -> None:
    if LockedPeriod.objects.filter(period=period).exists():
        raise ReturnError(
            f"{period.long} is locked: the OPB has met on its figures. "
            "Ask an administrator to unlock it if a correction is needed."
        )


def _locked_return(ret: Return) -> Return:
    """Re-read the return under a row lock: of two acts at once, the second waits for the first."""
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("current_version__created_by")
        .get(pk=ret.pk)
    )


def _not_submitted(ret: Return) -> ReturnError:
    """
    Of two reviewers deciding at once, the second waited on the row lock: tell them
    who decided first and that nothing of theirs was recorded.
    """
    state = f"This return is {ret.get_status_display().lower()}, not submitted"
    last = ret.events.select_related("user").order_by("-at", "-pk").first()
    decided = {
        ReturnEvent.Action.APPROVED: "approved it",
        ReturnEvent.Action.RETURNED: "returned it with queries",
    }
    if last is None or last.action not in decided:
        return ReturnError(
            f"{state}: someone may have acted on it already. Reload the page to see its state."
        )
    return ReturnError(
        f"{state}: {last.user} {decided[last.action]} at {moment(last.at)}. "
        "Nothing you did was recorded: reload the page to see its state."
    )


def _saved(row):
    """`row`, checked by its model and saved: a row no form checked is still a valid row."""
    row.full_clean()
    row.save()
    return row


def _event(
    ret: Return,
    *,
    user: User,
    action: str,
    from_status: str,
    note: str = "",
    version: ReturnVersion | None = None,
) -> ReturnEvent:
    event = _saved(
        ReturnEvent(
            ret=ret,
            version=version or ret.current_version,
            action=action,
            from_status=from_status,
            to_status=ret.status,
            user=user,
            note=note,
        )
    )
    log_event(
        "state_change",
        user=user,
        domain=ret.domain,
        period=ret.period.iso,
        return_id=ret.pk,
        version=event.version.number if event.version else None,
        action=action,
        from_status=from_status,
        to_status=ret.status,
    )
    return event


def return_for(*, organisation: Organisation, domain: str, period: Period) -> Return:
    ret, _ = Return.objects.get_or_create(organisation=organisation, domain=domain, period=period)
    return ret


@transaction.atomic
def return_save(
    *,
    ret: Return,
    user: User,
    data: dict,
    source: str = "form",
    base_version: int | None,
    reason: str = "",
    upload: UploadedFile | None = None,
    preview: bool = False,
) -> ReturnVersion:
    """
    Save the figures as a new version.

    `base_version` is the version the person started from (the one the form
    was opened at, or an upload's preview was computed against, `preview`):
    if anyone saved in between, the save is refused (`ReturnChanged`, naming
    that version, its author and time) rather than overwriting their work.
    Saving an approved return starts a correction, which needs a reason and
    goes back through review; the approved figures stay on the dashboards
    until the correction is approved.
    """
    _require(user, Action.SUBMIT_RETURN, domain=ret.domain, organisation=ret.organisation)
    ret = _locked_return(ret)
    _require_unlocked(ret.period)
    current = ret.current_version.number if ret.current_version else None
    if base_version != current:
        if ret.current_version is None:  # a version the person saw is gone: cannot happen
            raise ReturnError("This return has changed: reload the page and start again.")
        raise ReturnChanged(
            ret=ret, current=ret.current_version, seen=base_version, user=user, preview=preview
        )
    previous = ret.status
    if previous == Return.Status.SUBMITTED:
        action = ReturnEvent.Action.WITHDRAWN
    elif previous == Return.Status.APPROVED:
        if not reason.strip():
            raise ReturnError(
                "This return is approved: say why it needs correcting. The correction goes back "
                "through review, and the approved figures stay in place until it is approved."
            )
        action = ReturnEvent.Action.CORRECTED
    else:
        action = ReturnEvent.Action.SAVED
    if not data:
        raise ReturnError("There are no figures to save: give at least one line.")
    version = _saved(
        ReturnVersion(
            ret=ret,
            number=(current or 0) + 1,
            data=data,
            source=source,
            upload=upload,
            reason=reason.strip(),
            created_by=user,
        )
    )
    ret.current_version = version
    ret.status = Return.Status.DRAFT if previous != Return.Status.RETURNED else previous
    ret.full_clean()
    ret.save(update_fields=["current_version", "status"])
    _event(ret, user=user, action=action, from_status=previous, note=reason.strip())
    return version


def entries_from_version(ret: Return) -> list[Entry]:
    from opb_portal.spreadsheets import Cell

    period = ret.period
    return [
        Entry(
            code=code,
            label=Cell(sheet="", ref=code, value=code),
            period=period,
            fields={name: Cell(sheet="", ref=code, value=value) for name, value in fields.items()},
        )
        for code, fields in ret.current_version.data.items()
    ]


def unanswered_warnings(checked: Checked, ret: Return, explanations: dict[str, str]) -> list:
    """Warnings whose line carries no commentary and got no explanation."""
    data = ret.current_version.data
    return [
        w
        for w in checked.warnings
        if not (
            data.get(w.measure, {}).get("commentary") or explanations.get(w.measure, "").strip()
        )
    ]


def _explained_version(
    ret: Return, *, user: User, spec: registry.ReturnSpec, explained: dict[str, str]
) -> ReturnVersion | None:
    """
    A new version of `ret` whose lines carry `explained` as their commentary, or None when no
    explained line has an empty commentary to carry it (a derived total has none; a line's
    own commentary is never overwritten): the submission's note keeps those explanations.

    The explanation then reaches the domain's rows the one way a figure does
    (`spec.figures(version)`, and `apply` on approval), and this version's author and time
    are the commentary's: the submitter, at submission.
    """
    current = ret.current_version
    commentable = {line.code for line in spec.lines(ret.period) if "commentary" in line.text_fields}
    given = {
        code: text
        for code, text in explained.items()
        if code in commentable
        and code in current.data
        and not (current.data[code].get("commentary") or "").strip()
    }
    if not given:
        return None
    data = {code: dict(fields) for code, fields in current.data.items()}
    for code, text in given.items():
        data[code]["commentary"] = text
    # The figures are still the previous version's, so it keeps their source (form or file).
    version = _saved(
        ReturnVersion(
            ret=ret,
            number=current.number + 1,
            data=data,
            source=current.source,
            upload=current.upload,
            reason=EXPLAINED_AT_SUBMISSION,
            created_by=user,
        )
    )
    ret.current_version = version
    ret.full_clean()
    ret.save(update_fields=["current_version"])
    _event(
        ret,
        user=user,
        action=ReturnEvent.Action.SAVED,
        from_status=ret.status,
        note=EXPLAINED_AT_SUBMISSION,
    )
    return version


def open_queries(ret: Return, comments=None) -> dict[str, Comment]:
    """
    Each thread's query still awaiting the Trust's answer, by line ("" for the whole return):
    a reviewer's comment that no comment of the return's own organisation has followed.

    `comments` are the return's, oldest first within each line, with their authors (a page
    passes those it prefetched); without them, 1 query.
    """
    if comments is None:
        comments = Comment.objects.filter(ret=ret).select_related("author")
    waiting: dict[str, Comment] = {}
    for comment in comments:
        if comment.author.organisation_id == ret.organisation_id:
            waiting.pop(comment.line, None)
        elif comment.line not in waiting:
            waiting[comment.line] = comment
    return waiting


@transaction.atomic
def return_submit(
    *,
    ret: Return,
    user: User,
    explanations: dict[str, str] | None = None,
    answers: dict[str, str] | None = None,
) -> ReturnEvent:
    """
    Send the current version to the council.

    Errors block. Warnings (a big jump, a red or amber KPI) need an answer, not a fix:
    the line's commentary, or an explanation given now. An explanation becomes its line's
    commentary in a new version (`EXPLAINED_AT_SUBMISSION`, by the submitter), which is
    the version submitted, and is also kept in the submission's note. `answers` (by line,
    "" for the whole return) answer the reviewers' open queries, each in its query's thread.
    """
    explanations = explanations or {}
    answers = {line: text.strip() for line, text in (answers or {}).items() if text.strip()}
    _require(user, Action.SUBMIT_RETURN, domain=ret.domain, organisation=ret.organisation)
    ret = _locked_return(ret)
    _require_unlocked(ret.period)
    if ret.current_version is None:
        raise ReturnError("There are no figures to submit yet: save the return first.")
    if not ret.is_editable:
        raise ReturnError(
            f"This return is {ret.get_status_display().lower()}; it cannot be submitted again."
        )
    spec = registry.get(ret.domain)
    checked = check_entries(
        spec=spec,
        organisation=ret.organisation,
        entries=entries_from_version(ret),
        submitting=True,
    )
    if checked.errors:
        raise ReturnError(
            "The return has errors to fix before it can be submitted.", checked.errors
        )
    unanswered = unanswered_warnings(checked, ret, explanations)
    if unanswered:
        raise ReturnError(
            "Some figures need an explanation before the return can be submitted: "
            "add commentary to those lines or explain them here.",
            unanswered,
        )
    unasked = sorted(set(answers) - set(open_queries(ret)))
    if unasked:
        raise ReturnError(
            f"There is no open query on {joined([code or 'the whole return' for code in unasked])} "
            "to answer: reload the page to see the queries."
        )
    explained = {
        code: explanations[code].strip()
        for code in dict.fromkeys(w.measure for w in checked.warnings)
        if explanations.get(code, "").strip()
    }
    note = "\n".join(f"{code}: {text}" for code, text in explained.items())
    _explained_version(ret, user=user, spec=spec, explained=explained)
    for line, text in answers.items():
        _saved(Comment(ret=ret, version=ret.current_version, line=line, author=user, text=text))
    previous = ret.status
    ret.status = Return.Status.SUBMITTED
    ret.full_clean()
    ret.save(update_fields=["status"])
    event = _event(
        ret, user=user, action=ReturnEvent.Action.SUBMITTED, from_status=previous, note=note
    )
    notifications.return_submitted(ret=ret, event=event)
    return event


def _submitted_by(ret: Return) -> User | None:
    event = ret.events.filter(action=ReturnEvent.Action.SUBMITTED).order_by("-at", "-pk").first()
    return event.user if event else None


@transaction.atomic
def return_approve(*, ret: Return, user: User, note: str = "") -> ReturnEvent:
    _require(user, Action.REVIEW_RETURN)
    ret = _locked_return(ret)
    _require_unlocked(ret.period)
    if ret.status != Return.Status.SUBMITTED:
        raise _not_submitted(ret)
    authors = set(ret.versions.values_list("created_by_id", flat=True))
    submitter = _submitted_by(ret)
    if user.pk in authors or (submitter and submitter.pk == user.pk):
        raise ReturnError("You cannot approve a return you prepared or submitted.")
    ret.status = Return.Status.APPROVED
    ret.approved_version = ret.current_version
    ret.full_clean()
    ret.save(update_fields=["status", "approved_version"])
    registry.get(ret.domain).apply(version=ret.approved_version)
    event = _event(
        ret,
        user=user,
        action=ReturnEvent.Action.APPROVED,
        from_status=Return.Status.SUBMITTED,
        note=note,
    )
    notifications.return_decided(ret=ret, event=event)
    return event


@transaction.atomic
def return_send_back(*, ret: Return, user: User, comment: str, line: str = "") -> ReturnEvent:
    """Return a submitted return to the Trust with a query."""
    _require(user, Action.REVIEW_RETURN)
    if not comment.strip():
        raise ReturnError("Say what needs answering: a return goes back with a query.")
    ret = _locked_return(ret)
    if ret.status != Return.Status.SUBMITTED:
        raise _not_submitted(ret)
    ret.status = Return.Status.RETURNED
    ret.full_clean()
    ret.save(update_fields=["status"])
    _saved(
        Comment(ret=ret, version=ret.current_version, line=line, author=user, text=comment.strip())
    )
    event = _event(
        ret,
        user=user,
        action=ReturnEvent.Action.RETURNED,
        from_status=Return.Status.SUBMITTED,
        note=comment.strip(),
    )
    notifications.return_decided(ret=ret, event=event)
    return event


@transaction.atomic
def comment_add(*, ret: Return, user: User, text: str, line: str = "") -> Comment:
    """A reviewer's query or the Trust's answer, on one line or the whole return."""
    reviewer = can(user, Action.REVIEW_RETURN)
    submitter = (
        can(user, Action.SUBMIT_RETURN, domain=ret.domain)
        and user.organisation_id == ret.organisation_id
    )
    if not (reviewer or submitter):
        raise ReturnError("Your role does not allow commenting on this return.")
    if not text.strip():
        raise ReturnError("A comment needs some text.")
    return _saved(
        Comment(ret=ret, version=ret.current_version, line=line, author=user, text=text.strip())
    )


@transaction.atomic
def period_lock(*, period: Period, user: User, reason: str = "") -> LockedPeriod:
    _require(user, Action.LOCK_PERIOD)
    if LockedPeriod.objects.filter(period=period).exists():
        raise ReturnError(f"{period.long} is already locked.")
    lock = _saved(LockedPeriod(period=period, locked_by=user, reason=reason.strip()))
    _saved(
        PeriodLockEvent(
            period=period,
            action=PeriodLockEvent.Action.LOCKED,
            user=user,
            reason=reason.strip(),
        )
    )
    log_event("state_change", user=user, action="lock", period=period.iso, reason=reason.strip())
    return lock


@transaction.atomic
def period_unlock(*, period: Period, user: User, reason: str) -> PeriodLockEvent:
    _require(user, Action.LOCK_PERIOD)
    if not reason.strip():
        raise ReturnError("Say why the month is being unlocked: the reason is kept in its history.")
    deleted, _ = LockedPeriod.objects.filter(period=period).delete()
    if not deleted:
        raise ReturnError(f"{period.long} is not locked.")
    log_event("state_change", user=user, action="unlock", period=period.iso, reason=reason.strip())
    return _saved(
        PeriodLockEvent(
            period=period,
            action=PeriodLockEvent.Action.UNLOCKED,
            user=user,
            reason=reason.strip(),
        )
    )


def upload_base(*, organisation: Organisation, domain: str, periods) -> dict[str, int | None]:
    """
    The version each month's return is at now ({"2025-04": 6}; None where there is none).

    Read before a preview is computed and kept with the staged upload: `upload_store`
    refuses the confirmation if any month has moved on since (a save read after this
    but before the preview only makes the refusal cautious, never an overwrite).
    """
    months = sorted(periods)
    found = dict(
        Return.objects.filter(
            organisation=organisation, domain=domain, period__in=months
        ).values_list("period", "current_version__number")
    )
    return {month.iso: found.get(month) for month in months}


@transaction.atomic
def upload_store(
    *,
    spec: registry.ReturnSpec,
    organisation: Organisation,
    user: User,
    data: bytes,
    filename: str,
    checked: Checked,
    base: dict[str, int | None] | None = None,
    reason: str = "",
    original_sha256: str = "",
    sheets_left_out=(),
) -> list[ReturnVersion]:
    """
    Store a checked upload: the file once, and a new version of each month's return.

    `base` is `upload_base` as it was when the person's preview was computed: if
    any month's return has moved on since, nothing is stored (`ReturnChanged`).
    Only a caller that shows no preview (`manage.py import_return`) leaves it out,
    and the file is then merged into whatever is current when the months are locked.
    One transaction: if any month cannot be saved (locked since the preview,
    someone else saved), nothing is stored at all, the file included.
    """
    if not checked.ok:
        raise ReturnError("The file has errors: nothing was stored.", checked.errors)
    _require(user, Action.SUBMIT_RETURN, domain=spec.domain, organisation=organisation)
    missing = [p.long for p in sorted(checked.months) if base is not None and p.iso not in base]
    if missing:
        raise ReturnError(
            f"The preview did not cover {joined(missing)}: nothing was stored. "
            "Preview the file again."
        )
    # `data` is the copy kept of the file (`uploads.only_what_was_read`), `original_sha256`
    # the file's own.
    upload = UploadedFile.store(
        data=data,
        name=filename,
        user=user,
        original_sha256=original_sha256,
        sheets_left_out=sheets_left_out,
    )
    versions = []
    try:
        for period, month in sorted(checked.months.items()):
            ret = _locked_return(
                return_for(organisation=organisation, domain=spec.domain, period=period)
            )
            # Read under the lock: the figures the file is merged into are the current ones.
            current = ret.current_version
            merged = dict(current.data) if current else {}
            merged.update(month.data)
            now = current.number if current else None
            versions.append(
                return_save(
                    ret=ret,
                    user=user,
                    data=merged,
                    source=filename,
                    base_version=base[period.iso] if base is not None else now,
                    upload=upload,
                    reason=reason,
                    preview=True,
                )
            )
    except BaseException:
        # The rows roll back with the transaction; the file on disk must go with them.
        upload.discard_file()
        raise
    log_event(
        "upload",
        user=user,
        domain=spec.domain,
        filename=filename,
        sha256=upload.sha256,
        versions=[f"{v.ret.period.iso} v{v.number}" for v in versions],
    )
    return versions
