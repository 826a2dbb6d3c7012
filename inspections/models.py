"""
Ofsted's inspections and visits of local authorities' children's services, as published.

One row an inspection or visit of one authority, known by its authority, its kind and its
first day: a later release of Ofsted's management information that says something else of
the same event changes the row, and the change is kept (`InspectionChange`), with the
import that made it (`InspectionImport`): nothing is overwritten silently.

Judgements are Ofsted's four grades, or none: visits (focused, monitoring) are not graded,
and a judgement the framework of the day did not make (care leavers on their own before
2023) is left blank.

Ofsted's file carries the local authority's inspections only. The adoption and fostering
agencies' inspections, and the LGA's peer reviews (not Ofsted's), are recorded by hand
(`recorded_by`, `recorded_at`); an import never touches them, as it matches rows by kind.
Each inspection's recommendations (`Recommendation`) are recorded by hand, on imported and
hand-recorded inspections alike, and every change made by hand is kept (`HandChange`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from opb_portal.comparators.models import Authority


class Grade(models.TextChoices):
    """Ofsted's four grades, worded as Ofsted words them; the value sorts best first."""

    OUTSTANDING = "1", "Outstanding"
    GOOD = "2", "Good"
    REQUIRES_IMPROVEMENT = "3", "Requires improvement to be good"
    INADEQUATE = "4", "Inadequate"

    @property
    def titled(self) -> str:
        """The grade as the council's reports title it: "Requires Improvement to be Good"."""
        return TITLED[self.value]


TITLED = {
    "1": "Outstanding",
    "2": "Good",
    "3": "Requires Improvement to be Good",
    "4": "Inadequate",
}


class Kind(models.TextChoices):
    ILACS_FULL = "ilacs_full", "ILACS full inspection"
    ILACS_SHORT = "ilacs_short", "ILACS short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection"
    # The single inspection framework, 2013 to 2017, before ILACS.
    SIF = "sif", "SIF inspection"
    # Recorded by hand: Ofsted's file for local authorities does not carry them.
    ADOPTION_AGENCY = "adoption_agency", "Adoption agency inspection"
    FOSTERING_AGENCY = "fostering_agency", "Fostering agency inspection"
    # The Local Government Association's, not Ofsted's: no judgement.
    LGA_PEER_REVIEW = "lga_peer_review", "LGA peer review"

    @classmethod
    def graded(cls) -> frozenset[str]:
        """The kinds that give judgements; visits and JTAIs give findings, not grades."""
        return frozenset(
            {cls.ILACS_FULL, cls.ILACS_SHORT, cls.SIF, cls.ADOPTION_AGENCY, cls.FOSTERING_AGENCY}
        )

    @classmethod
    def overall_only(cls) -> frozenset[str]:
        """The agencies' inspections: the portal keeps their overall judgement only."""
        return frozenset({cls.ADOPTION_AGENCY, cls.FOSTERING_AGENCY})

    @classmethod
    def by_hand(cls) -> frozenset[str]:
        """The kinds Ofsted's management information does not carry: recorded by hand only."""
        return frozenset({cls.ADOPTION_AGENCY, cls.FOSTERING_AGENCY, cls.LGA_PEER_REVIEW})


# The service each graded kind judges, as the council's "Current judgements" table names it
# (the authority's row reads "SIF" where its latest is a SIF inspection, before 2018's ILACS).
SERVICES = (
    ("ILACS", (Kind.ILACS_FULL, Kind.ILACS_SHORT, Kind.SIF)),
    ("Adoption", (Kind.ADOPTION_AGENCY,)),
    ("Fostering", (Kind.FOSTERING_AGENCY,)),
)


# The judgements, in the order Ofsted's reports give them: (field, heading as published).
JUDGEMENTS = (
    ("overall", "Overall effectiveness"),
    ("leaders", "The impact of leaders on social work practice with children and families"),
    (
        "help_and_protection",
        "The experiences and progress of children who need help and protection",
    ),
    ("in_care", "The experiences and progress of children in care (and care leavers)"),
    ("care_leavers", "The experiences and progress of care leavers"),
)
JUDGEMENT_FIELDS = tuple(name for name, _ in JUDGEMENTS)
# What a preview and an import's history call each published field.
FIELD_LABELS = {
    "end_date": "End date",
    "published_on": "Publication date",
    **dict(JUDGEMENTS),
    "report_url": "Report URL",
}


