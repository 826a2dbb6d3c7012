"""
Uploads between the check and the confirmation, and the problems of refused ones.

A workbook without errors waits under `UPLOAD_PENDING_ROOT` while its author
reads the preview; nothing about it is in the database until they confirm. The
session remembers which staged files are this person's (a token is only ever
looked up in its owner's session, so guessing one gets nothing) and the file's
SHA-256, so the bytes confirmed are the bytes previewed.

A workbook with errors is not kept at all: only its problems are, in the
session, so that they can be downloaded as a spreadsheet.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from opb_portal.exports import XLSX
from opb_portal.spreadsheets import Problem, problems_workbook

PENDING = "pending_uploads"
PROBLEMS = "upload_problems"
# A preview left open over a weekend is abandoned; its file is swept on a later upload.
MAX_AGE_SECONDS = 24 * 60 * 60
# Problem lists can be long: keep only the last few a person downloaded or might.
KEEP_PROBLEM_LISTS = 5


@dataclass(frozen=True)
class StagedUpload:
    token: str
    domain: str
    filename: str
    data: bytes


def _path(token: str) -> Path:
    return Path(settings.UPLOAD_PENDING_ROOT) / f"{token}.xlsx"


def _sweep() -> None:
    """Delete staged files older than a day: previews nobody confirmed or cancelled."""
    root = Path(settings.UPLOAD_PENDING_ROOT)
    if not root.is_dir():
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in root.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # another request swept it first


def stage(session, *, domain: str, filename: str, data: bytes) -> str:
    """Keep a checked workbook until its author confirms or cancels; returns its token."""
    _sweep()
    token = secrets.token_urlsafe(16)
    path = _path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    pending = session.get(PENDING, {})
    pending[token] = {
        "domain": domain,
        "filename": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    session[PENDING] = pending
    return token


def staged(session, *, token: str, domain: str) -> StagedUpload | None:
    """This person's staged upload; None if it is not theirs, gone, or not what they previewed."""
    entry = session.get(PENDING, {}).get(token)
    if entry is None or entry["domain"] != domain:
        return None
    try:
        data = _path(token).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        discard(session, token)  # not what was checked: never confirm it
        return None
    return StagedUpload(token=token, domain=domain, filename=entry["filename"], data=data)


def discard(session, token: str) -> None:
    """Forget a staged upload and delete its file (after a confirmation or a cancel)."""
    pending = session.get(PENDING, {})
    if pending.pop(token, None) is not None:
        session[PENDING] = pending
        _path(token).unlink(missing_ok=True)


def keep_problems(session, *, domain: str, filename: str, problems: list[Problem]) -> str:
    """Remember a refused file's problems for the download link; returns the token."""
    token = secrets.token_urlsafe(16)
    kept = session.get(PROBLEMS, {})
    kept[token] = {
        "domain": domain,
        "filename": filename,
        "problems": [dataclasses.asdict(problem) for problem in problems],
    }
    # Dicts keep insertion order: the oldest lists go first.
    session[PROBLEMS] = dict(list(kept.items())[-KEEP_PROBLEM_LISTS:])
    return token


def kept_problems(session, *, token: str, domain: str) -> tuple[str, list[Problem]] | None:
    """The file name and problems kept under `token`, or None."""
    entry = session.get(PROBLEMS, {}).get(token)
    if entry is None or entry["domain"] != domain:
        return None
    return entry["filename"], [Problem(**problem) for problem in entry["problems"]]


def problems_download(session, *, token: str, domain: str, again: str, stem: str) -> HttpResponse:
    """
    The problems kept under `token` as a workbook named after the refused file.

    404 with `again` (what to do instead) once they are no longer kept; `stem`
    names the download when the refused file's name gives none.
    """
    kept = kept_problems(session, token=token, domain=domain)
    if kept is None:
        raise Http404(f"Those problems are no longer kept: {again}")
    filename, problems = kept
    stem = filename.rsplit(".", 1)[0] or stem
    response = HttpResponse(
        problems_workbook(problems, title=f"Problems in {filename}"), content_type=XLSX
    )
    response["Content-Disposition"] = content_disposition_header(True, f"problems-in-{stem}.xlsx")
    return response
