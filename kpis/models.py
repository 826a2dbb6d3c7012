"""
Contract KPI frameworks, their threshold rules and the monthly values.

Thresholds are data, versioned by the month they take effect: the 2018 and
2024 frameworks both exist, and one KPI's rule can be revised from a given
month while earlier months keep theirs (as happened to PI9 in 2025).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from opb_portal import formatting, rag
from opb_portal.core.fields import ExactDecimalField, PeriodField
from opb_portal.core.models import ApprovedFigure, RagZones
from opb_portal.core.precision import Precise, decimal_places_field
from opb_portal.periods import Period, in_force
from opb_portal.reference.models import Polarity, Unit
from opb_portal.submissions import crosschecks


class MeasureType(models.TextChoices):
    NATIONAL = "national", "National measure"
    LOCAL = "local", "Local measure"


class Framework(models.Model):
    """A set of contract KPIs in force between two dates (the 2018 set, the 2024 set)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["effective_from"]

    def __str__(self):
        return self.name

    @property
    def first_period(self) -> Period:
        return Period.from_date(self.effective_from)

    def covers(self, period: Period) -> bool:
        return self.effective_from <= period.first_day and (
            self.effective_to is None or period.first_day <= self.effective_to
        )


class KpiDefinition(Precise):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="kpis")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    measure_type = models.CharField(max_length=20, choices=MeasureType.choices)
    # Months from the framework's start during which a red month does not
    # count towards escalation. The colour is still shown (the annual review
    # reports every month); only the contract consequence is suspended.
    grace_months = models.PositiveSmallIntegerField(default=0)
    # A change from last month larger than this asks the Trust for an explanation.
    change_tolerance = ExactDecimalField(
        null=True, blank=True, help_text="Largest change from last month that needs no explanation."
    )
    decimal_places = decimal_places_field(default=1)
    # The figure of another return this KPI is, by the key its domain registered it under
    # (`opb_portal.submissions.crosschecks`): PI12 is the workforce return's permanent
    # vacancy rate, and each return warns when the other disagrees. Data, not a title search.
    cross_check = models.CharField(
        max_length=60,
        blank=True,
        help_text=(
            "The key of another return's figure this KPI must agree with, for example "
            "workforce.permanent_vacancy_rate; empty for none."
        ),
    )
    # Every red month needs an exception report before the month's pack is issued; an amber
    # one only where the administrator asks for it (core.off_track, kpis/off_track.py).
    exception_report_when_amber = models.BooleanField(
        "exception report when amber",
        default=False,
        help_text="Ask the Trust for an exception report when this KPI is amber, not only red.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework__effective_from", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="unique_kpi_code_per_framework"
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def clean(self):
        if self.cross_check and crosschecks.get(self.cross_check) is None:
            known = ", ".join(crosschecks.keys()) or "none is registered"
            raise ValidationError(
                {
                    "cross_check": f"No return gives a figure under {self.cross_check!r}: use one "
                    f"of {known}."
                }
            )

    def in_grace(self, period: Period) -> bool:
        return period.months_since(self.framework.first_period) < self.grace_months

    def rule_for(self, period: Period) -> ThresholdRule | None:
        """The rule in force in `period`, from the already fetched `rules`."""
        return in_force(self.rules.all(), period)

    def derive_value(
        self, numerator: Decimal, denominator: Decimal, *, exact: bool = False
    ) -> Decimal:
        """
        The value a numerator and denominator give, at the precision the Trust
        publishes the KPI with (`decimal_places`, halves up): 353 of 86,835 children
        is 40.7 per 10,000. `exact=True` gives the unrounded figure.
        """
        scale = {Unit.RATE_PER_10000: 10000, Unit.PERCENT: 100}.get(self.unit, 1)
        value = numerator / denominator * scale
        return value if exact else self.at_precision(value)

    def format_value(self, value: Decimal | None) -> str:
        """The figure as every page, export and pack shows it: at the KPI's precision."""
        return formatting.measure(self.at_precision(value), self.unit, self.decimal_places)

    def format_difference(self, value: Decimal | None) -> str:
        """A move between two figures: `0.9 points` for a percentage, else as a figure."""
        return formatting.difference(self.at_precision(value), self.unit, self.decimal_places)


class ThresholdRule(RagZones):
    """
    Green / amber / red thresholds for one KPI from a given month.

    Only the green zone and the red zone are stored; amber is everything in
    between. That makes a gap between zones impossible, which the published
    wording sometimes leaves (for PI9, 75.0 to 75.1 belongs to no zone).
    """

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="rules")
    effective_from = PeriodField(help_text="First day of the first month the rule applies to.")
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    contract_wording = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="Why the rule was set or revised.")

    class Meta:
        ordering = ["kpi", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "effective_from"], name="one_rule_per_kpi_per_month"
            )
        ]

    def __str__(self):
        return f"{self.kpi.code} from {self.effective_from.short}: {self.describe()}"

    def describe(self) -> str:
        return rag.describe(self.bounds, percent=self.kpi.unit == Unit.PERCENT)

    def target(self) -> str:
        return rag.describe_zone(
            self.bounds, rag.Status.GREEN, percent=self.kpi.unit == Unit.PERCENT
        )

    def clean(self):
        # A PeriodField: a rule takes effect from the first of a month, or is refused.
        problems = rag.check_shape(self.bounds, self.polarity)
        if problems:
            raise ValidationError(problems)


