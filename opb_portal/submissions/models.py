"""
The return workflow every domain shares.

A return is one organisation's figures for one domain and one month. Its
figures live in immutable, numbered versions; every change of state is an event
recording who, when and why. Nothing here knows what a KPI is: the domain's
return spec (see `registry`) does.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from opb_portal.core.fields import PeriodField

if TYPE_CHECKING:
    from opb_portal.accounts.models import User


class Return(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned with queries"
        APPROVED = "approved", "Approved"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="returns"
    )
    domain = models.CharField(max_length=30)
    period = PeriodField(help_text="First day of the reporting month.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "ReturnVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The version dashboards show. It stays in place while a correction goes
    # through review, so the board never sees figures nobody has approved.
    approved_version = models.ForeignKey(
        "ReturnVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain", "period"], name="one_return_per_domain_per_month"
            )
        ]

    def __str__(self):
        return f"{self.domain} return for {self.period.long}"

    @property
    def is_editable(self) -> bool:
        """A draft or a returned return can be changed; a submitted one is with the council."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


# The suffix of a stored file not yet committed: `clean_uploads` removes any left behind.
PART = ".part"


class UploadedFile(models.Model):
    """
    An uploaded workbook, kept outside the web root under a generated name.

    What is kept is only what the return was read from (`spreadsheets.kept`): `sha256`
    is that copy's, `original_sha256` the file's as it came, so the two can be matched
    with the sender's file. `manage.py clean_uploads` removes the copy after
    `UPLOAD_RETENTION_DAYS` (`purged_at`); the row, and the figures, stay.
    """

    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(max_length=64, blank=True)
    sheets_left_out = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.original_name

    @property
    def path(self) -> Path:
        return Path(settings.UPLOAD_ROOT) / self.stored_name

    @property
    def part_path(self) -> Path:
        """Where the bytes wait until the row that names them is committed."""
        return self.path.with_name(self.stored_name + PART)

    @classmethod
    def store(
        cls,
        *,
        data: bytes,
        name: str,
        user: User,
        original_sha256: str = "",
        sheets_left_out=(),
    ) -> UploadedFile:
        """
        Keep the bytes and their row; the file takes its final name only when the row commits.

        A process killed between the write and the commit (a kill -9, a worker timeout)
        used to leave a file under a final name that no row named. Now it leaves a
        `.part` file, which `manage.py clean_uploads` removes; a rolled-back caller
        removes it at once (`discard_file`). Outside a transaction the rename is immediate.
        """
        # The suffix says how it was read: a CSV of comparators as text, anything else a workbook.
        suffix = ".csv" if Path(name).suffix.lower() == ".csv" else ".xlsx"
        sha256 = hashlib.sha256(data).hexdigest()
        upload = cls(
            original_name=name[:255],
            stored_name=f"{uuid.uuid4().hex}{suffix}",
            sha256=sha256,
            original_sha256=original_sha256 or sha256,
            sheets_left_out=list(sheets_left_out),
            size=len(data),
            uploaded_by=user,
        )
        upload.full_clean()
        upload.part_path.parent.mkdir(parents=True, exist_ok=True)
        with upload.part_path.open("xb") as part:
            part.write(data)
            part.flush()
            os.fsync(part.fileno())
        upload.save()
        transaction.on_commit(upload.finish_file)
        return upload

    def finish_file(self) -> None:
        """Give the committed file its final name (same directory: the rename is atomic)."""
        os.replace(self.part_path, self.path)

    def discard_file(self) -> None:
        """Remove the file, whichever name it has: its row was rolled back."""
        self.part_path.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)

    def purge(self, *, at) -> None:
        """Remove the kept copy past its retention; the row stays, saying when it went."""
        self.path.unlink(missing_ok=True)
        self.purged_at = at
        self.save(update_fields=["purged_at"])


# A preview left open over a weekend is abandoned; `clean_uploads` removes it after a day.
STAGED_FOR = timedelta(days=1)


def _staged_until():
    return timezone.now() + STAGED_FOR


