"""
Demonstration finance data: the 2024-25 plan and twelve approved monthly returns.

What is published (annual review 2024-25, section (e); scrutiny report,
4.10-4.13) is loaded exactly: the contract sum, the third-party income, the
March 2025 outturn by group, the in-year and opening deficits, residential
placements rising from the plan's 62 to 79, the December 2024 weekly cost and
£2.9m of savings delivered. Everything else is ILLUSTRATIVE and marked so on
screen: the budgets (the Trust did not publish them), the split of each group
into lines, and every month before March.

One published figure cannot hold in whole pounds: the group figures (staffing
£33,647,039, placements £57,798,488, overheads £7,760,219) add up to
£99,205,746, £1 more than the published expenditure of £99,205,745 (each was
rounded from pence). The total, the deficit and the cumulative deficit are the
figures the board reads, so overheads take the pound: £7,760,218.

The months converge on the outturn. Every line the driver model costs
(`finance.model`: residential, supported accommodation, in-house and external
fostering, agency staffing, Home Office funding, three savings schemes) is costed
month by month from its drivers by the model's own `month_cost`, and its forecast
is the cost so far plus this month's run rate to 31 March; so the model fed the
actual drivers gives the actual costs to the pound. Its group's unmodelled line
absorbs the rest of the published group figure (`ABSORBS`): permanent staffing,
other placements, hardship funding and the edge-of-care scheme. Every other
line's forecast moves from its budget towards its outturn, and its actual to
date is the forecast's share of the months gone.

Published drivers (loaded exactly, the rest illustrative): residential children
62, 74 and 79, the weekly cost £6,701 in December; in-house and external foster
children each month (annual review, section (f)); social workers (FTE) and the
agency share each month (the workforce table of the annual review).

2019-20 (annual review 2019-20) is loaded as a published year-end outturn only.
A 2025-26 plan (contract sum rolled forward, the published savings target of
£2,340,090, illustrative budgets giving the "c. £12m" deficit the review
expects) lets the Trust type April 2025 in the demonstration.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.periods import FinancialYear, Period
from opb_portal.submissions.demo import approved_return

from .model import month_cost
from .models import (
    CostDriver,
    DriverFigure,
    FinanceFigure,
    FinanceLine,
    FinanceYear,
    LineGroup,
    PublishedOutturn,
)
from .returns import spec as finance_return
from .scenarios.demo import load_demo_scenarios

YEAR = FinancialYear(2024)
CONTRACT_SUM = Decimal(80_800_000)
# Published (scrutiny report 4.10): "an increase of £6.325m or approximately 8.5%" on 2023/24.
PREVIOUS_CONTRACT_SUM = CONTRACT_SUM - Decimal(6_325_000)
OPENING_DEFICIT = Decimal(10_919_317)
SOURCE = "Annual review 2024-25, section (e)"
NOTES = (
    "The budgets and the split of each group into lines are illustrative: the Trust did not "
    "publish them. The March 2025 totals are the published provisional outturn."
)

STAFFING, PLACEMENTS, OVERHEADS = LineGroup.STAFFING, LineGroup.PLACEMENTS, LineGroup.OVERHEADS
INCOME, SAVINGS = LineGroup.INCOME, LineGroup.SAVINGS


@dataclass(frozen=True)
class PlanLine:
    code: str
    name: str
    group: str
    budget: int  # illustrative
    outturn: int  # March 2025: the line's share of the published group figure
    commentary: str = ""
    driver_model: str = ""  # costed from the drivers: the outturn here is unused


# Lines with a driver model are costed from the drivers below (`driver_months`): their
# outturn here is 0 and unused. The line `ABSORBS` names takes the rest of its group.
RESIDENTIAL = "PL-RES"
PLAN_CHILDREN = 62  # published: the plan's assumption for April 2024
PLAN_WEEKLY_COST = 6508  # published: the average weekly cost in March 2024
WEEKS_IN_BUDGET = 52

PLAN_2024 = [
    PlanLine("STAFF-PERM", "Permanent staffing", STAFFING, 29_600_000, 28_912_480),
    PlanLine(
        "STAFF-AGENCY",
        "Agency staffing",
        STAFFING,
        4_100_000,
        4_734_559,
        "Agency social workers cover vacancies while permanent recruitment continues.",
        driver_model="agency",
    ),
    PlanLine(
        RESIDENTIAL,
        "Residential placements",
        PLACEMENTS,
        PLAN_CHILDREN * PLAN_WEEKLY_COST * WEEKS_IN_BUDGET,
        0,
        driver_model="residential",
    ),
    PlanLine(
        "PL-EXTFOST",
        "External fostering",
        PLACEMENTS,
        14_100_000,
        14_380_500,
        driver_model="foster_external",
    ),
    PlanLine(
        "PL-INTFOST",
        "Internal fostering and connected carers",
        PLACEMENTS,
        8_000_000,
        7_855_728,
        driver_model="foster_internal",
    ),
    PlanLine(
        "PL-SA",
        "Supported accommodation",
        PLACEMENTS,
        5_400_000,
        8_100_000,
        "More young people in supported accommodation, partly unaccompanied asylum-seeking "
        "children; Home Office contributions offset part of the cost.",
        driver_model="supported",
    ),
    PlanLine(
        "PL-OTHER",
        "Other placements and wrap-around support",
        PLACEMENTS,
        1_200_000,
        3_100_000,
        "Third-party wrap-around support of complex placements: a new, unbudgeted pressure.",
    ),
    PlanLine("OVERHEADS", "Overheads", OVERHEADS, 7_900_000, 7_760_218),
    PlanLine("INC-ICB", "ICB health contribution", INCOME, 2_950_000, 2_950_000),
    PlanLine("INC-EDU", "Education funding for placements", INCOME, 1_600_000, 1_600_000),
    PlanLine("INC-SF", "Supporting Families claims", INCOME, 1_050_000, 1_050_000),
    PlanLine("INC-DFE", "DfE funding", INCOME, 900_000, 900_000),
    PlanLine("INC-MOJ", "Ministry of Justice funding", INCOME, 180_000, 180_000),
    PlanLine(
        "INC-HO",
        "Home Office funding",
        INCOME,
        1_200_000,
        2_600_000,
        "Home Office contributions for unaccompanied asylum-seeking children above plan.",
        driver_model="home_office",
    ),
    PlanLine("INC-HARD", "Hardship funding", INCOME, 337_630, 337_630),
    PlanLine(
        "SAV-STEPDOWN",
        "Step-down from residential to family placements",
        SAVINGS,
        1_200_000,
        950_000,
        "Step-downs slower than planned while residential demand rose.",
        driver_model="savings",
    ),
    PlanLine(
        "SAV-AGENCY",
        "Agency to permanent conversion",
        SAVINGS,
        800_000,
        620_000,
        "Conversions behind plan: fewer experienced applicants than expected.",
        driver_model="savings",
    ),
    PlanLine(
        "SAV-COMMISSION",
        "Commissioning and supplier review",
        SAVINGS,
        900_000,
        880_000,
        driver_model="savings",
    ),
    PlanLine("SAV-EDGE", "Edge of care and reunification", SAVINGS, 500_000, 450_000),
]

# April 2024 to March 2025. Published: 62 in April (the plan), 74 and £6,701 in December,
# 79 in March. The other months are illustrative.
RESIDENTIAL_CHILDREN = [62, 63, 65, 66, 68, 70, 71, 73, 74, 76, 77, 79]
RESIDENTIAL_WEEKLY_COST = [6520, 6545, 6560, 6590, 6610, 6630, 6650, 6680, 6701, 6715, 6730, 6748]
SUPPORTED_CHILDREN = [38, 39, 41, 42, 44, 45, 47, 48, 50, 51, 53, 55]
SUPPORTED_WEEKLY_COST = [3300, 3310, 3320, 3335, 3350, 3360, 3375, 3390, 3400, 3415, 3430, 3440]
# Published (annual review, section (f)): foster placements month by month.
FOSTER_INTERNAL_CHILDREN = [283, 280, 277, 269, 276, 268, 272, 269, 272, 270, 267, 266]
FOSTER_INTERNAL_WEEKLY_COST = [548, 548, 550, 550, 552, 552, 554, 554, 556, 556, 558, 558]
FOSTER_EXTERNAL_CHILDREN = [309, 310, 308, 294, 284, 287, 288, 296, 293, 302, 300, 295]
FOSTER_EXTERNAL_WEEKLY_COST = [920, 922, 924, 926, 928, 930, 930, 932, 934, 936, 938, 940]
# Published (annual review, the workforce table): social workers (FTE) and the agency share.
SOCIAL_WORKERS = [
    "172.04", "164.44", "164.54", "165.54", "166.9", "177.93",
    "179.93", "179.13", "173.53", "174.73", "175.73", "179.42",
]  # fmt: skip
AGENCY_SHARE = [
    "19.1", "16.3", "17.9", "15.9", "17.4", "17.1", "18.6", "18.1", "16.4", "19.1", "19.6", "20.7",
]  # fmt: skip
AGENCY_WEEKLY_COST = [2890, 2895, 2900, 2905, 2910, 2915, 2920, 2925, 2930, 2935, 2940, 2945]
HOME_OFFICE_CHILDREN = [45, 46, 47, 48, 49, 49, 50, 51, 52, 53, 54, 54]
HOME_OFFICE_WEEKLY_RATE = [1001] * 12
SAVINGS_DELIVERED = [80, 81, 82, 83, 84, 84, 85, 85, 86, 86, 87, 87]

Measure = CostDriver.Measure
# code, measure, the 2024-25 plan's assumption (illustrative but the residential two and
# the establishment of 187 social workers), the months.
DRIVERS_2024 = [
    ("DRV-RES", Measure.RESIDENTIAL_CHILDREN, PLAN_CHILDREN, RESIDENTIAL_CHILDREN),
    ("DRV-RESCOST", Measure.RESIDENTIAL_WEEKLY_COST, PLAN_WEEKLY_COST, RESIDENTIAL_WEEKLY_COST),
    ("DRV-SA", Measure.SUPPORTED_CHILDREN, 38, SUPPORTED_CHILDREN),
    ("DRV-SACOST", Measure.SUPPORTED_WEEKLY_COST, 2733, SUPPORTED_WEEKLY_COST),
    ("DRV-FOSTIN", Measure.FOSTER_INTERNAL_CHILDREN, 283, FOSTER_INTERNAL_CHILDREN),
    ("DRV-FOSTINCOST", Measure.FOSTER_INTERNAL_WEEKLY_COST, 544, FOSTER_INTERNAL_WEEKLY_COST),
    ("DRV-FOSTEX", Measure.FOSTER_EXTERNAL_CHILDREN, 300, FOSTER_EXTERNAL_CHILDREN),
    ("DRV-FOSTEXCOST", Measure.FOSTER_EXTERNAL_WEEKLY_COST, 904, FOSTER_EXTERNAL_WEEKLY_COST),
    ("DRV-SW", Measure.SOCIAL_WORKERS, 187, SOCIAL_WORKERS),
    ("DRV-AGENCY", Measure.AGENCY_SHARE, 15, AGENCY_SHARE),
    ("DRV-AGENCYCOST", Measure.AGENCY_WEEKLY_COST, 2811, AGENCY_WEEKLY_COST),
    ("DRV-HO", Measure.HOME_OFFICE_CHILDREN, 23, HOME_OFFICE_CHILDREN),
    ("DRV-HORATE", Measure.HOME_OFFICE_WEEKLY_RATE, 1001, HOME_OFFICE_WEEKLY_RATE),
    ("DRV-SAVINGS", Measure.SAVINGS_DELIVERED, 100, SAVINGS_DELIVERED),
]
# (driver, month) pairs the documents state; the other months are illustrative.
PUBLISHED_DRIVERS = {
    ("DRV-RES", "2024-04"),
    ("DRV-RES", "2024-12"),
    ("DRV-RES", "2025-03"),
    ("DRV-RESCOST", "2024-12"),
} | {
    (code, month.iso)
    for code in ("DRV-FOSTIN", "DRV-FOSTEX", "DRV-SW", "DRV-AGENCY")
    for month in YEAR.months()
}
# The published March 2025 figure of each group; its unmodelled line takes what the
# modelled lines leave (overheads take the pound the published groups cannot hold).
GROUP_OUTTURNS = {
    STAFFING: 33_647_039,
    PLACEMENTS: 57_798_488,
    OVERHEADS: 7_760_218,
    INCOME: 9_617_630,
    SAVINGS: 2_900_000,
}
ABSORBS = {
    STAFFING: "STAFF-PERM",
    PLACEMENTS: "PL-OTHER",
    OVERHEADS: "OVERHEADS",
    INCOME: "INC-HARD",
    SAVINGS: "SAV-EDGE",
}
# How far each forecast has moved from its budget towards its outturn, month by month.
CONVERGENCE = [
    Decimal(w)
    for w in ("0.25", "0.30", "0.38", "0.45", "0.52", "0.60", "0.67", "0.74", "0.81", "0.88")
] + [Decimal("0.94"), Decimal(1)]

# 2025-26: the contract sum rolled forward, the published savings target, illustrative budgets.
PLAN_2025 = {
    "STAFF-PERM": 29_900_000,
    "STAFF-AGENCY": 4_600_000,
    RESIDENTIAL: 25_600_000,
    "PL-EXTFOST": 14_800_000,
    "PL-INTFOST": 8_100_000,
    "PL-SA": 8_400_000,
    "PL-OTHER": 3_200_000,
    "OVERHEADS": 7_800_000,
    "INC-ICB": 2_950_000,
    "INC-EDU": 1_600_000,
    "INC-SF": 1_050_000,
    "INC-DFE": 900_000,
    "INC-MOJ": 180_000,
    "INC-HO": 2_600_000,
    "INC-HARD": 337_630,
    "SAV-STEPDOWN": 900_000,
    "SAV-AGENCY": 600_000,
    "SAV-COMMISSION": 540_090,
    "SAV-EDGE": 300_000,
}
DRIVER_PLAN_2025 = {
    "DRV-RES": 79,
    "DRV-RESCOST": 6800,
    "DRV-SA": 55,
    "DRV-SACOST": 3500,
    "DRV-FOSTIN": 266,
    "DRV-FOSTINCOST": 570,
    "DRV-FOSTEX": 295,
    "DRV-FOSTEXCOST": 960,
    "DRV-SW": 187,
    "DRV-AGENCY": 15,
    "DRV-AGENCYCOST": 3000,
    "DRV-HO": 55,
    "DRV-HORATE": 1001,
    "DRV-SAVINGS": 100,
}

PUBLISHED = [
    # start year, contract sum, income, expenditure, opening cumulative deficit, source
    (2024, 80_800_000, 90_417_630, 99_205_745, 10_919_317, SOURCE),
    (2019, 63_536_000, 72_792_240, 77_123_871, None, "Annual review 2019-20, year-end position"),
]


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), ROUND_HALF_UP)


def _days(period: Period) -> int:
    return calendar.monthrange(period.year, period.month)[1]


def _levels(index: int) -> dict[str, Decimal]:
    """Every driver's level in month `index` (0 is April)."""
    return {measure: Decimal(series[index]) for _c, measure, _p, series in DRIVERS_2024}


