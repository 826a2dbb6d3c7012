"""
Demonstration KPI data for 2024-25.

Published figures are loaded exactly; the months the Trust did not publish
come from `demo_series` (generated so every published statement holds) and
are marked illustrative. PI4 and PI7 are derived from counts of children over
the child population, PI12 from the published workforce table.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.comparators.demo import ENGLAND, WEST_MIDLANDS, load_demo_neighbours
from opb_portal.comparators.models import ComparatorValue, PublishedAverage, YearBasis
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.reference.models import ChildPopulation
from opb_portal.reference.published import workforce_rows
from opb_portal.submissions.demo import approved_return

from . import demo_series
from .frameworks import load_frameworks
from .models import KpiDefinition, KpiValue

SOURCE = "Annual review 2024-25, section (b)"

# (KPI, month) pairs stated in the annual review; every other month is illustrative.
PUBLISHED = {
    ("PI1", "2024-10"), ("PI1", "2025-03"),
    ("PI4", "2025-03"),
    ("PI5", "2024-04"), ("PI5", "2024-08"),
    ("PI6", "2024-04"), ("PI6", "2025-03"),
    ("PI7", "2025-03"),
    ("PI8", "2024-06"), ("PI8", "2024-11"), ("PI8", "2025-03"),
    ("PI9", "2024-06"), ("PI9", "2025-02"), ("PI9", "2025-03"),
    ("PI10", "2024-09"), ("PI10", "2024-11"),
    ("PI11", "2025-03"),
    ("PI14", "2024-04"), ("PI14", "2024-09"),
}  # fmt: skip

# The annual review's comparators of the KPIs, in the comparator store under each KPI's
# code: the statistical neighbours' average as published, England, the West Midlands.
NEIGHBOURS = "statistical neighbours"
AT_MARCH, FINANCIAL_YEAR = YearBasis.AT_MARCH, YearBasis.FINANCIAL_YEAR
COMPARATORS = [
    # code, compared with, value, year, published as at March or for the year to then
    ("PI4", NEIGHBOURS, "50.2", 2024, AT_MARCH),
    ("PI4", ENGLAND, "41.6", 2024, AT_MARCH),
    ("PI7", NEIGHBOURS, "95.2", 2024, AT_MARCH),
    ("PI7", ENGLAND, "70", 2024, AT_MARCH),
    ("PI8", NEIGHBOURS, "9.8", 2024, FINANCIAL_YEAR),
    ("PI8", ENGLAND, "10", 2024, FINANCIAL_YEAR),
    ("PI8", WEST_MIDLANDS, "10", 2024, FINANCIAL_YEAR),
    ("PI9", NEIGHBOURS, "67.3", 2024, FINANCIAL_YEAR),
    ("PI9", ENGLAND, "68", 2024, FINANCIAL_YEAR),
    ("PI9", WEST_MIDLANDS, "68", 2024, FINANCIAL_YEAR),
    ("PI11", NEIGHBOURS, "2.8", 2024, FINANCIAL_YEAR),
    ("PI11", ENGLAND, "2.6", 2024, FINANCIAL_YEAR),
    ("PI11", WEST_MIDLANDS, "2.4", 2024, FINANCIAL_YEAR),
]


def load_demo_comparators() -> None:
    """The KPIs' published comparators, in the comparator store. Idempotent."""
    neighbours = load_demo_neighbours()
    for code, compared_with, value, year, basis in COMPARATORS:
        fields = {"value": Decimal(value), "source": SOURCE, "year_basis": basis}
        if compared_with == NEIGHBOURS:
            PublishedAverage.objects.update_or_create(
                code=code, group=neighbours.to_may_2025, year=year, defaults=fields
            )
        else:
            ComparatorValue.objects.update_or_create(
                code=code,
                authority=neighbours.authorities[compared_with],
                year=year,
                defaults=fields,
            )