class KeptForItsOwner(models.Model):
    """
    Something kept for one person for a day, found by a token only together with them.

    Kept here rather than in the session: a session is read and written on every page,
    and what an upload leaves (a staged file's details, a list of problems) made every
    page slow. A guessed token, or someone else's, finds nothing.
    """

    token = models.CharField(max_length=43, unique=True)
    # What the upload is for: a return's domain, or "comparators".
    purpose = models.CharField(max_length=30)
    filename = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_staged_until, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class StagedUpload(KeptForItsOwner):
    """
    A checked file waiting for its author to confirm what the preview showed, or cancel.

    `base` is what the preview was computed against (for a return, the version of each
    month's return: "2025-04": 6, or None where there was none; for comparators, each
    figure's value and source), so that a confirmation made stale by someone else's
    save is refused instead of overwriting it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staged_uploads"
    )
    sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(max_length=64, blank=True)
    sheets_left_out = models.JSONField(default=list, blank=True)  # shown on the preview
    stored_name = models.CharField(max_length=64, unique=True)
    base = models.JSONField(default=dict, blank=True)
    previewed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.filename} staged by {self.owner}"

    @property
    def path(self) -> Path:
        return Path(settings.UPLOAD_PENDING_ROOT) / self.stored_name


class ProblemList(KeptForItsOwner):
    """The problems of a refused file, kept for the download link (the file itself is not)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_lists"
    )
    problems = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.count} problems in {self.filename}"


# The reason of the version that makes the explanations given at submission the lines'
# commentary (`services.return_submit`).
EXPLAINED_AT_SUBMISSION = "Explanations given at submission"


class ReturnVersion(models.Model):
    """One saved state of a return's figures. Never updated once written."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # {line code: {field: text}}; numbers are kept as text so that nothing
    # (JSON floats included) can change a figure's digits.
    data = models.JSONField()
    source = models.CharField(max_length=255, help_text="'form' or the uploaded file's name.")
    upload = models.ForeignKey(UploadedFile, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why this version was made (required after approval)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ret", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "number"], name="version_numbers_are_unique")
        ]

    def __str__(self):
        return f"version {self.number} of the {self.ret}"

    def save(self, *args, **kwargs):
        # Versions are the audit trail: a figure once saved is never rewritten.
        if self.pk is not None:
            raise ValueError("A return version is immutable; save a new version instead.")
        super().save(*args, **kwargs)


class ReturnEvent(models.Model):
    """The history of a return: every save and change of state, with who, when and why."""

    class Action(models.TextChoices):
        SAVED = "saved", "Saved a draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned with queries"
        APPROVED = "approved", "Approved"
        CORRECTED = "corrected", "Started a correction"
        WITHDRAWN = "withdrawn", "Withdrew to edit"

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="events")
    version = models.ForeignKey(ReturnVersion, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Return.Status.choices)
    to_status = models.CharField(max_length=20, choices=Return.Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["ret", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A query or an answer on a return, about one line or the whole return."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(ReturnVersion, on_delete=models.PROTECT, null=True, blank=True)
    line = models.CharField(
        max_length=50, blank=True, help_text="The line's code; empty for the whole return."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["ret", "line", "at", "pk"]

    def __str__(self):
        return f"{self.author} on {self.line or 'the return'}: {self.text[:40]}"


class LockedPeriod(models.Model):
    """A month closed after the OPB met: it accepts no saves, submissions or approvals."""

    period = PeriodField(unique=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    locked_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    def __str__(self):
        return f"{self.period.long} locked"


class PeriodLockEvent(models.Model):
    """Every lock and unlock of a month, kept after the lock itself is lifted."""

    class Action(models.TextChoices):
        LOCKED = "locked", "Locked"
        UNLOCKED = "unlocked", "Unlocked"

    period = PeriodField()
    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    # A lock may say why; an unlock must (see `clean`).
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["period", "at", "pk"]

    def __str__(self):
        return f"{self.period.long} {self.action} by {self.user}"

    def clean(self):
        if self.action == self.Action.UNLOCKED and not self.reason.strip():
            raise ValidationError({"reason": "Say why the month is unlocked."})