def driver_months(line: PlanLine) -> list[tuple[Decimal, Decimal]]:
    """
    (actual to date, forecast outturn) of a line the driver model costs, April to March:
    each month's cost from its drivers by the model's own rule, the forecast the cost so
    far plus the month's run rate to 31 March (the Trust's way of forecasting).
    """
    months = YEAR.months()
    target = Decimal(line.budget)
    costs = [
        month_cost(line.driver_model, _levels(index), month, target=target)
        for index, month in enumerate(months)
    ]
    year_end = YEAR.last.last_day
    year_days = (year_end - YEAR.first.first_day).days + 1
    figures = []
    for index, month in enumerate(months):
        actual = sum(costs[: index + 1], Decimal(0))
        remaining = (year_end - month.last_day).days
        daily = costs[index] / _days(month)
        if line.driver_model == "savings":  # delivery runs on the year's days, not weeks
            daily = target * _levels(index)[Measure.SAVINGS_DELIVERED] / 100 / year_days
        figures.append((actual, actual + _whole(daily * remaining)))
    return figures


def outturns() -> dict[str, Decimal]:
    """Each line's March 2025 figure: costed from the drivers, or its share of its group."""
    found = {line.code: driver_months(line)[-1][0] for line in PLAN_2024 if line.driver_model}
    for line in PLAN_2024:
        if not line.driver_model and ABSORBS[line.group] != line.code:
            found[line.code] = Decimal(line.outturn)
    for group, code in ABSORBS.items():
        others = sum(
            (found[line.code] for line in PLAN_2024 if line.group == group and line.code in found),
            Decimal(0),
        )
        found[code] = GROUP_OUTTURNS[group] - others
    return found


