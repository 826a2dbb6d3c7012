"""
OPB meetings and the board packs issued for them.

An issued pack is frozen: its PDF is kept outside the web root under a
generated name with its SHA-256, with the return versions whose figures it
shows. A correction makes a new numbered issue; earlier issues stay as they were.

The annual review of a year keeps each edit of its narrative sections as a version, and
is frozen once, kept the same way as an issued pack (`StoredPdf`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.db import models

from opb_portal.core.fields import PeriodField
from opb_portal.periods import FinancialYear


class Meeting(models.Model):
    """
    One meeting of a partnership board and the month it considers.

    The contract sets two boards (Schedule 19): the Operational Partnership Board meets
    monthly, chaired by the Trust's Chief Executive; the Strategic Partnership Board meets
    quarterly, chaired by the council's Chief Executive. Each has its own packs. The two
    never meet on one day, so a date names a meeting (and its pages, `/meetings/<date>/`).
    """

    class Board(models.TextChoices):
        OPB = "opb", "Operational Partnership Board"
        SPB = "spb", "Strategic Partnership Board"

    board = models.CharField(max_length=3, choices=Board.choices, default=Board.OPB)
    date = models.DateField(unique=True)
    period = PeriodField(help_text="First day of the reporting month the meeting considers.")
    # The chair issues the meeting's packs (an administrator may too).
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="opb_meetings", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="meeting_period_is_first_of_month"
            )
        ]

    def __str__(self):
        return f"{self.board_short} meeting of {self.date.day} {self.date:%B %Y}"

    @property
    def board_short(self) -> str:
        """OPB or SPB, as the board's papers call it."""
        return self.board.upper()

    def is_chaired_by(self, user) -> bool:
        return user.is_authenticated and self.chair_id == user.pk


class StoredPdf(models.Model):
    """
    A PDF frozen when it was made: kept outside the web root under a generated name with its
    SHA-256, served as stored and refused if the file no longer matches. An issued pack and a
    frozen annual review are both kept this way.
    """

    # Nothing about a frozen document changes once written: these are compared on every save.
    FROZEN: tuple[str, ...] = ("stored_name", "sha256", "size", "pages")
    # How a message names the document and what made it: "the stored pack ... was issued".
    noun = "document"
    made = "frozen"

    stored_name = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A saved document is evidence of what the board was sent: refuse any change to it.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN).first()
            if stored is not None:
                changed = [name for name in self.FROZEN if stored[name] != getattr(self, name)]
                if changed:
                    raise ValueError(f"{self} is frozen; refused a change to {', '.join(changed)}.")
        super().save(*args, **kwargs)

    @property
    def path(self) -> Path:
        return Path(settings.PACK_ROOT) / self.stored_name

    def write(self, data: bytes) -> None:
        """Write once under the new name, readable but not writable: a frozen file never changes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "xb") as handle:
            handle.write(data)
        os.chmod(self.path, 0o440)

    def stored_files(self) -> list[tuple[str, str]]:
        """
        Each file kept for this document under the pack root, as (stored name, SHA-256): what
        a restore from backup must bring back unchanged (`manage.py restore_drill`).
        """
        return [(self.stored_name, self.sha256)]

    def read(self) -> bytes:
        """The stored PDF, refused if it no longer matches the hash recorded when it was made."""
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PackTampered(f"The stored file of {self} does not match its SHA-256.")
        return data


class PackIssue(StoredPdf):
    """A numbered, frozen issue of a meeting's board pack."""

    FROZEN = (
        "meeting_id",
        "number",
        "period",
        *StoredPdf.FROZEN,
        "issued_by_id",
        "issued_at",
    )

    noun, made = "pack", "issued"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField()
    period = PeriodField(help_text="The reporting month, as it was when issued.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the service, not by the database clock: the same instant is written
    # into the PDF's metadata and its cover.
    issued_at = models.DateTimeField()
    # The background job that issued it (None for an issue made before jobs, or from the
    # command line). Unique: a job run again after its worker was killed finds this row and
    # returns it, so one job never makes two issues (opb_portal.jobs.registry.JobKind).
    job = models.OneToOneField(
        "jobs.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pack_issue",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="pack_issue_numbers_unique")
        ]

    def __str__(self):
        return f"Issue {self.number} of the pack for the {self.meeting}"

    @property
    def filename(self) -> str:
        return f"opb-board-pack-{self.period.iso}-issue-{self.number}.pdf"


class PackTampered(Exception):
    """The file on disk is not the one that was issued."""


class PackSource(models.Model):
    """A return version whose figures an issued pack shows."""

    issue = models.ForeignKey(PackIssue, on_delete=models.PROTECT, related_name="sources")
    version = models.ForeignKey(
        "submissions.ReturnVersion", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["issue", "version"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "version"], name="one_source_row_per_version")
        ]

    def __str__(self):
        return f"{self.version} in {self.issue}"


# --- the annual review --------------------------------------------------------------------


