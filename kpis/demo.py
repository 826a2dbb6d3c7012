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
from opb_portal.periods import Period
from opb_portal.reference.models import ChildPopulation
from opb_portal.reference.published import workforce_rows
from opb_portal.submissions.demo import approved_return

from . import demo_series
from .frameworks import load_frameworks
from .models import Comparator, KpiDefinition, KpiValue

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

COMPARATORS = [
    # code, kind, value, refers to
    ("PI4", Comparator.Kind.STATISTICAL_NEIGHBOUR, "50.2", "March 2024"),
    ("PI4", Comparator.Kind.ENGLAND, "41.6", "March 2024"),
    ("PI7", Comparator.Kind.STATISTICAL_NEIGHBOUR, "95.2", "March 2024"),
    ("PI7", Comparator.Kind.ENGLAND, "70", "March 2024"),
    ("PI8", Comparator.Kind.STATISTICAL_NEIGHBOUR, "9.8", "2023-24"),
    ("PI8", Comparator.Kind.ENGLAND, "10", "2023-24"),
    ("PI8", Comparator.Kind.WEST_MIDLANDS, "10", "2023-24"),
    ("PI9", Comparator.Kind.STATISTICAL_NEIGHBOUR, "67.3", "2023-24"),
    ("PI9", Comparator.Kind.ENGLAND, "68", "2023-24"),
    ("PI9", Comparator.Kind.WEST_MIDLANDS, "68", "2023-24"),
    ("PI11", Comparator.Kind.STATISTICAL_NEIGHBOUR, "2.8", "2023-24"),
    ("PI11", Comparator.Kind.ENGLAND, "2.6", "2023-24"),
    ("PI11", Comparator.Kind.WEST_MIDLANDS, "2.4", "2023-24"),
]


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
            "commentary": demo_series.COMMENTARY.get((figure["code"], figure["month"]), ""),
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
    KpiValue.objects.filter(period=period.first_day).exclude(kpi__code__in=published).update(
        illustrative=True
    )


@transaction.atomic
def load_demo_kpis() -> int:
    """Frameworks, child population, comparators, and 2024-25 as twelve approved returns."""
    load_frameworks()
    ChildPopulation.objects.update_or_create(
        financial_year_start=2024,
        defaults={"children": demo_series.CHILD_POPULATION, "source": "Annual review 2024-25"},
    )
    kpis = {k.code: k for k in KpiDefinition.objects.filter(framework__code="2024")}
    submitter = User.objects.get(username="kpi.submitter")
    reviewer = User.objects.get(username="reviewer")
    for month, data in _month_data(demo_figures(), kpis).items():
        _approved_return(
            period=Period.parse(month), data=data, submitter=submitter, reviewer=reviewer
        )
    for code, kind, value, refers_to in COMPARATORS:
        Comparator.objects.update_or_create(
            kpi=kpis[code],
            kind=kind,
            refers_to=refers_to,
            defaults={"value": Decimal(value), "source": SOURCE},
        )
    return len(kpis)