class KpiValue(ApprovedFigure):
    """The approved figure for one KPI in one month."""

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.PROTECT, related_name="values")
    period = PeriodField(help_text="First day of the reporting month.")
    value = ExactDecimalField()
    numerator = ExactDecimalField(null=True, blank=True)
    denominator = ExactDecimalField(null=True, blank=True)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["kpi", "period"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period"], name="one_value_per_kpi_per_month")
        ]
        indexes = [models.Index(fields=["period", "kpi"])]

    def __str__(self):
        return f"{self.kpi.code} {self.period.short}: {self.value}"


class KpiForecast(models.Model):
    """
    A KPI's outlook as it was worked out from its history up to `last_period`: one per
    month, kept when later months are approved, so that every forecast can be measured
    against what actually happened.

    Made when a KPI return is approved (`kpis.outlook.refresh_forecasts`). `inputs` is the
    SHA-256 of the figures it was made from (month, value, version), so a forecast is
    made again (replacing the month's) only when a correction changed an input; `versions`
    names those return versions.
    A forecast is never a figure: every page, export and the API mark it as a forecast.
    """

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="forecasts")
    last_period = PeriodField(help_text="The last month of actual figures it was made from.")
    made_at = models.DateTimeField(auto_now_add=True)
    inputs = models.CharField(max_length=64, help_text="SHA-256 of the figures it was made from.")
    versions = models.JSONField(default=list, blank=True, help_text="Return versions used.")
    method = models.CharField(max_length=40)
    method_label = models.CharField(max_length=200)
    # [{"period": "2025-04", "value": "81.2", "lower": "76.0", "upper": "86.1", "red": 0.1,
    #   "status": "amber"}, ...]: each month ahead, its 80% interval, the chance it is red
    # and the colour the point forecast would have under the rule in force then.
    steps = models.JSONField(default=list)
    # {"tries": 11, "within": "2.1", "hits": 9, "mase": 0.8, "coverage": 0.82, "fallback": false}
    accuracy = models.JSONField(default=dict)
    # Where the actuals stood at `last_period`, kept with the forecast so that an outlook's
    # signals (the contract's trigger, "turns red next month") are read in the one query
    # that fetches it: the month's colour and its red streak outside grace.
    last_status = models.CharField(
        max_length=10, default="missing", help_text="The colour of the last actual month."
    )
    red_streak = models.PositiveSmallIntegerField(
        default=0, help_text="Consecutive red months outside grace ending with the last month."
    )

    class Meta:
        ordering = ["kpi", "last_period"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "last_period"], name="one_forecast_per_kpi_per_month"
            )
        ]

    def __str__(self):
        return f"{self.kpi.code} forecast from {self.last_period.short}"
