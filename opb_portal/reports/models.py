"""
Reports to Scrutiny and Cabinet, drafted from the portal's figures in the council's layout.

A `Layout` is the council's report layout as data, which the administrator adjusts: its
heading, the front matter ("Subject:", "Director:") and numbered sections whose body text
names facts in braces (`{finance.contract_sum}`, see `facts`). A `Report` is made from a
layout for a date: its sections are copied from the layout when it is made (so a later
edit of the layout changes only reports made after it), and each section's text is kept in
versions (`ReportText`), only ever added. The figures are read at the report's date every
time it is shown, until the report is made final: then its PDF is frozen with its SHA-256
(`FinalReport`) and nothing edits it. `ReportDue` is the forward plan: what report is due
when, and who writes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.boardpack.models import StoredPdf


class Kind(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny Board performance update"
    BUDGET_SCRUTINY = "budget_scrutiny", "Budget Scrutiny summary"
    CABINET = "cabinet", "Report to Cabinet"
    ANNUAL_REVIEW = "annual_review", "Annual review"


class Layout(models.Model):
    """A report layout the administrator keeps: what a new report of its kind starts from."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200, unique=True)
    heading = models.CharField(
        max_length=300, help_text="Report to Children's Services and Education Scrutiny Board"
    )
    front_matter = models.TextField(
        blank=True,
        help_text="One 'Label: text' a line, as the report's first table (Subject, Director).",
    )
    in_use = models.BooleanField(
        default=True, help_text="Offered for new reports; a layout is never deleted once used."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class LayoutSection(models.Model):
    """A numbered section of a layout: its heading and the body text it starts from."""

    layout = models.ForeignKey(Layout, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200, help_text="1 Recommendations")
    body = models.TextField(
        blank=True,
        help_text="Paragraphs separated by a blank line; '- ' starts a bullet; {key} a figure.",
    )

    class Meta:
        ordering = ["layout", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["layout", "position"], name="one_layout_section_a_position"
            )
        ]

    def __str__(self):
        return f"{self.layout}: {self.heading}"


class Report(models.Model):
    """One report, made from a layout for a date, its figures read as they stood that day."""

    layout = models.ForeignKey(Layout, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=300)
    front_matter = models.TextField(blank=True)
    meeting_date = models.DateField(help_text="The date of the meeting it goes to.")
    figures_at = models.DateField(help_text="The figures are those the portal held on this day.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-meeting_date", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.meeting_date:%d %B %Y})"

    def clean(self):
        if self.figures_at and self.meeting_date and self.figures_at > self.meeting_date:
            raise ValidationError(
                {"figures_at": "The figures are read on or before the meeting's date."}
            )


class ReportText(models.Model):
    """One version of one section of a report. Versions are only added; the latest is the text."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="texts")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position", "number"], name="one_report_text_version_a_number"
            )
        ]

    def __str__(self):
        return f"{self.report}, section {self.position}, version {self.number}"


class FinalReport(StoredPdf):
    """A report made final: its PDF frozen with its SHA-256; after this nothing edits it."""

    FROZEN = ("report_id", *StoredPdf.FROZEN, "made_final_by_id", "made_final_at")
    noun = "report"
    made = "made final"

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="final")
    made_final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_final_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_final_at"]

    def __str__(self):
        return f"The final {self.report}"

    @property
    def filename(self) -> str:
        # The name a final report's PDF is downloaded under (`stored_pdf_response`).
        return f"report-{self.report_id}-final.pdf"


class ReportDue(models.Model):
    """The forward plan: a report due on a day, written by a named author, reminded ahead."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    due = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last reminder written to the outbox, so a day's run never reminds twice.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "due"], name="one_report_of_a_kind_a_day")
        ]

    def __str__(self):
        return f"{self.title}, due {self.due:%d %B %Y}"