def demo_figures() -> list[dict]:
    """Every KPI figure for April 2024 to March 2025, as field values for KpiValue."""
    figures = []
    for code, series in demo_series.PERCENT_SERIES.items():
        for month, value in zip(demo_series.MONTHS, series, strict=True):
            figures.append({"code": code, "month": month, "value": value})
    population = Decimal(demo_series.CHILD_POPULATION)
    for code, counts in demo_series.RATE_COUNTS.items():
        for month, count in zip(demo_series.MONTHS, counts, strict=True):
            figures.append(
                {
                    "code": code,
                    "month": month,
                    "numerator": Decimal(count),
                    "denominator": population,
                }
            )
    for row in workforce_rows():
        if row["month"] in demo_series.MONTHS:
            establishment = Decimal(row["establishment_fte"])
            vacancies = establishment - Decimal(row["permanent_social_workers"])
            # The workforce table is published for every month, so PI12 is never illustrative.
            figures.append(
                {
                    "code": "PI12",
                    "month": row["month"],
                    "numerator": vacancies,
                    "denominator": establishment,
                    "published": True,
                }
            )
    return figures


ZONES = {Status.AMBER: "within tolerance", Status.RED: "in the failure zone"}


def commentary(kpi: KpiDefinition, month: str, value: Decimal) -> str:
    """
    The Trust's commentary on a month's figure: its own words where the demonstration has
    them, else, for an amber or red figure, what it says of that KPI in such a month.
    """
    said = demo_series.COMMENTARY.get((kpi.code, month))
    if said:
        return said
    rule = kpi.rule_for(Period.parse(month))
    status = rule.evaluate(kpi.at_precision(value)) if rule else None
    if status not in ZONES or kpi.code not in demo_series.STANDING_COMMENTARY:
        return ""
    text = demo_series.STANDING_COMMENTARY[kpi.code]
    return text.format(value=kpi.format_value(value), zone=ZONES[status])


def _month_data(figures, kpis) -> dict[str, dict[str, dict[str, str]]]:
    """The figures as one return's data per month, exactly as a return version holds them."""
    months: dict[str, dict[str, dict[str, str]]] = {}
    for figure in figures:
        kpi = kpis[figure["code"]]
        numerator, denominator = figure.get("numerator"), figure.get("denominator")
        value = figure.get("value") or kpi.derive_value(numerator, denominator)
        months.setdefault(figure["month"], {})[figure["code"]] = {
            "value": str(value),
            "numerator": "" if numerator is None else str(numerator),
            "denominator": "" if denominator is None else str(denominator),
            "commentary": commentary(kpi, figure["month"], Decimal(str(value))),
        }
    return months


def _approved_return(*, period: Period, data: dict, submitter, reviewer) -> None:
    """
    Record a month as an approved return (see `submissions.demo.approved_return`),
    then mark what the Trust did not publish as illustrative.
    """
    if not approved_return(
        domain="kpis", period=period, data=data, submitter=submitter, reviewer=reviewer
    ):
        return
    published = [code for code, month in PUBLISHED if month == period.iso] + ["PI12"]
    KpiValue.objects.filter(period=period).exclude(kpi__code__in=published).update(
        illustrative=True
    )


@transaction.atomic
def load_demo_kpis() -> int:
    """Frameworks, child population, comparators, and 2024-25 as twelve approved returns."""
    load_frameworks()
    # The demonstration's administrator asks for an exception report when PI11 is amber too.
    KpiDefinition.objects.filter(framework__code="2024", code="PI11").update(
        exception_report_when_amber=True
    )
    ChildPopulation.objects.update_or_create(
        financial_year_start=2024,
        defaults={"children": demo_series.CHILD_POPULATION, "source": "Annual review 2024-25"},
    )
    kpis = {
        k.code: k
        for k in KpiDefinition.objects.filter(framework__code="2024").prefetch_related("rules")
    }
    submitter = User.objects.get(username="kpi.submitter")
    reviewer = User.objects.get(username="reviewer")
    for month, data in _month_data(demo_figures(), kpis).items():
        _approved_return(
            period=Period.parse(month), data=data, submitter=submitter, reviewer=reviewer
        )
    load_demo_comparators()
    return len(kpis)
