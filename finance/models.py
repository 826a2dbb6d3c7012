"""
Finance: each financial year's plan, and the approved monthly figures against it.

The plan of a year is administrator data (the Django admin), like the KPI
frameworks: the contract sum, the opening cumulative deficit, one line per
third-party income source, expenditure budget line and savings scheme, the
plan's assumptions for the cost drivers, and the tolerances the checks and the
RAG use. The monthly figures arrive through the finance return (`returns.py`)
and are written here only when a return is approved.

Money is whole pounds, kept as Decimal in `numeric(14, 0)` columns: the Trust
reports to the pound, and a column without pence cannot quietly gain some.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from opb_portal.core.fields import ExactDecimalField, PeriodField
from opb_portal.core.models import ApprovedFigure
from opb_portal.periods import FinancialYear, Period

CODE_PATTERN = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,19}$",
    "Use capital letters, digits and hyphens, starting with a letter (PL-RES, INC-ICB).",
)


def money(**kwargs) -> models.DecimalField:
    """A whole-pound amount: up to £999,999,999,999, no pence."""
    return models.DecimalField(max_digits=14, decimal_places=0, **kwargs)


class FinanceYear(models.Model):
    """The plan of one April-to-March year, and the tolerances its figures are judged by."""

    start_year = models.PositiveSmallIntegerField(
        unique=True, help_text="2024 for the 2024-25 financial year."
    )
    contract_sum = money(help_text="The council's funding for the year (the Contract Sum).")
    # Reports say the rise Cabinet approved ("an increase of £6.325m or approximately 8.5%"):
    # worked out from the previous year's plan, or from this where the portal has none.
    previous_contract_sum = money(
        null=True,
        blank=True,
        help_text="Last year's contract sum, where the portal keeps no plan of that year.",
    )
    opening_cumulative_deficit = money(
        help_text="The cumulative deficit brought forward on 1 April (a surplus is negative)."
    )
    variance_tolerance_percent = ExactDecimalField(
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="A line is green while its adverse variance is within the larger of this "
        "percentage of its budget and the amount below; amber up to twice that; red beyond.",
    )
    variance_tolerance_amount = money(
        default=Decimal("100000"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="See the percentage: the smallest variance, in pounds, that turns a line amber.",
    )
    movement_tolerance = money(
        default=Decimal("500000"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="A line's forecast moving by more than this since last month asks the Trust "
        "for an explanation.",
    )
    # Budgets the Trust did not publish are illustrative demonstration values: say so on screen.
    illustrative = models.BooleanField(default=False)
    notes = models.TextField(blank=True, help_text="Shown under the dashboard's headline figures.")

    class Meta:
        ordering = ["start_year"]

    def __str__(self):
        return f"Finance plan {self.financial_year.label}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    def covers(self, period: Period) -> bool:
        return period.financial_year.start_year == self.start_year


class LineGroup(models.TextChoices):
    """Where a line sits in the position: the three expenditure groups, income, savings."""

    STAFFING = "staffing", "Staffing"
    PLACEMENTS = "placements", "Placements"
    OVERHEADS = "overheads", "Overheads"
    INCOME = "income", "Third-party income"
    SAVINGS = "savings", "Savings schemes"


class LineKind(models.TextChoices):
    EXPENDITURE = "expenditure", "Expenditure"
    INCOME = "income", "Income"
    SAVINGS = "savings", "Savings"


EXPENDITURE_GROUPS = (LineGroup.STAFFING, LineGroup.PLACEMENTS, LineGroup.OVERHEADS)
KIND_OF_GROUP = {
    LineGroup.STAFFING: LineKind.EXPENDITURE,
    LineGroup.PLACEMENTS: LineKind.EXPENDITURE,
    LineGroup.OVERHEADS: LineKind.EXPENDITURE,
    LineGroup.INCOME: LineKind.INCOME,
    LineGroup.SAVINGS: LineKind.SAVINGS,
}


class FinanceLine(models.Model):
    """
    One line of a year's plan: an expenditure budget, a third-party income source or a
    savings scheme. `budget` is the budget, the expected income or the savings target.
    """

    year = models.ForeignKey(FinanceYear, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(max_length=20, validators=[CODE_PATTERN])
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=20, choices=LineGroup.choices)
    budget = money(validators=[MinValueValidator(Decimal(0))])
    # How the driver model (`finance.model`) works the line out from the drivers; blank:
    # the model takes the Trust's own forecast of the line, and says so.
    driver_model = models.CharField(
        max_length=30,
        choices=[
            ("residential", "Residential children × weekly cost"),
            ("supported", "Supported accommodation children × weekly cost"),
            ("foster_internal", "In-house foster children × weekly cost"),
            ("foster_external", "External foster children × weekly cost"),
            ("agency", "Social workers × agency share × agency weekly cost"),
            ("home_office", "Home Office children × weekly contribution"),
            ("savings", "Savings target × share delivered"),
        ],
        blank=True,
        help_text="How the driver model works this line out; empty: the Trust's own forecast.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="one_finance_line_per_code"),
            models.UniqueConstraint(fields=["year", "name"], name="one_finance_line_per_name"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    @property
    def kind(self) -> str:
        return KIND_OF_GROUP[LineGroup(self.group)]


class CostDriver(models.Model):
    """A cost driver the plan assumed a level for, reported each month."""

    class Measure(models.TextChoices):
        RESIDENTIAL_CHILDREN = "residential_children", "Children in residential placements"
        RESIDENTIAL_WEEKLY_COST = "residential_weekly_cost", "Average weekly residential cost"
        SUPPORTED_CHILDREN = "supported_children", "Children in supported accommodation"
        # The demand dashboard shows the count of children we care for beside it.
        CHILDREN_IN_CARE = "children_in_care", "Children we care for"
        # The driver model (`finance.model`): a line's cost is its children (or staff)
        # times their weekly cost, week by week; see docs/decisions/0010-forecasting.md.
        SUPPORTED_WEEKLY_COST = (
            "supported_weekly_cost",
            "Average weekly supported accommodation cost",
        )
        FOSTER_INTERNAL_CHILDREN = (
            "foster_internal_children",
            "Children with in-house foster carers",
        )
        FOSTER_INTERNAL_WEEKLY_COST = (
            "foster_internal_weekly_cost",
            "Average weekly in-house fostering cost",
        )
        FOSTER_EXTERNAL_CHILDREN = "foster_external_children", "Children in external fostering"
        FOSTER_EXTERNAL_WEEKLY_COST = (
            "foster_external_weekly_cost",
            "Average weekly external fostering cost",
        )
        SOCIAL_WORKERS = "social_workers", "Social workers (FTE)"
        AGENCY_SHARE = "agency_share", "Agency share of social workers (%)"
        AGENCY_WEEKLY_COST = "agency_weekly_cost", "Average weekly cost of an agency social worker"
        HOME_OFFICE_CHILDREN = "home_office_children", "Children the Home Office contributes for"
        HOME_OFFICE_WEEKLY_RATE = "home_office_weekly_rate", "Home Office weekly contribution"
        SAVINGS_DELIVERED = "savings_delivered", "Savings delivered (% of target)"

    year = models.ForeignKey(FinanceYear, on_delete=models.CASCADE, related_name="drivers")
    code = models.CharField(max_length=20, validators=[CODE_PATTERN])
    measure = models.CharField(max_length=30, choices=Measure.choices)
    plan = ExactDecimalField(
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The plan's assumption; empty when the plan made none.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="one_cost_driver_per_code"),
            models.UniqueConstraint(fields=["year", "measure"], name="one_cost_driver_per_measure"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    @property
    def name(self) -> str:
        return self.get_measure_display()

    @property
    def is_money(self) -> bool:
        return "weekly" in self.measure  # a weekly cost or contribution, in whole pounds

    @property
    def is_whole(self) -> bool:
        """Children and pounds are whole; staff (FTE) and percentages are not."""
        return self.measure not in (
            self.Measure.SOCIAL_WORKERS,
            self.Measure.AGENCY_SHARE,
            self.Measure.SAVINGS_DELIVERED,
        )

    @property
    def unit(self) -> str:
        if self.is_money:
            return "£ a week"
        if self.measure == self.Measure.SOCIAL_WORKERS:
            return "FTE"
        if self.measure in (self.Measure.AGENCY_SHARE, self.Measure.SAVINGS_DELIVERED):
            return "%"
        return "children"


class FinanceFigure(ApprovedFigure):
    """The approved actual to date and forecast outturn of one line in one month."""

    line = models.ForeignKey(FinanceLine, on_delete=models.PROTECT, related_name="figures")
    period = PeriodField(help_text="First day of the reporting month.")
    actual_to_date = money(null=True, blank=True)
    forecast_outturn = money(null=True, blank=True)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["line", "period"]
        constraints = [
            models.UniqueConstraint(fields=["line", "period"], name="one_figure_per_line_per_month")
        ]
        indexes = [models.Index(fields=["period", "line"])]

    def __str__(self):
        return f"{self.line.code} {self.period.short}: {self.forecast_outturn}"


class DriverFigure(ApprovedFigure):
    """The approved level of one cost driver in one month."""

    driver = models.ForeignKey(CostDriver, on_delete=models.PROTECT, related_name="figures")
    period = PeriodField(help_text="First day of the reporting month.")
    value = ExactDecimalField()
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["driver", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "period"], name="one_figure_per_driver_per_month"
            )
        ]
        indexes = [models.Index(fields=["period", "driver"])]

    def __str__(self):
        return f"{self.driver.code} {self.period.short}: {self.value}"


class PublishedOutturn(models.Model):
    """A year's provisional outturn as the Trust's annual review published it."""

    start_year = models.PositiveSmallIntegerField(unique=True)
    contract_sum = money()
    income = money()
    expenditure = money()
    opening_cumulative_deficit = money(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_year"]

    def __str__(self):
        return f"Published outturn {self.financial_year.label}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def third_party_income(self) -> Decimal:
        return self.income - self.contract_sum

    @property
    def deficit(self) -> Decimal:
        return self.expenditure - self.income

    @property
    def closing_cumulative_deficit(self) -> Decimal | None:
        if self.opening_cumulative_deficit is None:
            return None
        return self.opening_cumulative_deficit + self.deficit

    def clean(self):
        if None not in (self.income, self.contract_sum) and self.contract_sum > self.income:
            raise ValidationError(
                {"contract_sum": "The contract sum is part of the income: it cannot exceed it."}
            )


class Scenario(models.Model):
    """
    A "what if" the council builds and saves: changes to the drivers from a month of a
    year, worked through the driver model (`finance.model`) to the year-end and
    cumulative deficit, beside the Trust's own forecast. The chair picks which the pack
    shows (`in_pack`).
    """

    year = models.ForeignKey(FinanceYear, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    in_pack = models.BooleanField(
        "shown in the board pack", default=False, help_text="Chosen by the chair for the pack."
    )

    class Meta:
        ordering = ["year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="one_scenario_per_name")
        ]

    def __str__(self):
        return self.name


class ScenarioChange(models.Model):
    """
    One change a scenario makes to a driver: `from` a month the driver is `value` (the
    weekly cost rises to £6,900 from October), or it moves in a straight line from the
    last actual to reach `value` `by` a month (the agency share falls to 12% by March).
    """

    class How(models.TextChoices):
        FROM = "from", "from"
        BY = "by", "by"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    measure = models.CharField(max_length=30, choices=CostDriver.Measure.choices)
    value = ExactDecimalField(validators=[MinValueValidator(Decimal(0))])
    how = models.CharField(max_length=4, choices=How.choices, default=How.FROM)
    month = PeriodField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scenario", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "measure"], name="one_change_per_driver_per_scenario"
            )
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.how} {self.month.short}: {self.value}"
