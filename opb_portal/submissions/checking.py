"""
The check step of the one upload flow (`uploads`), as a background job.

Every import (a return's workbook, a comparator file, a published statistics file,
Ofsted's management information) goes check -> problems or preview -> confirm. Reading
and checking a large file can take a while, so the upload page holds the file (staged,
with no `base` yet), asks for a job and sends the person to it; the job reads and checks
the held file, with progress, and ends on the flow's existing pages: its problems (the
file is then let go, only its problems are kept) or its preview (the file waits, under
the same token, with what the preview is computed against). Nothing is written to the
figures until the person confirms on the preview, as before jobs.

Each flow registers an `UploadCheck` (`register`) from its app's `ready()`; a domain
(inspections) does the same without the machinery naming it. Without a broker
(`make demo`, the tests) the check runs inside the upload's request, which then
redirects straight to the problems or the preview page: the same clicks as before.

The same file sent twice by one person for one purpose is one job (its fingerprint is
the file's SHA-256, the purpose, the person and the flow's own parameters): while the
first is checked, and afterwards while its preview still waits. Once that preview was
confirmed or cancelled, or the file was refused, the next upload is checked again: what
it is checked against (locked months, stored figures) may have moved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.models import Organisation
from opb_portal.accounts.permissions import Action, acts_for
from opb_portal.jobs import registry as jobs
from opb_portal.jobs import services as job_services
from opb_portal.jobs.models import Job
from opb_portal.spreadsheets import Problem, Reading

from . import pipeline, registry, services, uploads
from .models import StagedUpload


@dataclass
class Verdict:
    """What a flow's check found: its problems (any error refuses the file), and otherwise
    what the preview is computed against (`base`) and, for a return, what was read."""

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    base: dict = field(default_factory=dict)
    reading: Reading | None = None


# (params, data, filename, owner, progress) -> Verdict
Check = Callable[..., Verdict]


@dataclass(frozen=True)
class UploadCheck:
    """
    One flow's check step: the job kind's `name`, who may watch it (`view_action`, the
    permission of the flow's pages), the check itself, and the flow's pages to end on:
    `preview(params, token)` and `problems(params, token)` give their URLs.
    """

    name: str
    what: str  # "the comparator file": the job's title says "Checking <filename> (<what>)"
    view_action: Action
    check: Check
    preview: Callable[[dict, str], str]
    problems: Callable[[dict, str], str]


def _fingerprint(params: dict) -> str:
    # The held file's token is not an input: two uploads of one file are one check.
    inputs = {key: value for key, value in params.items() if key != "token"}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _run(flow: UploadCheck) -> Callable:
    def run(job: Job, progress: jobs.Progress) -> jobs.Outcome:
        params = job.params
        owner = job.requested_by
        found = (
            uploads.staged(owner=owner, token=params["token"], purpose=params["purpose"])
            if owner is not None
            else None
        )
        if found is None:
            raise jobs.JobRefused(
                f"{params['filename']} is no longer kept (it expired, or was replaced by a "
                "later upload): upload it again."
            )
        held, data = found
        progress(0, 1, f"Reading {held.filename}")
        verdict = flow.check(
            params=params, data=data, filename=held.filename, owner=owner, progress=progress
        )
        if not verdict.ok:
            uploads.discard(held)  # a refused file is not kept: only its problems are
            token = uploads.keep_problems(
                owner=owner,
                purpose=params["purpose"],
                filename=held.filename,
                problems=verdict.problems,
            )
            errors = sum(1 for problem in verdict.problems if problem.is_error)
            return jobs.Outcome(
                url=flow.problems(params, token),
                message=f"{held.filename} was refused: {errors:,} "
                f"problem{'' if errors == 1 else 's'} to put right. Nothing was stored.",
            )
        uploads.checked(held, data=data, base=verdict.base, reading=verdict.reading)
        return jobs.Outcome(
            url=flow.preview(params, held.token),
            message=f"{held.filename} is checked: see what it would change before you confirm.",
        )

    return run


def _still_waiting(job: Job) -> bool:
    """A done check stands while the preview it led to still waits (not confirmed, cancelled
    or expired); after a refusal its file is gone, and a new upload is checked again."""
    return StagedUpload.objects.filter(
        token=job.params.get("token", ""),
        owner_id=job.params.get("owner"),
        expires_at__gt=timezone.now(),
    ).exists()


def register(flow: UploadCheck) -> None:
    jobs.register(
        jobs.JobKind(
            name=flow.name,
            title=lambda params: f"Checking {params.get('filename', 'the file')} ({flow.what})",
            run=_run(flow),
            fingerprint=_fingerprint,
            view_action=flow.view_action,
            still_stands=_still_waiting,
        )
    )


def check_request(
    *,
    flow: UploadCheck,
    owner,
    purpose: str,
    filename: str,
    data: bytes,
    params: dict | None = None,
) -> Job:
    """
    Hold the uploaded file and ask for its check: the job already checking (or checked) the
    same file for this person, or a new one. Without a broker it is done when this returns.
    """
    held = uploads.stage(owner=owner, purpose=purpose, filename=filename, data=data, base={})
    job = job_services.job_request(
        kind=flow.name,
        params={
            **(params or {}),
            "purpose": purpose,
            "filename": held.filename,
            "sha256": held.original_sha256,
            "owner": owner.pk,
            "token": held.token,
        },
        user=owner,
    )
    if job.params["token"] != held.token:
        uploads.discard(held)  # the same file is being (or was) checked already
    return job_services.job_run_in_process(job)


def go_to(job: Job):
    """Where the upload page sends the person: the check's result once done, else its page."""
    if job.state == Job.State.DONE and job.result_url:
        return redirect(job.result_url)
    return redirect(reverse("jobs:job", args=[job.pk]))


# --- a return's workbook ---------------------------------------------------------------


def _check_return(*, params: dict, data: bytes, filename: str, owner, progress) -> Verdict:
    spec = registry.get(params["purpose"])
    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    if not acts_for(owner, trust):
        raise jobs.JobRefused("Returns are sent by the Trust's own people.")
    checked = pipeline.check_upload(
        spec=spec, organisation=trust, data=data, filename=filename, progress=progress
    )
    if checked.errors:
        return Verdict(ok=False, problems=checked.problems)
    base = services.upload_base(organisation=trust, domain=spec.domain, periods=checked.months)
    return Verdict(ok=True, problems=checked.problems, base=base, reading=checked.reading)


RETURNS = UploadCheck(
    name="returns.check_upload",
    what="a return",
    view_action=Action.SUBMIT_RETURN,
    check=_check_return,
    preview=lambda params, token: reverse(
        "submissions:upload_preview", args=[params["purpose"], token]
    ),
    problems=lambda params, token: reverse(
        "submissions:upload_refused", args=[params["purpose"], token]
    ),
)