class AnnualReviewYear(models.Model):
    """
    The annual review of one financial year: the row its edits and its freeze lock, so an
    edit saved while the review is being frozen either lands before the freeze or is refused.
    """

    start_year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["-start_year"]

    def __str__(self):
        return f"Annual review {self.year}"

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.start_year)


class AnnualReviewText(models.Model):
    """
    One version of a narrative section of the annual review, as a person wrote it.

    Versions are only added: the latest is the text, the earlier ones its history. `draft`
    is the section's draft from the data when the version was written, so the page can say
    when the data's draft has changed since.
    """

    review = models.ForeignKey(AnnualReviewYear, on_delete=models.PROTECT, related_name="texts")
    section = models.CharField(max_length=60, help_text="The key of the section.")
    number = models.PositiveIntegerField()
    text = models.TextField()
    draft = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    # Written by the freeze for a section nobody edited: the data's draft, kept as it was.
    at_freeze = models.BooleanField(default=False)

    class Meta:
        ordering = ["review", "section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "section", "number"], name="one_annual_text_version_a_number"
            )
        ]

    def __str__(self):
        return f"{self.review}, {self.section}, version {self.number}"


class AnnualReviewDraft(StoredPdf):
    """
    Draft N of the whole annual review as circulated: its PDF kept as an issued pack is (the
    file, its SHA-256) and its Word document beside it (the file and its SHA-256), who
    circulated it and when. The Trust and the council sign off a draft, not the page.
    """

    FROZEN = (
        "review_id",
        "number",
        *StoredPdf.FROZEN,
        "docx_name",
        "docx_sha256",
        "docx_size",
        "circulated_by_id",
        "circulated_at",
    )
    noun, made = "annual review draft", "circulated"

    review = models.ForeignKey(AnnualReviewYear, on_delete=models.PROTECT, related_name="drafts")
    number = models.PositiveIntegerField()
    docx_name = models.CharField(max_length=64, unique=True)
    docx_sha256 = models.CharField(max_length=64)
    docx_size = models.PositiveIntegerField()
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the service: the same instant is written on the cover and into the PDF.
    circulated_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="one_annual_review_draft_a_number"
            )
        ]

    def __str__(self):
        return f"Draft {self.number} of the {self.review}"

    @property
    def year(self) -> FinancialYear:
        return self.review.year

    @property
    def filename(self) -> str:
        return f"annual-review-{self.year.label}-draft-{self.number}.pdf"

    @property
    def docx_filename(self) -> str:
        return f"annual-review-{self.year.label}-draft-{self.number}.docx"

    @property
    def docx_path(self) -> Path:
        return Path(settings.PACK_ROOT) / self.docx_name

    def write_docx(self, data: bytes) -> None:
        """Write the Word document once, readable but not writable, as the PDF is."""
        self.docx_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.docx_path, "xb") as handle:
            handle.write(data)
        os.chmod(self.docx_path, 0o440)

    def stored_files(self) -> list[tuple[str, str]]:
        # The Word document circulated with the PDF is kept beside it, with its own hash.
        return [*super().stored_files(), (self.docx_name, self.docx_sha256)]

    def read_docx(self) -> bytes:
        """The stored Word document, refused if it no longer matches its SHA-256."""
        data = self.docx_path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.docx_sha256:
            raise PackTampered(f"The stored Word document of {self} does not match its SHA-256.")
        return data


class AnnualReviewSignOff(models.Model):
    """
    A board member's sign-off of one circulated draft for their organisation (the Trust or
    the council): one per draft and organisation. When both have signed the same draft, the
    review is frozen with that draft.
    """

    draft = models.ForeignKey(AnnualReviewDraft, on_delete=models.PROTECT, related_name="sign_offs")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "organisation"], name="one_sign_off_a_draft_and_organisation"
            )
        ]

    def __str__(self):
        return f"{self.draft} signed off for {self.organisation} by {self.signed_by}"


class FrozenAnnualReview(StoredPdf):
    """
    The year's annual review, frozen when the Trust and the council signed off the same
    draft: the frozen document is that draft's PDF (the same file and SHA-256), and after
    this nothing edits the year. `frozen_by` is whoever signed last. A review frozen before
    sign-offs existed (by an administrator) has no `draft`.
    """

    FROZEN = ("review_id", "draft_id", *StoredPdf.FROZEN, "frozen_by_id", "frozen_at")
    noun = "annual review"

    review = models.OneToOneField(AnnualReviewYear, on_delete=models.PROTECT, related_name="frozen")
    draft = models.OneToOneField(
        AnnualReviewDraft, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the service: the same instant is written into the PDF's metadata and its cover.
    frozen_at = models.DateTimeField()

    class Meta:
        ordering = ["-review__start_year"]

    def __str__(self):
        return f"The frozen {self.review}"

    @property
    def year(self) -> FinancialYear:
        return self.review.year

    @property
    def filename(self) -> str:
        return f"annual-review-{self.year.label}.pdf"
