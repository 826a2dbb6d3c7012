"""
Uploads between the check and the confirmation, and the problems of refused ones: the
one stage -> problems -> preview -> confirm flow that every upload goes through (a
return's workbook, a comparator file), each under its own `purpose` (the return's
domain, or "comparators").

A file without errors waits under `UPLOAD_PENDING_ROOT` while its author reads
the preview, with a `StagedUpload` row saying whose it is, its SHA-256 (the
bytes confirmed are the bytes previewed) and what the preview was computed
against (its `base`; the `fingerprint` of it travels with a confirmation, so a
preview that someone else's save made stale cannot apply). A file with errors is
not kept at all: only its problems are, in a `ProblemList`, so that they can be
downloaded as a spreadsheet.

Neither is in the session, which every page reads and writes. A token is only
ever looked up together with its owner: a guessed token, or someone else's,
finds nothing (404). Both expire after a day; `manage.py clean_uploads` removes
what has expired, and so does every new upload for its own person's oldest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import secrets
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from opb_portal.accounts.models import User
from opb_portal.exports import XLSX
from opb_portal.spreadsheets import Problem, Reading, problems_workbook
from opb_portal.spreadsheets.csvrows import is_csv
from opb_portal.spreadsheets.kept import kept_copy

from .models import PART, ProblemList, StagedUpload, UploadedFile

# A person rarely has more than one preview open; a few more are kept, then the oldest go.
KEEP_STAGED = 5
# Problem lists can be long: keep only the last few a person downloaded or might.
KEEP_PROBLEM_LISTS = 5
# A file no row names yet may belong to a request still running: leave it this long.
IN_FLIGHT_SECONDS = 60 * 60
# The names `UploadedFile.store` gives, final or not yet committed; nothing else is touched.
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(xlsx|csv)(\.part)?")


def fingerprint(base: dict) -> str:
    """
    The SHA-256 of what a preview was computed against (its `base`): the same figures
    give the same fingerprint, so a confirmation carrying the one its author saw is
    refused once anything it touches has moved on.
    """
    return hashlib.sha256(json.dumps(base, sort_keys=True, default=str).encode()).hexdigest()


def _token() -> str:
    return secrets.token_urlsafe(16)


def _keep_latest(rows, keep: int) -> None:
    """Delete all but a person's `keep` most recent rows of one kind (and staged files)."""
    for old in rows.order_by("-created_at", "-pk")[keep:]:
        discard(old)


def stage(
    *,
    owner: User,
    purpose: str,
    filename: str,
    data: bytes,
    base: dict,
    reading: Reading | None = None,
) -> StagedUpload:
    """
    Keep a checked file until its author confirms or cancels it.

    Given the `reading` of it, only what was read is kept, from the start: the sheets the
    return came from (`spreadsheets.kept`); the others are named in `sheets_left_out`
    for the preview, and never written to disk.
    """
    original_sha256 = hashlib.sha256(data).hexdigest()
    left_out: list[str] = []
    if reading is not None:
        data, left_out = only_what_was_read(data=data, filename=filename, reading=reading)
    staged = StagedUpload(
        token=_token(),
        owner=owner,
        purpose=purpose,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        original_sha256=original_sha256,
        sheets_left_out=left_out,
        stored_name=f"{uuid.uuid4().hex}{'.csv' if is_csv(data, filename) else '.xlsx'}",
        base=base,
    )
    staged.full_clean()
    staged.path.parent.mkdir(parents=True, exist_ok=True)
    # Written before the row: a crash in between leaves a file no row names, which
    # `clean_uploads` removes; never a row whose file is missing.
    staged.path.write_bytes(data)
    staged.save()
    _keep_latest(StagedUpload.objects.filter(owner=owner), KEEP_STAGED)
    return staged


def checked(
    held: StagedUpload, *, data: bytes, base: dict, reading: Reading | None = None
) -> StagedUpload:
    """
    A file held while its check ran (`stage` with no `base`), now checked and waiting for
    its preview under the same token: what the preview is computed against, and for a
    return only the sheets read (`only_what_was_read`), as `stage` keeps them.
    """
    held.base = base
    if reading is not None:
        data, held.sheets_left_out = only_what_was_read(
            data=data, filename=held.filename, reading=reading
        )
        old = held.path
        held.stored_name = f"{uuid.uuid4().hex}{old.suffix}"
        held.sha256 = hashlib.sha256(data).hexdigest()
        # The new copy first: a crash before the row is saved leaves a file no row names
        # (`clean_uploads` removes it), never a row naming a missing file.
        held.path.write_bytes(data)
        held.full_clean()
        held.save(update_fields=["base", "stored_name", "sha256", "sheets_left_out"])
        old.unlink(missing_ok=True)
    else:
        held.save(update_fields=["base"])
    return held


def only_what_was_read(*, data: bytes, filename: str, reading: Reading) -> tuple[bytes, list[str]]:
    """The copy of a file to keep (the sheets or rows it was read from), and the sheets left out."""
    return kept_copy(data, filename=filename, reading=reading), reading.sheets_left_out


def staged(*, owner: User, token: str, purpose: str) -> tuple[StagedUpload, bytes] | None:
    """
    This person's staged file and its bytes; None if it is not theirs, has expired,
    is gone, or is not what was checked.
    """
    found = StagedUpload.objects.filter(
        owner=owner, token=token, purpose=purpose, expires_at__gt=timezone.now()
    ).first()
    if found is None:
        return None
    try:
        data = found.path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != found.sha256:
        discard(found)  # not what was checked: never confirm it
        return None
    return found, data