def shown_field(name: str, value: str) -> str:
    """A published field's stored text as a person reads it ("Good", "31 October 2024")."""
    if not value:
        return "none"
    if name in JUDGEMENT_FIELDS:
        return Grade(value).label
    if name in ("end_date", "published_on"):
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return value


def differences(before: dict | None, after: dict) -> list[tuple[str, str, str]]:
    """(what, old, new) of each published field that differs; every field given for an addition."""
    return [
        (
            FIELD_LABELS[name],
            shown_field(name, (before or {}).get(name, "")),
            shown_field(name, new),
        )
        for name, new in after.items()
        if before is None and new or before is not None and before.get(name, "") != new
    ]


def _grade_field(verbose_name: str, help_text: str = ""):
    return models.CharField(
        verbose_name,
        max_length=1,
        choices=Grade.choices,
        blank=True,
        help_text=help_text or "Blank: no judgement (a visit, or not judged then).",
    )


class InspectionImport(models.Model):
    """One import of Ofsted's management information: who, when, which file, what changed."""

    filename = models.CharField(max_length=255)
    upload = models.ForeignKey(
        "submissions.UploadedFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sha256 = models.CharField(max_length=64, blank=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # Authorities the file named by an ONS code the portal did not know, added with it.
    authorities_added = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.filename} by {self.user} ({self.added} added, {self.changed} changed)"


class Inspection(models.Model):
    """An inspection or visit of one authority's children's services, as Ofsted published it."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Where only the month is known (the demonstration's May 2022, from the seeds):
    # `start_date` is its first day and the dates read "May 2022".
    month_only = models.BooleanField(default=False)
    published_on = models.DateField("published", null=True, blank=True)
    overall = _grade_field("overall effectiveness")
    leaders = _grade_field("impact of leaders")
    help_and_protection = _grade_field("children who need help and protection")
    in_care = _grade_field(
        "children in care",
        "Children in care and care leavers, where the framework judged them together (to "
        "2023); children in care alone since.",
    )
    care_leavers = _grade_field(
        "care leavers", "Judged on their own from 2023; blank where judged with children in care."
    )
    report_url = models.URLField("report", max_length=300, blank=True)
    # The import that last set it; blank for one loaded by the code (the demonstration).
    source = models.ForeignKey(
        InspectionImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What a visit looked at, where known ("Front door"): the annual review names visits so.
    # Ofsted's file does not give it; the demonstration's come from the seeds.
    note = models.CharField("focus", max_length=200, blank=True)
    # Who recorded it by hand and when; blank for an imported one or the demonstration's.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    # A demonstration row the seeds do not give (its date or its very existence).
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "kind", "start_date"], name="one_inspection_per_start"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.authority} from {self.start_date}"

    def clean(self):
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The inspection ends before it starts."})
        if self.published_on and self.published_on < self.start_date:
            raise ValidationError(
                {"published_on": "The report is published before the inspection starts."}
            )
        if self.kind not in Kind.graded() and any(self.judgements_given()):
            raise ValidationError(f"A {self.get_kind_display().lower()} gives no judgement.")
        if self.kind in Kind.overall_only() and any(
            getattr(self, name) for name in JUDGEMENT_FIELDS[1:]
        ):
            raise ValidationError(
                f"A {self.get_kind_display().lower()} is kept with its overall judgement only: "
                "leave the local authority's other judgements blank."
            )

    @property
    def by_hand(self) -> bool:
        """Recorded by a person (or the demonstration), not set by an import of Ofsted's file."""
        return self.source_id is None

    @property
    def is_ofsted(self) -> bool:
        return self.kind != Kind.LGA_PEER_REVIEW

    @property
    def title(self) -> str:
        """ "Ofsted Focused visit – Front door", "LGA peer review – Children We Care For": the
        annual review's first column."""
        name = self.get_kind_display()
        if self.is_ofsted:
            name = f"Ofsted {name}"
        return f"{name} – {self.note}" if self.note else name

    @property
    def subject_prefix(self) -> str:
        """ "fostering_agency/2024-10-14": what its recommendations' references start with."""
        return f"{self.kind}/{self.start_date.isoformat()}"

    def judgements_given(self) -> list[tuple[str, str]]:
        """(heading, grade as Ofsted words it) of each judgement made, in the report's order."""
        return [
            (heading, Grade(getattr(self, name)).label)
            for name, heading in JUDGEMENTS
            if getattr(self, name)
        ]

    @property
    def key(self) -> str:
        """ "7|focused_visit|2024-10-30": what an import's row is matched with."""
        return f"{self.authority_id}|{self.kind}|{self.start_date.isoformat()}"

    @property
    def graded(self) -> bool:
        return self.kind in Kind.graded()

    @property
    def dates(self) -> str:
        """ "30 and 31 October 2024", "14 to 18 October 2024" or one day, as reviews write them."""
        start, end = self.start_date, self.end_date
        if self.month_only:
            return f"{start:%B %Y}"
        if end is None or end == start:
            return f"{start.day} {start:%B %Y}"
        if (start.year, start.month) == (end.year, end.month):
            joiner = "and" if (end - start).days == 1 else "to"
            return f"{start.day} {joiner} {end.day} {end:%B %Y}"
        if start.year == end.year:
            return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
        return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"

    def fields(self) -> dict[str, str]:
        """What an import compares and a change keeps: every published field, as text."""
        return {
            "end_date": self.end_date.isoformat() if self.end_date else "",
            "published_on": self.published_on.isoformat() if self.published_on else "",
            **{name: getattr(self, name) for name in JUDGEMENT_FIELDS},
            "report_url": self.report_url,
        }

    def hand_fields(self) -> dict[str, str]:
        """What a change made by hand keeps: every field a person may record, as text."""
        return {
            "kind": self.kind,
            "start_date": self.start_date.isoformat(),
            "month_only": "yes" if self.month_only else "",
            "note": self.note,
            **self.fields(),
        }