def _commentary(line: PlanLine, index: int) -> str:
    if line.code != RESIDENTIAL:
        return line.commentary
    return (
        f"{RESIDENTIAL_CHILDREN[index]} children in residential placements against "
        f"the plan's {PLAN_CHILDREN}, at an average of "
        f"£{RESIDENTIAL_WEEKLY_COST[index]:,} a week."
    )


def month_data() -> dict[Period, dict[str, dict[str, str]]]:
    """Every month of 2024-25 as the data of an approved finance return version."""
    costed = {line.code: driver_months(line) for line in PLAN_2024 if line.driver_model}
    outturn = outturns()
    months: dict[Period, dict[str, dict[str, str]]] = {}
    for index, month in enumerate(YEAR.months()):
        data: dict[str, dict[str, str]] = {}
        share = Decimal(index + 1) / 12
        for line in PLAN_2024:
            if line.driver_model:
                actual, forecast = costed[line.code][index]
            else:
                budget = Decimal(line.budget)
                forecast = _whole(budget + (outturn[line.code] - budget) * CONVERGENCE[index])
                actual = _whole(forecast * share)
            data[line.code] = {
                "actual_to_date": str(actual),
                "value": str(forecast),
                "commentary": _commentary(line, index),
            }
        for code, _measure, _plan, series in DRIVERS_2024:
            data[code] = {"value": str(series[index]), "commentary": ""}
        months[month] = data
    return months


