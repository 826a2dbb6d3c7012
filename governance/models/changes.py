"""
The change control log: each change to the agreement between the council and the Trust.

A change is recorded (proposed, or already agreed), agreed by a board on a date, and in
force from a month. Nothing is deleted or rewritten: a change that was wrong is superseded
by its correction, one that will not happen is withdrawn, each with who, when and why, and
every step is a `ChangeEvent`.

A change to a KPI's thresholds names the KPI (`subject`, `opb_portal.core.subjects`) and is
in force from the month its new rule starts: that pair is the rule's natural key, which the
KPI domain resolves (`opb_portal.core.rule_versions`), so the log never imports the KPIs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.core import subjects
from opb_portal.core.fields import PeriodField


class Board(models.TextChoices):
    """Who agrees a change: the contract's two boards, or the parties outside a meeting."""

    OPB = "opb", "Operational Partnership Board (OPB)"
    SPB = "spb", "Strategic Partnership Board (SPB)"
    PARTIES = "parties", "The parties, outside a board meeting"


class Change(models.Model):
    """One change to the agreement, as the annual review's section (h) lists it."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", "Service Delivery Contract"
        KPI = "kpi", "Performance indicators (KPIs)"
        SPECIFICATION = "specification", "Services specification"
        FINANCIAL = "financial", "Financial mechanism"
        SSA = "ssa", "Support services agreement"
        OTHER = "other", "Other significant change"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # What the change is, in the words the annual review uses for it.
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(
        max_length=120,
        blank=True,
        validators=[subjects.validate],
        help_text="What the change is about, where it is one thing: a KPI, a finance line.",
    )
    in_force_from = PeriodField(help_text="The first month the change applies to.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    agreed_by = models.CharField(max_length=20, choices=Board.choices, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # Set once, when the change is superseded or withdrawn; never cleared.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )

    class Meta:
        ordering = ["-in_force_from", "-agreed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(in_force_from__day=1), name="change_in_force_first_of_month"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="agreed")
                | (models.Q(agreed_on__isnull=False) & ~models.Q(agreed_by="")),
                name="agreed_change_names_board_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} (from {self.in_force_from.long})"

    @property
    def is_open(self) -> bool:
        """Proposed or agreed: neither superseded nor withdrawn."""
        return self.status in (self.Status.PROPOSED, self.Status.AGREED)

    @property
    def creates_rule(self) -> bool:
        """A change to a KPI's thresholds creates the KPI's rule from its month in force."""
        return self.kind == self.Kind.KPI and bool(self.subject)

    def clean(self):
        problems = {}
        if self.status == self.Status.AGREED or self.agreed_on or self.agreed_by:
            if not self.agreed_by:
                problems["agreed_by"] = "Say which board agreed the change."
            if not self.agreed_on:
                problems["agreed_on"] = "Say when the change was agreed."
        if self.status == self.Status.PROPOSED and (self.agreed_on or self.agreed_by):
            problems["status"] = "A change with a board and a date is agreed, not proposed."
        if self.status in (self.Status.SUPERSEDED, self.Status.WITHDRAWN) and not (
            self.closed_by_id and self.closed_at and self.close_reason.strip()
        ):
            problems["close_reason"] = "Say who closed the change, when and why."
        if problems:
            raise ValidationError(problems)


class ChangeEvent(models.Model):
    """One step in a change's history: recorded, agreed, superseded, withdrawn."""

    class Action(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    change = models.ForeignKey(Change, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.change} by {self.user}"
