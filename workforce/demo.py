"""
Demonstration workforce data.

The thirteen months of the Trust's published workforce table (section (f) of
the 2024-25 annual review, March 2024 to March 2025, in
fixtures/workforce_2024_25.csv) are loaded as approved workforce returns, so
March 2025 shows 179.42 FTE against 187, 20.7% agency, a 23.9% permanent and a
4.1% real-time vacancy rate. Only the typed columns are loaded; the published
totals and percentages are what the portal derives (tests/workforce check it).

Caseloads by service are not published month by month: the ones here are
ILLUSTRATIVE, chosen so that March 2025 gives the published average workload of
17.75 children per social worker, and marked so on every page. The caseload
tables by service of the 2019-20 annual review are loaded as published history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.reference.published import workforce_rows
from opb_portal.submissions.demo import approved_return

from .models import CaseloadFigure, CaseloadStandard, Service, WorkforceRule
from .returns import spec as workforce_return

SOURCE_2024 = "Annual review 2024-25, section (f)"
SOURCE_2019 = "Annual review 2019-20, demand for staff"
ILLUSTRATIVE = "Illustrative: generated to agree with the published average workload"
CURRENT = datetime.date(2024, 3, 1)
YEAR_2019 = (datetime.date(2019, 4, 1), datetime.date(2020, 3, 1))

SERVICES = [
    # code, name, order, first month, last month
    ("AI", "Assessment and Intervention", 1, CURRENT, None),
    ("CCP", "Court and Child Protection", 2, CURRENT, None),
    ("CWCF", "Children we Care for", 3, CURRENT, None),
    ("SAAT", "Safeguarding and Assessment (SAAT)", 11, *YEAR_2019),
    ("CMCWD", "Care Management and Children with Disabilities", 12, *YEAR_2019),
    ("CIC", "Children in Care", 13, *YEAR_2019),
    ("CL", "Care Leavers", 14, *YEAR_2019),
    ("FOST", "Fostering", 15, *YEAR_2019),
]

STANDARDS = [
    # service, effective from, average children, ASYE reduction %, source
    ("AI", CURRENT, "22", "20", SOURCE_2024),
    ("CCP", CURRENT, "15", "20", SOURCE_2024),
    ("CWCF", CURRENT, "15", "20", SOURCE_2024),
    # The 2019-20 model (the Commissioner's 2017 work); SAAT, care leavers and fostering
    # had none in children per social worker.
    ("CMCWD", YEAR_2019[0], "18", "20", SOURCE_2019),
    ("CIC", YEAR_2019[0], "15", "20", SOURCE_2019),
]

RULES = [
    # measure, green up to (inclusive), red above, source, reason
    (
        WorkforceRule.Measure.CASELOAD,
        "100",
        "120",
        "Illustrative: set for the demonstration",
        "The caseload model gives averages, not tolerances: at or under the model is green; "
        "more than a fifth over it is red.",
    ),
    (
        WorkforceRule.Measure.ASYE_SHARE,
        "20",
        "25",
        "The Trust's aim (annual review 2019-20); the red bound is illustrative",
        "The Trust aims never to have more than 20% of its social workers in their ASYE.",
    ),
    (
        WorkforceRule.Measure.AGENCY_SHARE,
        "20",
        "25",
        "Illustrative: set for the demonstration",
        "Agency social workers cost more and stay less: a share over a fifth needs attention.",
    ),
]

# ILLUSTRATIVE caseloads, March 2024 to March 2025: (children, case-holding FTE) of
# Assessment and Intervention, Court and Child Protection, Children we Care for.
# Children we Care for follow the demonstration's PI7 counts (808 at 31 March 2024,
# 816 at 31 March 2025) and Court and Child Protection the PI4 counts plus about 400
# children in proceedings; the FTE follow total social workers. March 2025 adds up to
# 2,840 children on 160 FTE: 17.75, the published average workload.
CASELOADS = {
    "2024-03": ((1335, "58.1"), (885, "46.5"), (808, "50.3")),
    "2024-04": ((1322, "57.5"), (876, "46.0"), (813, "49.9")),
    "2024-05": ((1298, "55.0"), (857, "44.0"), (822, "47.7")),
    "2024-06": ((1310, "55.0"), (846, "44.0"), (829, "47.7")),
    "2024-07": ((1287, "55.4"), (825, "44.3"), (835, "48.0")),
    "2024-08": ((1301, "55.8"), (810, "44.7"), (838, "48.4")),
    "2024-09": ((1352, "59.5"), (796, "47.6"), (841, "51.6")),
    "2024-10": ((1366, "60.2"), (788, "48.1"), (836, "52.1")),
    "2024-11": ((1340, "59.9"), (779, "47.9"), (832, "51.9")),
    "2024-12": ((1318, "58.0"), (770, "46.4"), (829, "50.3")),
    "2025-01": ((1296, "58.4"), (760, "46.7"), (826, "50.6")),
    "2025-02": ((1284, "58.8"), (747, "47.0"), (821, "50.9")),
    "2025-03": ((1270, "60.00"), (754, "48.00"), (816, "52.00")),
}
CURRENT_SERVICES = ("AI", "CCP", "CWCF")

# Published, 2019-20: cases and case-holding FTE by service, April 2019 to March 2020.
HISTORY_2019 = {
    "SAAT": (
        (818, 802, 886, 925, 719, 701, 914, 948, 901, 889, 898, 746),
        ("32.80", "31.80", "30.80", "29.80", "26.60", "29.60", "32.60", "29.60", "29.60",
         "26.60", "23.80", "24.80"),
    ),
    "CMCWD": (
        (1994, 1920, 1914, 1903, 1895, 1789, 1805, 1840, 1826, 1803, 1782, 1754),
        ("100.1", "100.1", "97.0", "95.8", "97.8", "96.8", "100.8", "101.8", "101.8", "100.9",
         "94.0", "97.0"),
    ),
    "CIC": (
        (664, 667, 675, 678, 675, 681, 680, 667, 658, 631, 631, 631),
        ("35.00", "35.00", "35.00", "35.00", "37.00", "37.00", "36.00", "29.60", "34.00",
         "33.00", "33.00", "32.50"),
    ),
    "CL": (
        (181, 194, 194, 201, 207, 216, 221, 225, 232, 267, 259, 259),
        ("8.8", "9.8", "9.8", "9.8", "11.8", "11.8", "11.8", "11.8", "12.8", "12.8", "12.8",
         "12.8"),
    ),
    "FOST": (
        (283, 286, 265, 257, 272, 277, 281, 273, 269, 274, 264, 265),
        ("21.39", "20.39", "18.39", "20.39", "22.09", "22.79", "20.79", "20.90", "19.90",
         "17.90", "19.90", "19.90"),
    ),
}  # fmt: skip

COMMENTARY = {
    ("2024-09", "ASYE"): (
        "The Social Work Academy's 32 ASYEs started in September 2024: the share falls as "
        "they complete their assessed year."
    ),
    ("2024-10", "ASYE"): "The September 2024 ASYE cohort is in its first months.",
    # Where the published documents disagree on December 2024: the portal's figures are the
    # annual review's table; the return's commentary says what the Scrutiny report gave.
    ("2024-12", "AGENCY"): (
        "The Scrutiny Board report of 24 March 2025 (4.16) gives 83.7% permanent and 16.3% "
        "agency for December 2024; the annual review's workforce table, from which these "
        "figures are worked out, gives 16.4%."
    ),
    ("2024-12", "PERM_EXCL_ASYE"): (
        "The Scrutiny Board report of 24 March 2025 (4.16) gives a permanent vacancy rate of "
        "21.5% for December 2024; the annual review's workforce table (145.13 permanent "
        "social workers against 187) gives 22.4%."
    ),
}


def month_data(row: dict) -> dict[str, dict[str, str]]:
    """One month of the published table (and its caseloads) as a return version holds it."""
    month = row["month"]
    typed = {
        "ESTABLISHMENT": row["establishment_fte"],
        "PERM_EXCL_ASYE": row["permanent_excl_asye"],
        "ASYE": row["asye"],
        "AGENCY": row["agency_social_workers"],
    }
    for code, (children, fte) in zip(CURRENT_SERVICES, CASELOADS[month], strict=True):
        typed[f"{code}_CHILDREN"] = str(children)
        typed[f"{code}_FTE"] = fte
    return {
        code: {"value": value, "commentary": COMMENTARY.get((month, code), "")}
        for code, value in typed.items()
    }


def _approved_return(*, period: Period, data: dict, submitter, reviewer) -> None:
    """
    Record a month as an approved return (see `submissions.demo.approved_return`),
    then mark what the Trust did not publish as illustrative.
    """
    if not approved_return(
        domain=workforce_return.domain,
        period=period,
        data=data,
        submitter=submitter,
        reviewer=reviewer,
    ):
        return
    CaseloadFigure.objects.filter(period=period).update(illustrative=True, source=ILLUSTRATIVE)


def load_reference() -> dict[str, Service]:
    """Services, the caseload models and the RAG rules: what an administrator keeps."""
    services = {}
    for code, name, order, first, last in SERVICES:
        services[code], _ = Service.objects.update_or_create(
            code=code,
            defaults={"name": name, "order": order, "first_month": first, "last_month": last},
        )
    for code, effective_from, children, reduction, source in STANDARDS:
        CaseloadStandard.objects.update_or_create(
            service=services[code],
            effective_from=effective_from,
            defaults={
                "average_children": Decimal(children),
                "asye_reduction": Decimal(reduction),
                "source": source,
            },
        )
    for measure, green_upper, red_above, source, reason in RULES:
        WorkforceRule.objects.update_or_create(
            measure=measure,
            effective_from=YEAR_2019[0],
            defaults={
                "polarity": "lower_is_better",
                "green_upper": Decimal(green_upper),
                "green_upper_inclusive": True,
                "red_above": Decimal(red_above),
                "red_above_inclusive": False,
                "source": source,
                "reason": reason,
            },
        )
    return services


def _load_2019_history(services: dict[str, Service]) -> None:
    months = Period(2020, 3).last_n(12)
    for code, (children, fte) in HISTORY_2019.items():
        for month, count, holders in zip(months, children, fte, strict=True):
            CaseloadFigure.objects.update_or_create(
                service=services[code],
                period=month,
                defaults={
                    "children": count,
                    "fte": Decimal(holders),
                    "illustrative": False,
                    "source": SOURCE_2019,
                    "version": None,
                },
            )


@transaction.atomic
def load_demo_workforce() -> int:
    """The reference data, 2019-20 caseloads, and March 2024 to March 2025 as approved returns."""
    services = load_reference()
    _load_2019_history(services)
    submitter = User.objects.get(username="workforce.submitter")
    reviewer = User.objects.get(username="reviewer")
    rows = workforce_rows()
    for row in rows:
        _approved_return(
            period=Period.parse(row["month"]),
            data=month_data(row),
            submitter=submitter,
            reviewer=reviewer,
        )
    return len(rows)