def load_plan(
    start_year: int, *, contract_sum, opening, budgets, driver_plans, notes, previous=None
) -> FinanceYear:
    """A year's plan with the demonstration's lines and drivers (bench/ builds years with it)."""
    year, _ = FinanceYear.objects.update_or_create(
        start_year=start_year,
        defaults={
            "contract_sum": contract_sum,
            "previous_contract_sum": previous,
            "opening_cumulative_deficit": opening,
            "variance_tolerance_percent": Decimal(2),
            "variance_tolerance_amount": Decimal(100_000),
            "movement_tolerance": Decimal(500_000),
            "illustrative": True,
            "notes": notes,
        },
    )
    for order, line in enumerate(PLAN_2024):
        FinanceLine.objects.update_or_create(
            year=year,
            code=line.code,
            defaults={
                "name": line.name,
                "group": line.group,
                "budget": Decimal(budgets[line.code]),
                "driver_model": line.driver_model,
                "order": order,
            },
        )
    for order, (code, measure, _plan, _series) in enumerate(DRIVERS_2024):
        CostDriver.objects.update_or_create(
            year=year,
            code=code,
            defaults={"measure": measure, "plan": Decimal(driver_plans[code]), "order": order},
        )
    return year


def _approved_return(*, period: Period, data: dict, submitter, reviewer) -> None:
    """
    Record a month as an approved return (see `submissions.demo.approved_return`),
    then mark what the Trust did not publish as illustrative.
    """
    if not approved_return(
        domain=finance_return.domain,
        period=period,
        data=data,
        submitter=submitter,
        reviewer=reviewer,
    ):
        return
    # Only the March totals are published; every line figure is a demonstration value.
    FinanceFigure.objects.filter(period=period).update(illustrative=True)
    for figure in DriverFigure.objects.filter(period=period).select_related("driver"):
        figure.illustrative = (figure.driver.code, period.iso) not in PUBLISHED_DRIVERS
        figure.save(update_fields=["illustrative"])