class InspectionChange(models.Model):
    """One inspection an import added or changed: its published fields before and after."""

    inspection_import = models.ForeignKey(
        InspectionImport, on_delete=models.PROTECT, related_name="changes"
    )
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="changes")
    # Blank for an inspection the import added.
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        ordering = ["inspection_import", "pk"]

    def __str__(self):
        return f"{self.inspection} in {self.inspection_import}"

    @property
    def added(self) -> bool:
        return self.before is None

    @property
    def differences(self) -> list[tuple[str, str, str]]:
        return differences(self.before, self.after)


class Recommendation(models.Model):
    """
    One recommendation (or area for improvement) of an inspection, visit or review, as its
    report words it, recorded by hand. The actions of the actions log about it are filed
    under its reference (`recommendation:fostering_agency/2024-10-14/1`), which its
    inspection's kind and first day and its number make: the number is never changed, and a
    recommendation is never deleted.
    """

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(
        help_text="Its place in the report's list: 1, 2, 3. Not changed once recorded."
    )
    text = models.TextField(help_text="As the report words it.")
    area = models.CharField(
        max_length=200, blank=True, help_text="The service or theme it concerns, if you wish."
    )
    # Wording the seeds do not give (a demonstration's own).
    illustrative = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="one_recommendation_a_number"
            )
        ]

    def __str__(self):
        return f"Recommendation {self.number} of {self.inspection}"

    def clean(self):
        if self.number == 0:
            raise ValidationError({"number": "Number the recommendations from 1."})

    @property
    def key(self) -> str:
        """ "fostering_agency/2024-10-14/1": stable, as the actions log keeps it."""
        return f"{self.inspection.subject_prefix}/{self.number}"

    @property
    def subject_ref(self) -> str:
        return f"recommendation:{self.key}"

    def fields(self) -> dict[str, str]:
        return {"number": str(self.number), "text": self.text, "area": self.area}


class HandChange(models.Model):
    """
    One inspection or recommendation recorded or edited by hand: who, when, what it said
    before (blank for a new one) and after. Never updated or deleted.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        what = self.recommendation or self.inspection
        return f"{what} {'recorded' if self.before is None else 'edited'} by {self.user}"
