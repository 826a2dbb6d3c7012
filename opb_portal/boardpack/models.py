"""
OPB meetings and the board packs issued for them.

An issued pack is frozen: its PDF is kept outside the web root under a
generated name with its SHA-256, with the return versions whose figures it
shows. A correction makes a new numbered issue; earlier issues stay as they were.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import models

from opb_portal.core.fields import PeriodField


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


class PackIssue(models.Model):
    """A numbered, frozen issue of a meeting's board pack."""

    # Nothing about an issue changes once written: these are compared on every save.
    FROZEN = (
        "meeting_id",
        "number",
        "period",
        "stored_name",
        "sha256",
        "size",
        "pages",
        "issued_by_id",
        "issued_at",
    )

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField()
    period = PeriodField(help_text="The reporting month, as it was when issued.")
    stored_name = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the service, not by the database clock: the same instant is written
    # into the PDF's metadata and its cover.
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="pack_issue_numbers_unique")
        ]

    def __str__(self):
        return f"Issue {self.number} of the pack for the {self.meeting}"

    def save(self, *args, **kwargs):
        # A saved issue is evidence of what the board was sent: refuse any change to it.
        if self.pk is not None:
            stored = PackIssue.objects.filter(pk=self.pk).values(*self.FROZEN).first()
            if stored is not None:
                changed = [name for name in self.FROZEN if stored[name] != getattr(self, name)]
                if changed:
                    raise ValueError(
                        f"An issued pack is frozen; refused a change to {', '.join(changed)}. "
                        "Issue the pack again instead."
                    )
        super().save(*args, **kwargs)

    @property
    def path(self) -> Path:
        return Path(settings.PACK_ROOT) / self.stored_name

    @property
    def filename(self) -> str:
        return f"opb-board-pack-{self.period.iso}-issue-{self.number}.pdf"

    def read(self) -> bytes:
        """The stored PDF, refused if it no longer matches the hash recorded at issue."""
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PackTampered(f"The stored file of {self} does not match its SHA-256.")
        return data


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
