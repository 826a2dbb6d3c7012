"""
Workforce: the social work establishment, social workers by type, vacancies and caseloads.

The Trust types only what it counts (the establishment, permanent social
workers excluding ASYEs, ASYEs, agency social workers, and per service the
children held and the case-holding FTE); every total, share and rate is worked
out here, by one formula each, so the return, the dashboard, the API and the
board pack cannot disagree. The caseload model and the RAG rules are data,
versioned by the month they take effect, as the KPI threshold rules are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models

from opb_portal import formatting, rag
from opb_portal.core.fields import ExactDecimalField, PeriodField
from opb_portal.core.models import ApprovedFigure, FromReturn, RagZones
from opb_portal.periods import Period, in_force
from opb_portal.reference.models import Polarity

HUNDRED = Decimal(100)


def rounded(value: Decimal | None, places: int | None) -> Decimal | None:
    """`value` to `places` decimal places, halves up, as the Trust publishes its tables.

    `places=None` keeps the value as it is: a sum of typed figures is already exact.
    """
    if value is None or places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def weekdays(period: Period) -> int:
    """Monday to Friday in the month (bank holidays are not known to the portal)."""
    days = calendar.monthrange(period.year, period.month)[1]
    return sum(
        1 for day in range(1, days + 1) if calendar.weekday(period.year, period.month, day) < 5
    )


class Service(models.Model):
    """A case-holding service whose caseloads the return reports (Assessment and Intervention)."""

    code = models.CharField(
        max_length=12,
        unique=True,
        help_text="Short upper-case code; the return's lines are CODE_CHILDREN and CODE_FTE.",
    )
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    first_month = PeriodField(help_text="First day of the first month the return holds it.")
    last_month = PeriodField(
        null=True, blank=True, help_text="First day of the last month; empty while it runs."
    )

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def runs_in(self, period: Period) -> bool:
        return self.first_month <= period and (self.last_month is None or period <= self.last_month)

    @property
    def children_code(self) -> str:
        return f"{self.code}_CHILDREN"

    @property
    def fte_code(self) -> str:
        return f"{self.code}_FTE"

    @property
    def average_code(self) -> str:
        return f"{self.code}_AVERAGE"

    def clean(self):
        if not self.code.isupper() or not self.code.replace("_", "").isalnum():
            raise ValidationError({"code": "Use capital letters, digits and underscores only."})


class CaseloadStandard(models.Model):
    """
    The caseload model for one service from a given month: the average number of
    children a social worker holds, and how much fewer an ASYE holds.

    A revision is a new row with a later effective month, so earlier months keep
    the model that was in force then.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards")
    effective_from = PeriodField(help_text="First day of the first month it applies to.")
    average_children = ExactDecimalField(help_text="Average children per social worker (22).")
    asye_reduction = ExactDecimalField(
        default=Decimal(20), help_text="Percentage fewer children an ASYE holds (20)."
    )
    source = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="Why the model was set or revised.")

    class Meta:
        ordering = ["service", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "effective_from"], name="one_caseload_model_per_service_month"
            )
        ]

    def __str__(self):
        return (
            f"{self.service.name} from {self.effective_from.short}: "
            f"{self.average_children} children, ASYEs {self.asye_reduction}% fewer"
        )

    def model_for(self, asye_share: Decimal | None) -> Decimal:
        """
        The average the model expects once ASYEs are allowed for: ASYEs hold
        `asye_reduction`% fewer children, so a workforce with an ASYE share s
        averages model x (1 - reduction x s). Without a known share, the model itself.
        """
        if asye_share is None:
            return self.average_children
        return self.average_children * (1 - self.asye_reduction / HUNDRED * asye_share / HUNDRED)

    def clean(self):
        if self.average_children is not None and self.average_children <= 0:
            raise ValidationError({"average_children": "A caseload model is above 0 children."})
        if self.asye_reduction is not None and not 0 <= self.asye_reduction < 100:
            raise ValidationError({"asye_reduction": "A reduction is from 0% to below 100%."})


class WorkforceRule(RagZones):
    """
    Green and red zones for a workforce measure from a given month; amber is in between.

    Caseloads are rated as a percentage of the model in force (so one rule serves
    every service, whatever its model); the ASYE and agency shares as a percentage
    of total social workers.
    """

    class Measure(models.TextChoices):
        CASELOAD = "caseload", "Average caseload as a percentage of the model"
        ASYE_SHARE = "asye_share", "ASYEs as a percentage of social workers"
        AGENCY_SHARE = "agency_share", "Agency social workers as a percentage of social workers"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    effective_from = PeriodField(help_text="First day of the first month the rule applies to.")
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    source = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="Why the rule was set or revised.")

    class Meta:
        ordering = ["measure", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "effective_from"], name="one_workforce_rule_per_measure_month"
            )
        ]

    def __str__(self):
        return f"{self.get_measure_display()} from {self.effective_from.short}: {self.describe()}"

    def describe(self) -> str:
        return rag.describe(self.bounds, percent=True)

    def target(self) -> str:
        return rag.describe_zone(self.bounds, rag.Status.GREEN, percent=True)

    def clean(self):
        problems = rag.check_shape(self.bounds, self.polarity)
        if problems:
            raise ValidationError(problems)