@transaction.atomic
def load_demo_finance() -> int:
    """The 2024-25 and 2025-26 plans, two published outturns, and 2024-25 as 12 approved returns."""
    budgets_2024 = {line.code: line.budget for line in PLAN_2024}
    load_plan(
        2024,
        contract_sum=CONTRACT_SUM,
        previous=PREVIOUS_CONTRACT_SUM,
        opening=OPENING_DEFICIT,
        budgets=budgets_2024,
        driver_plans={code: plan for code, _m, plan, _s in DRIVERS_2024},
        notes=NOTES,
    )
    load_plan(
        2025,
        contract_sum=CONTRACT_SUM,
        opening=OPENING_DEFICIT + _published_deficit(),
        budgets=PLAN_2025,
        driver_plans=DRIVER_PLAN_2025,
        notes=(
            "The 2025-26 contract sum is not agreed: this plan rolls 2024-25's forward. The "
            "savings target (£2,340,090) is published; the budgets are illustrative."
        ),
    )
    for start_year, contract_sum, income, expenditure, opening, source in PUBLISHED:
        PublishedOutturn.objects.update_or_create(
            start_year=start_year,
            defaults={
                "contract_sum": Decimal(contract_sum),
                "income": Decimal(income),
                "expenditure": Decimal(expenditure),
                "opening_cumulative_deficit": None if opening is None else Decimal(opening),
                "source": source,
            },
        )
    submitter = User.objects.get(username="finance.submitter")
    reviewer = User.objects.get(username="reviewer")
    months = month_data()
    for period, data in months.items():
        _approved_return(period=period, data=data, submitter=submitter, reviewer=reviewer)
    load_demo_scenarios()
    return len(months)


def _published_deficit() -> Decimal:
    _year, _contract, income, expenditure, _opening, _source = PUBLISHED[0]
    return Decimal(expenditure - income)
