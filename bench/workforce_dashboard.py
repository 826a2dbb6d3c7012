"""
Benchmark: the workforce dashboard and the workforce API against 1 and 10 years of history.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/workforce_dashboard.py

Builds monthly workforce figures, with caseloads for three services and an
approved return behind every month, in a throwaway PostgreSQL database
(created and dropped with Django's test-database machinery), fetches each page
through the test client as a signed-in reviewer and prints, for each page and
each amount of history, the median server time of 20 renders and the number of
SQL queries. The last line of the output is one JSON object with the figures.

The cases, both for the reporting month March 2025:

1. "1y": April 2024 to March 2025, twelve months.
2. "10y": the 108 months before added, so April 2015 to March 2025 (and one rule
   revised in April 2019, which only the long history reaches back past).

It reports figures and ratios and never asserts a time: it exits non-zero only
when it cannot run (no database, a page that does not answer 200).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
from decimal import Decimal

from _harness import (
    analyse,
    measure,
    page_parser,
    say,
    setup_django,
    table,
    throwaway_database,
)

PERIOD = "2025-03"
SHORT_START = (2024, 4)
LONG_START = (2015, 4)
MONTHS = 120
SERVICES = [
    ("AI", "Assessment and Intervention", "22"),
    ("CCP", "Court and Child Protection", "15"),
    ("CWCF", "Children we Care for", "15"),
]


def parse_args() -> argparse.Namespace:
    return page_parser(__doc__).parse_args()


# --- data --------------------------------------------------------------------------


def periods(start: tuple[int, int], end: tuple[int, int]):
    from opb_portal.periods import Period

    first, last = Period(*start), Period(*end)
    return [first.shift(i) for i in range(last.months_since(first) + 1)]


def build_reference():
    """The Trust, a submitter and a reviewer, three services, their models and the rules."""
    from opb_portal.accounts.models import Organisation, Role, User
    from workforce.models import CaseloadStandard, Service, WorkforceRule

    trust = Organisation.objects.create(kind="trust", name="Sandwell Children's Trust")
    council = Organisation.objects.create(kind="council", name="Sandwell Council")
    submitter = User.objects.create_user(
        username="bench-submitter", role="workforce_submitter", organisation=trust
    )
    reviewer = User.objects.create_user(
        username="bench-reviewer", role=Role.REVIEWER, organisation=council
    )
    start = datetime.date(*LONG_START, 1)
    for order, (code, name, model) in enumerate(SERVICES):
        service = Service.objects.create(code=code, name=name, order=order, first_month=start)
        CaseloadStandard.objects.create(
            service=service, effective_from=start, average_children=Decimal(model)
        )
    for kind in ("caseload", "asye_share", "agency_share"):
        green, red = ("100", "120") if kind == "caseload" else ("20", "25")
        WorkforceRule.objects.create(
            measure=kind,
            effective_from=start,
            polarity="lower_is_better",
            green_upper=Decimal(green),
            red_above=Decimal(red),
        )
    return trust, submitter, reviewer


def build_months(months, trust, submitter, reviewer, rng: random.Random) -> None:
    """Figures, caseloads and an approved return (three events) for each month."""
    from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion
    from workforce.models import CaseloadFigure, Service, WorkforceMonth

    services = list(Service.objects.order_by("order"))
    figures, caseloads, returns = [], [], []
    data_by_month = {}
    for month in months:
        permanent = Decimal(rng.randint(9000, 11500)) / 100
        asye = Decimal(rng.randint(2500, 4800)) / 100
        agency = Decimal(rng.randint(2500, 3800)) / 100
        data = {
            "ESTABLISHMENT": {"value": "187", "commentary": ""},
            "PERM_EXCL_ASYE": {"value": str(permanent), "commentary": ""},
            "ASYE": {"value": str(asye), "commentary": ""},
            "AGENCY": {"value": str(agency), "commentary": ""},
        }
        for service in services:
            children, fte = rng.randint(700, 1400), Decimal(rng.randint(450, 620)) / 10
            data[service.children_code] = {"value": str(children), "commentary": ""}
            data[service.fte_code] = {"value": str(fte), "commentary": ""}
            caseloads.append(
                CaseloadFigure(service=service, period=month, children=children, fte=fte)
            )
        figures.append(
            WorkforceMonth(
                period=month,
                establishment_fte=Decimal(187),
                permanent_excl_asye_fte=permanent,
                asye_fte=asye,
                agency_fte=agency,
            )
        )
        returns.append(
            Return(organisation=trust, domain="workforce", period=month, status="approved")
        )
        data_by_month[month] = data
    Return.objects.bulk_create(returns)
    versions = ReturnVersion.objects.bulk_create(
        ReturnVersion(
            ret=ret, number=1, data=data_by_month[ret.period], source="bench", created_by=submitter
        )
        for ret in returns
    )
    for ret, version in zip(returns, versions, strict=True):
        ret.current_version = ret.approved_version = version
    Return.objects.bulk_update(returns, ["current_version", "approved_version"])
    ReturnEvent.objects.bulk_create(
        ReturnEvent(
            ret=ret, version=version, action=action, from_status=before, to_status=after, user=user
        )
        for ret, version in zip(returns, versions, strict=True)
        for action, user, before, after in (
            ("saved", submitter, "draft", "draft"),
            ("submitted", submitter, "draft", "submitted"),
            ("approved", reviewer, "submitted", "approved"),
        )
    )
    for figure, version in zip(figures, versions, strict=True):
        figure.version = version
    WorkforceMonth.objects.bulk_create(figures)
    CaseloadFigure.objects.bulk_create(caseloads)


def revise_a_rule() -> None:
    """Only the long history has months before this revision."""
    from workforce.models import WorkforceRule

    WorkforceRule.objects.create(
        measure="asye_share",
        effective_from=datetime.date(2019, 4, 1),
        polarity="lower_is_better",
        green_upper=Decimal(18),
        red_above=Decimal(24),
    )


def main() -> int:
    args = parse_args()
    setup_django()
    from django.test import Client

    urls = {
        "dashboard": f"/workforce/?period={PERIOD}",
        "api": f"/api/v1/workforce/?period={PERIOD}",
    }
    results: dict[str, dict[str, dict]] = {}
    with throwaway_database():
        rng = random.Random(20250331)
        trust, submitter, reviewer = build_reference()
        end = (2025, 3)
        say("building 12 months of workforce figures")
        build_months(periods(SHORT_START, end), trust, submitter, reviewer, rng)
        client = Client()
        client.force_login(reviewer)

        def run(case: str) -> None:
            analyse()
            say(f"measuring {case}")
            results[case] = {
                page: measure(client, url, args.runs, args.warmup, args.show_queries)
                for page, url in urls.items()
            }

        run("1y")
        say("adding the 108 months before")
        build_months(periods(LONG_START, (2024, 3)), trust, submitter, reviewer, rng)
        revise_a_rule()
        run("10y")

    one, ten = results["1y"], results["10y"]
    print(
        f"Workforce dashboard benchmark: reporting month {PERIOD}, three services, an approved "
        f"return behind every month; median of {args.runs} renders after {args.warmup} "
        f"warm-up(s), {os.cpu_count()} CPU(s)"
    )
    print(f"1y = 12 months of figures; 10y = {MONTHS} months")
    print()
    print(table(results, case_heading="history", case_width=8))
    print()
    print("Ratios, 10 years over 1 year:")
    for page in one:
        same = one[page]["queries"] == ten[page]["queries"]
        print(
            f"  {page:<10} time x{ten[page]['ms'] / one[page]['ms']:.2f};"
            f" queries {one[page]['queries']} -> {ten[page]['queries']}"
            f" ({'equal' if same else 'NOT equal'})"
        )
    constant = all(one[page]["queries"] == ten[page]["queries"] for page in one)
    figures = {}
    for page in one:
        for label, case in (("1y", one), ("10y", ten)):
            figures[f"{page}_ms_{label}"] = case[page]["ms"]
            figures[f"{page}_queries_{label}"] = case[page]["queries"]
    figures.update({"months": MONTHS, "runs": args.runs, "queries_constant": constant})
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