def previewed(staged: StagedUpload, *, base: dict) -> None:
    """Remember what the preview now shown was computed against: a confirmation is judged by it."""
    staged.base = base
    staged.previewed_at = timezone.now()
    staged.save(update_fields=["base", "previewed_at"])


def discard(staged: StagedUpload) -> None:
    """Forget a staged file and delete it (after a confirmation, a cancel, or its expiry)."""
    staged.delete()
    staged.path.unlink(missing_ok=True)


def keep_problems(*, owner: User, purpose: str, filename: str, problems: list[Problem]) -> str:
    """Keep a refused file's problems for the download link; returns the token."""
    kept = ProblemList(
        token=_token(),
        owner=owner,
        purpose=purpose,
        filename=filename[:255],
        problems=[dataclasses.asdict(problem) for problem in problems],
        count=len(problems),
    )
    kept.full_clean()
    kept.save()
    ProblemList.objects.filter(
        pk__in=ProblemList.objects.filter(owner=owner)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[KEEP_PROBLEM_LISTS:]
    ).delete()
    return kept.token


def kept_problems(*, owner: User, token: str, purpose: str) -> ProblemList | None:
    """A refused file's kept problems, to show again; None if gone or not this person's."""
    return ProblemList.objects.filter(
        owner=owner, token=token, purpose=purpose, expires_at__gt=timezone.now()
    ).first()


def problems_of(kept: ProblemList) -> list[Problem]:
    return [Problem(**problem) for problem in kept.problems]


def problems_download(
    *, owner: User, token: str, purpose: str, again: str, stem: str
) -> HttpResponse:
    """
    The problems kept under `token` as a workbook named after the refused file.

    404 with `again` (what to do instead) once they are no longer kept, or if they
    are not this person's; `stem` names the download when the file's name gives none.
    """
    kept = kept_problems(owner=owner, token=token, purpose=purpose)
    if kept is None:
        raise Http404(f"Those problems are no longer kept: {again}")
    problems = problems_of(kept)
    stem = kept.filename.rsplit(".", 1)[0] or stem
    response = HttpResponse(
        problems_workbook(problems, title=f"Problems in {kept.filename}"), content_type=XLSX
    )
    response["Content-Disposition"] = content_disposition_header(True, f"problems-in-{stem}.xlsx")
    return response


def clean(*, dry_run: bool = False) -> list[str]:
    """
    Remove what uploads leave behind, and say what (`manage.py clean_uploads`).

    Expired staged uploads with their files and expired problem lists; staged files
    no row names; files of stored uploads whose transaction never committed (`.part`,
    left by a process killed between the write and the commit); and files under
    final names that no `UploadedFile` row names. A `.part` whose row did commit (the
    process died between the commit and the rename) is given its final name instead.
    Files younger than an hour are left alone: their request may still be running.

    And the copies kept of stored uploads older than `UPLOAD_RETENTION_DAYS`: the file
    goes, its row stays (name, both SHA-256s, who, when, `purged_at`) with the figures.
    """
    now, done = timezone.now(), []
    verb = "Would remove" if dry_run else "Removed"
    retained_from = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    for upload in UploadedFile.objects.filter(
        uploaded_at__lt=retained_from, purged_at__isnull=True
    ).order_by("uploaded_at", "pk"):
        done.append(
            f"{verb} {upload.original_name}, uploaded {upload.uploaded_at:%Y-%m-%d}: kept "
            f"{settings.UPLOAD_RETENTION_DAYS} days."
        )
        if not dry_run:
            upload.purge(at=now)
    for staged in StagedUpload.objects.filter(expires_at__lte=now).select_related("owner"):
        done.append(f"{verb} expired staged upload {staged.filename} ({staged.owner}).")
        if not dry_run:
            discard(staged)
    for kept in ProblemList.objects.filter(expires_at__lte=now).select_related("owner"):
        done.append(f"{verb} expired problem list of {kept.filename} ({kept.owner}).")
        if not dry_run:
            kept.delete()
    cutoff = time.time() - IN_FLIGHT_SECONDS
    pending = Path(settings.UPLOAD_PENDING_ROOT)
    staged_names = set(StagedUpload.objects.values_list("stored_name", flat=True))
    for path in _files(pending):
        if path.name not in staged_names and _older(path, cutoff):
            done.append(f"{verb} staged file no upload names: {path}.")
            if not dry_run:
                path.unlink(missing_ok=True)
    stored_names = set(UploadedFile.objects.values_list("stored_name", flat=True))
    for path in _files(Path(settings.UPLOAD_ROOT)):
        if not STORED_NAME.fullmatch(path.name) or path.parent == pending:
            continue
        final = path.name.removesuffix(PART)
        if path.name.endswith(PART):
            if not _older(path, cutoff):
                continue
            if final in stored_names and not path.with_name(final).exists():
                done.append(f"{'Would finish' if dry_run else 'Finished'} committed file {final}.")
                if not dry_run:
                    path.replace(path.with_name(final))
                continue
            done.append(f"{verb} file of an upload that never committed: {path}.")
        elif final not in stored_names:
            done.append(f"{verb} file no stored upload names: {path}.")
        else:
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
    return done


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_file()) if root.is_dir() else []


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except OSError:
        return False  # gone already: another clean, or its request finished
