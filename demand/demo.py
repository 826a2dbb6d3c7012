"""
The demonstration's demand figures and comparators, exactly as published.

Sources: the Trust's annual review 2024-25, section (f) (the yearly series,
the monthly foster placements, the comparators at March 2024); the 2019-20
annual review, table 7 (children in care by accommodation type, by quarter).
The authorities and neighbour groups are the comparator store's
(`opb_portal.comparators.demo`).
Nothing here is generated: a figure the sources do not give is not stored, with one
exception, marked as such: the care leavers' outcomes (in touch, in education, employment
or training, in suitable accommodation), which the seeds do not give for Sandwell, England
or its neighbours, are ILLUSTRATIVE (`illustrative=True`, and the comparators' source says
so), so section (f)'s care experienced part has figures to show.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opb_portal.comparators.demo import ENGLAND, WEST_MIDLANDS, load_demo_neighbours
from opb_portal.comparators.models import ComparatorValue, PublishedAverage, YearBasis
from opb_portal.periods import Period
from opb_portal.reference.models import ChildPopulation, Polarity, Unit

from .models import ILLUSTRATIVE, Measure, MeasureValue
from .selectors import CARE_LEAVERS

REVIEW_2025 = "Annual review 2024-25, section (f)"
REVIEW_2020 = "Annual review 2019-20, table 7"
CHILD_POPULATION_2024 = 86835

AT_END, TOTAL = Measure.Kind.AT_END, Measure.Kind.TOTAL
G = Measure.Group
COUNT, PERCENT = Unit.COUNT, Unit.PERCENT
PLACED = G.PLACEMENTS

# The care leavers' outcomes, as demand 0008 ships them: the DfE's, for the year to 31 March.
LEAVERS_IN_TOUCH = "Care leavers aged 19 to 21 in touch with the Trust"
LEAVERS_EET = "Care leavers aged 19 to 21 in education, employment or training"
LEAVERS_HOUSED = "Care leavers aged 19 to 21 in suitable accommodation"

# code, title, group, unit, kind, rate per 10,000
MEASURES = [
    ("referrals", "Referrals", G.FRONT_DOOR, COUNT, TOTAL, True),
    ("re_referral_rate", "Re-referrals within 12 months", G.FRONT_DOOR, PERCENT, TOTAL, False),
    ("early_help", "Children open to targeted early help", G.FRONT_DOOR, COUNT, AT_END, False),
    ("assessments", "Children undergoing an assessment", G.FRONT_DOOR, COUNT, AT_END, False),
    ("s47_enquiries", "Section 47 enquiries", G.PROTECTION, COUNT, TOTAL, True),
    ("icpc", "Initial child protection conferences", G.PROTECTION, COUNT, TOTAL, True),
    ("children_in_need", "Children in need with an active plan", G.PROTECTION, COUNT, AT_END, True),
    ("cp_plans", "Children on a child protection plan", G.PROTECTION, COUNT, AT_END, True),
    ("children_in_care", "Children we care for", G.CARE, COUNT, AT_END, True),
    ("care_experienced", "Care experienced young people", G.CARE, COUNT, AT_END, False),
    ("care_leavers_in_touch", LEAVERS_IN_TOUCH, G.CARE, PERCENT, TOTAL, False),
    ("care_leavers_eet", LEAVERS_EET, G.CARE, PERCENT, TOTAL, False),
    ("care_leavers_suitable_accommodation", LEAVERS_HOUSED, G.CARE, PERCENT, TOTAL, False),
    ("entered_care", "Children entering care", G.CARE, COUNT, TOTAL, True),
    ("ceased_care", "Children ceasing care", G.CARE, COUNT, TOTAL, True),
    ("placed_internal_foster", "Placed with internal foster carers", PLACED, COUNT, AT_END, False),
    ("placed_connected", "Placed with connected carers", PLACED, COUNT, AT_END, False),
    ("placed_external_foster", "Placed in external fostering", PLACED, COUNT, AT_END, False),
    ("placed_residential", "Placed in residential homes", PLACED, COUNT, AT_END, False),
    ("placed_supported_living", "Supported and independent living", PLACED, COUNT, AT_END, False),
    ("placed_with_parents", "Placed with parents", PLACED, COUNT, AT_END, False),
    ("placed_for_adoption", "Placed for adoption", PLACED, COUNT, AT_END, False),
    ("placed_other", "Other placements", PLACED, COUNT, AT_END, False),
    ("foster_households", "Foster carer households", G.FOSTERING, COUNT, AT_END, False),
    ("foster_enquiries", "Foster carer enquiries", G.FOSTERING, COUNT, TOTAL, False),
    ("foster_approvals", "Foster carer approvals", G.FOSTERING, COUNT, TOTAL, False),
    ("foster_deregistrations", "Foster carer de-registrations", G.FOSTERING, COUNT, TOTAL, False),
]

# Local targets: the contract's CP plan rate (KPI 4, ≤ 45.0 green, ≥ 55.0 red) applied
# to the rate; more foster carer approvals is better, with no number agreed.
TARGETS = {
    "cp_plans": {
        "polarity": Polarity.LOWER_IS_BETTER,
        "green_upper": Decimal("45.0"),
        "red_above": Decimal("55.0"),
        "red_above_inclusive": True,
        "target_applies_to_rate": True,
    },
}
POLARITY = {
    **dict.fromkeys(CARE_LEAVERS, Polarity.HIGHER_IS_BETTER),
    "foster_approvals": Polarity.HIGHER_IS_BETTER,
    "foster_deregistrations": Polarity.LOWER_IS_BETTER,
    "foster_enquiries": Polarity.HIGHER_IS_BETTER,
}

# At 31 March 2018 ... 2025.
AT_MARCH = {
    "early_help": [477, 702, 486, 436, 624, 670, 679, 546],
    "assessments": [398, 788, 630, 789, 582, 635, 718, 677],
    "children_in_need": [941, 883, 810, 856, 558, 624, 658, 677],
    "cp_plans": [829, 584, 671, 485, 409, 333, 473, 353],
    "children_in_care": [767, 901, 874, 888, 844, 802, 808, 816],
    "care_experienced": [268, 282, 324, 328, 355, 356, 366, 390],
}
AT_MARCH_YEARS = range(2018, 2026)

# 2018-19 ... 2024-25, stored against March of the year's end (2019 ... 2025).
YEAR_TOTALS = {
    "referrals": [6364, 6381, 5397, 4454, 4205, 4497, 3728],
    "s47_enquiries": [2559, 2222, 2012, 1865, 1733, 1690, 1247],
    "icpc": [953, 913, 804, 554, 482, 611, 422],
    "entered_care": [330, 184, 214, 154, 160, 188, 265],
    "ceased_care": [195, 217, 194, 198, 210, 173, 260],
}
YEAR_TOTAL_ENDS = range(2019, 2026)
PUBLISHED_RATES = {
    "referrals": ["758", "753", "633", "525", "491", "506", "429.3"],
    "s47_enquiries": ["305", "262", "236", "220", "202", "195", "143.61"],
    "icpc": ["114", "108", "94", "65", "56", "70", "61.7"],
}
RE_REFERRALS = {2024: "20.9", 2025: "22.9"}

# March 2024 ... March 2025.
FOSTER_MONTHS = [Period(2024, 3).shift(n) for n in range(13)]
FOSTER_MONTHLY = {
    "placed_internal_foster": [285, 283, 280, 277, 269, 276, 268, 272, 269, 272, 270, 267, 266],
    "placed_external_foster": [300, 309, 310, 308, 294, 284, 287, 288, 296, 293, 302, 300, 295],
}
# Only March 2024: March 2025 is given as 77 in one section and 79 in another.
RESIDENTIAL_MARCH_2024 = 62

# 2019-20 by quarter (June, September, December 2019, March 2020): only the rows that
# are one placement type each; secure, family centre and NHS placements are not stored.
QUARTER_ENDS = [Period(2019, 6), Period(2019, 9), Period(2019, 12), Period(2020, 3)]
QUARTERLY_2019_20 = {
    "placed_internal_foster": [168, 151, 167, 160],
    "placed_connected": [182, 196, 190, 192],
    "placed_external_foster": [335, 350, 334, 329],
    "placed_with_parents": [84, 81, 74, 79],
    "placed_residential": [49, 49, 48, 51],
    "placed_supported_living": [60, 56, 49, 36],
    "placed_for_adoption": [28, 26, 22, 20],
    "placed_other": [0, 4, 5, 5],
}

# ILLUSTRATIVE: the care leavers' outcomes for 2022-23 ... 2024-25 (percent), stored against
# March 2023 ... 2025. Not published in the seeds.
ILLUSTRATIVE_YEAR_ENDS = range(2023, 2026)
ILLUSTRATIVE_LEAVERS = {
    "care_leavers_in_touch": ["92.0", "93.5", "94.1"],
    "care_leavers_eet": ["52.3", "54.8", "55.6"],
    "care_leavers_suitable_accommodation": ["87.9", "89.2", "90.4"],
}
# ILLUSTRATIVE: (code, year, statistical neighbour average, England) for 2023-24.
ILLUSTRATIVE_AVERAGES = [
    ("care_leavers_in_touch", 2024, "91.0", "92.0"),
    ("care_leavers_eet", 2024, "51.0", "56.0"),
    ("care_leavers_suitable_accommodation", 2024, "87.0", "88.0"),
]

# Children we care for, rate per 10,000 at March 2024.
CIC_RATES_2024 = {
    "Birmingham": 79,
    "Blackburn with Darwen": 86,
    "Coventry": 84,
    "Derby": 100,
    "Luton": 62,
    "Nottingham": 100,
    "Peterborough": 75,
    "Stoke-on-Trent": 191,
    "Walsall": 95,
    "Wolverhampton": 80,
    ENGLAND: 70,
}
# (code, year, published statistical neighbour average, England, West Midlands)
AVERAGES = [
    ("children_in_care", 2024, "95.2", "70", None),
    ("cp_plans", 2024, "50.2", "41.6", None),
    ("referrals", 2025, "610.6", "518.3", "484.5"),
]


def _value(
    measure, period, span, value, *, published_rate=None, source=REVIEW_2025, illustrative=False
):
    MeasureValue.objects.update_or_create(
        measure=measure,
        period=period,
        span=span,
        defaults={
            "value": Decimal(value),
            "published_rate": None if published_rate is None else Decimal(published_rate),
            "source": source,
            "illustrative": illustrative,
        },
    )


@transaction.atomic
def load_demo_demand() -> int:
    """Measures, every published figure, the authorities, both neighbour groups. Idempotent."""
    ChildPopulation.objects.update_or_create(
        financial_year_start=2024,
        defaults={"children": CHILD_POPULATION_2024, "source": "Annual review 2024-25"},
    )
    measures = {}
    for order, (code, title, group, unit, kind, per_10000) in enumerate(MEASURES):
        defaults = {
            "title": title,
            "group": group,
            "unit": unit,
            "decimal_places": Unit(unit).usual_places,
            "kind": kind,
            "per_10000": per_10000,
            "yearly": code in CARE_LEAVERS,
            "polarity": POLARITY.get(code, ""),
            "order": order,
            **TARGETS.get(code, {}),
        }
        measures[code], _ = Measure.objects.update_or_create(code=code, defaults=defaults)
    year, month = MeasureValue.Span.YEAR, MeasureValue.Span.MONTH
    for code, values in AT_MARCH.items():
        for end, value in zip(AT_MARCH_YEARS, values, strict=True):
            _value(measures[code], Period(end, 3), year, value)
    for code, values in YEAR_TOTALS.items():
        rates = PUBLISHED_RATES.get(code, [None] * len(values))
        for end, value, rate in zip(YEAR_TOTAL_ENDS, values, rates, strict=True):
            _value(measures[code], Period(end, 3), year, value, published_rate=rate)
    for end, value in RE_REFERRALS.items():
        _value(measures["re_referral_rate"], Period(end, 3), year, value)
    for code, values in FOSTER_MONTHLY.items():
        for period, value in zip(FOSTER_MONTHS, values, strict=True):
            _value(measures[code], period, month, value)
    _value(measures["placed_residential"], Period(2024, 3), month, RESIDENTIAL_MARCH_2024)
    for code, values in QUARTERLY_2019_20.items():
        for period, value in zip(QUARTER_ENDS, values, strict=True):
            _value(measures[code], period, month, value, source=REVIEW_2020)
    for code, values in ILLUSTRATIVE_LEAVERS.items():
        for end, value in zip(ILLUSTRATIVE_YEAR_ENDS, values, strict=True):
            _value(
                measures[code], Period(end, 3), year, value, source=ILLUSTRATIVE, illustrative=True
            )
    load_demo_comparators()
    return len(measures)


def load_demo_comparators() -> None:
    """The published comparators of the measures, in the comparator store."""
    neighbours = load_demo_neighbours()
    authorities, old = neighbours.authorities, neighbours.to_may_2025
    for name, value in CIC_RATES_2024.items():
        ComparatorValue.objects.update_or_create(
            code="children_in_care",
            authority=authorities[name],
            year=2024,
            defaults={"value": Decimal(value), "source": REVIEW_2025},
        )
    for code, year, average, england, region in AVERAGES:
        PublishedAverage.objects.update_or_create(
            code=code,
            group=old,
            year=year,
            defaults={"value": Decimal(average), "source": REVIEW_2025},
        )
        for name, value in ((ENGLAND, england), (WEST_MIDLANDS, region)):
            if value is not None:
                ComparatorValue.objects.update_or_create(
                    code=code,
                    authority=authorities[name],
                    year=year,
                    defaults={"value": Decimal(value), "source": REVIEW_2025},
                )
    for code, year, average, england in ILLUSTRATIVE_AVERAGES:
        basis = {"year_basis": YearBasis.FINANCIAL_YEAR}
        PublishedAverage.objects.update_or_create(
            code=code,
            group=old,
            year=year,
            defaults={"value": Decimal(average), "source": ILLUSTRATIVE, **basis},
        )
        ComparatorValue.objects.update_or_create(
            code=code,
            authority=authorities[ENGLAND],
            year=year,
            defaults={"value": Decimal(england), "source": ILLUSTRATIVE, **basis},
        )