def rule_for(rules, measure: str, period: Period) -> WorkforceRule | None:
    """The rule for `measure` in force in `period`, of already fetched `rules`."""
    return in_force([rule for rule in rules if rule.measure == measure], period)


@dataclass(frozen=True)
class Typed:
    """A figure the Trust types, as the Trust's table labels it."""

    code: str
    title: str
    attribute: str  # the WorkforceMonth field that keeps it
    unit: str
    required: bool = True


# The Trust's own labels (section (f) of the annual review) where its table has the line.
TYPED = (
    Typed("ESTABLISHMENT", "Total Workforce - Level Needed", "establishment_fte", "FTE"),
    Typed("PERM_EXCL_ASYE", "Permanent Excluding ASYE", "permanent_excl_asye_fte", "FTE"),
    Typed("ASYE", "Total ASyEs", "asye_fte", "FTE"),
    Typed("AGENCY", "Agency Social Workers", "agency_fte", "FTE"),
    Typed("STARTERS", "Starters", "starters_fte", "FTE", required=False),
    Typed("LEAVERS", "Leavers", "leavers_fte", "FTE", required=False),
    Typed("SICKNESS_DAYS", "Sickness days lost", "sickness_days", "Days", required=False),
)
TYPED_BY_CODE = {t.code: t for t in TYPED}
# The lines a month needs before it can be saved or shown (a draft may lack some).
REQUIRED = tuple(t.code for t in TYPED if t.required)
IN_POST = ("PERM_EXCL_ASYE", "ASYE", "AGENCY")


@dataclass(frozen=True)
class Derivation:
    """A figure the portal works out from typed ones, as the Trust's table labels it."""

    code: str
    title: str
    formula: str
    attribute: str  # the WorkforceMonth property that works it out
    places: int | None  # as the Trust publishes them: to one place; sums exact (None)
    needs: tuple[str, ...]  # the typed lines it is worked out from
    percent: bool = False


# In the order of the Trust's own table (section (f) of the annual review), then the rates.
DERIVATIONS = (
    Derivation(
        "TOTAL",
        "Total Social Workers",
        "permanent social workers + agency social workers",
        "total_fte",
        None,
        IN_POST,
    ),
    Derivation(
        "PERMANENT",
        "No of permanent Social Workers",
        "permanent excluding ASYE + ASYEs (ASYEs are permanent staff)",
        "permanent_fte",
        None,
        ("PERM_EXCL_ASYE", "ASYE"),
    ),
    Derivation(
        "PCT_PERM_EXCL_ASYE",
        "% Permanent (Excl ASYE)",
        "permanent excluding ASYE ÷ total social workers × 100",
        "pct_permanent_excl_asye",
        1,
        IN_POST,
        percent=True,
    ),
    Derivation(
        "PCT_ASYE",
        "% Total ASyEs",
        "ASYEs ÷ total social workers × 100",
        "pct_asye",
        1,
        IN_POST,
        percent=True,
    ),
    Derivation(
        "PCT_AGENCY",
        "% Agency SWs",
        "agency social workers ÷ total social workers × 100",
        "pct_agency",
        1,
        IN_POST,
        percent=True,
    ),
    Derivation(
        "PERM_VACANCY_RATE",
        "Permanent vacancy rate",
        "(establishment − permanent social workers) ÷ establishment × 100",
        "permanent_vacancy_rate",
        1,
        ("ESTABLISHMENT", "PERM_EXCL_ASYE", "ASYE"),
        percent=True,
    ),
    Derivation(
        "RT_VACANCY_RATE",
        "Real-time vacancy rate",
        "(establishment − total social workers) ÷ establishment × 100",
        "real_time_vacancy_rate",
        1,
        ("ESTABLISHMENT", *IN_POST),
        percent=True,
    ),
    Derivation(
        "TURNOVER",
        "Turnover",
        "leavers ÷ total social workers × 100",
        "turnover",
        1,
        ("LEAVERS", *IN_POST),
        percent=True,
    ),
    Derivation(
        "ABSENCE",
        "Absence rate",
        "sickness days ÷ (total social workers × weekdays in the month) × 100",
        "absence_rate",
        1,
        ("SICKNESS_DAYS", *IN_POST),
        percent=True,
    ),
)
DERIVED = {d.code: d for d in DERIVATIONS}


class WorkforceMonth(FromReturn):
    """The approved workforce figures of one month; everything else is worked out from them."""

    period = PeriodField(unique=True, help_text="First day of the reporting month.")
    establishment_fte = ExactDecimalField()
    permanent_excl_asye_fte = ExactDecimalField()
    asye_fte = ExactDecimalField()
    agency_fte = ExactDecimalField()
    starters_fte = ExactDecimalField(null=True, blank=True)
    leavers_fte = ExactDecimalField(null=True, blank=True)
    sickness_days = ExactDecimalField(null=True, blank=True)
    # {line code: text}: the commentary the approved return gave each line.
    commentary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["period"]

    def __str__(self):
        return f"Workforce {self.period.short}: {formatting.fte(self.total_fte)} FTE"

    # --- derived: one formula each, unrounded (see DERIVATIONS for the words) ---------

    @property
    def permanent_fte(self) -> Decimal:
        return self.permanent_excl_asye_fte + self.asye_fte

    @property
    def total_fte(self) -> Decimal:
        return self.permanent_fte + self.agency_fte

    def _share(self, part: Decimal | None) -> Decimal | None:
        if part is None or not self.total_fte:
            return None
        return part / self.total_fte * HUNDRED

    @property
    def pct_permanent_excl_asye(self) -> Decimal | None:
        return self._share(self.permanent_excl_asye_fte)

    @property
    def pct_asye(self) -> Decimal | None:
        return self._share(self.asye_fte)

    @property
    def pct_agency(self) -> Decimal | None:
        return self._share(self.agency_fte)

    @property
    def permanent_vacancies(self) -> Decimal:
        return self.establishment_fte - self.permanent_fte

    @property
    def real_time_vacancies(self) -> Decimal:
        return self.establishment_fte - self.total_fte

    @property
    def permanent_vacancy_rate(self) -> Decimal | None:
        if not self.establishment_fte:
            return None
        return self.permanent_vacancies / self.establishment_fte * HUNDRED

    @property
    def real_time_vacancy_rate(self) -> Decimal | None:
        if not self.establishment_fte:
            return None
        return self.real_time_vacancies / self.establishment_fte * HUNDRED

    @property
    def turnover(self) -> Decimal | None:
        return self._share(self.leavers_fte)

    @property
    def absence_rate(self) -> Decimal | None:
        if self.sickness_days is None or not self.total_fte:
            return None
        available = self.total_fte * weekdays(self.period)
        return self.sickness_days / available * HUNDRED

    @classmethod
    def from_data(cls, period: Period, data: dict[str, dict[str, str]]) -> WorkforceMonth:
        """An unsaved month from a return version's data ({code: {"value": text}})."""
        month = cls(period=period)
        for typed in TYPED:
            text = data.get(typed.code, {}).get("value")
            setattr(month, typed.attribute, Decimal(text) if text else None)
        month.commentary = {
            code: line["commentary"] for code, line in data.items() if line.get("commentary")
        }
        return month

    def has(self, codes) -> bool:
        """Whether every typed line in `codes` has a figure (a draft may lack some)."""
        return all(getattr(self, TYPED_BY_CODE[code].attribute) is not None for code in codes)

    def derived(self, code: str) -> Decimal | None:
        """A derived figure, unrounded: for checking a figure someone else worked out."""
        return getattr(self, DERIVED[code].attribute)

    def published(self, code: str) -> Decimal | None:
        """A derived figure at the precision the Trust publishes it."""
        derivation = DERIVED[code]
        return rounded(getattr(self, derivation.attribute), derivation.places)

    def working(self, code: str) -> str:
        """The formula with this month's figures in it: `114.24 + 28.0 = 142.24`."""
        derivation = DERIVED[code]
        if not self.has(derivation.needs):
            return ""
        result = self.published(code)
        if result is None:
            return "cannot be worked out: the divisor is 0"
        shown = f"{result}%" if derivation.percent else str(result)
        e, total, permanent = self.establishment_fte, self.total_fte, self.permanent_fte
        parts = {
            "TOTAL": f"{permanent} + {self.agency_fte}",
            "PERMANENT": f"{self.permanent_excl_asye_fte} + {self.asye_fte}",
            "PCT_PERM_EXCL_ASYE": f"{self.permanent_excl_asye_fte} ÷ {total} × 100",
            "PCT_ASYE": f"{self.asye_fte} ÷ {total} × 100",
            "PCT_AGENCY": f"{self.agency_fte} ÷ {total} × 100",
            "PERM_VACANCY_RATE": (
                f"({e} − {permanent}) ÷ {e} × 100 = {self.permanent_vacancies} "
                f"vacancies ÷ {e} × 100"
            ),
            "RT_VACANCY_RATE": (
                f"({e} − {total}) ÷ {e} × 100 = {self.real_time_vacancies} vacancies ÷ {e} × 100"
            ),
            "TURNOVER": f"{self.leavers_fte} ÷ {total} × 100",
            "ABSENCE": (f"{self.sickness_days} ÷ ({total} × {weekdays(self.period)}) × 100"),
        }
        return f"{parts[code]} = {shown}"


class CaseloadFigure(ApprovedFigure):
    """Children held and case-holding FTE of one service in one month."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="figures")
    period = PeriodField(help_text="First day of the reporting month.")
    children = models.PositiveIntegerField()
    fte = ExactDecimalField(help_text="Case-holding social workers, FTE.")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["period", "service__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period"], name="one_caseload_per_service_month"
            )
        ]
        indexes = [models.Index(fields=["period", "service"])]

    def __str__(self):
        return f"{self.service.name} {self.period.short}: {self.average}"

    @property
    def average(self) -> Decimal | None:
        """Children per case-holding FTE."""
        if not self.fte:
            return None
        return Decimal(self.children) / self.fte
