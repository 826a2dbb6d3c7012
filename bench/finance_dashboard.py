"""
Benchmark: the finance dashboard and the finance API against 1 and 10 years of monthly data.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/finance_dashboard.py

Builds finance plans and monthly figures in a throwaway PostgreSQL database (created
and dropped with Django's test-database machinery by bench/_harness.py), renders each
page through the test client as a signed-in reviewer and prints, for each page and
each amount of history, the median server time of 20 renders and the number of SQL
queries. The last line is one JSON object.

The cases, both for the reporting month March 2025:

1. "1y": the 2024-25 plan (19 lines, 3 cost drivers) and its 12 approved monthly
   returns, each with its version, events and figures.
2. "10y": nine more plans, 2015-16 to 2023-24, and their 108 months, added before it:
   120 months of returns and figures.

It reports figures and never asserts a time: it exits non-zero only when it cannot
run (no database, a page that does not answer 200).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from _harness import (
    analyse,
    measure,
    page_parser,
    say,
    setup_django,
    table,
    throwaway_database,
)

REPORTING_MONTH = "2025-03"
LAST_YEAR = 2024
YEARS = 10
GOAL_DASHBOARD_MS = 100


def parse_args() -> argparse.Namespace:
    return page_parser(__doc__).parse_args()


# --- data --------------------------------------------------------------------------


def people():
    from opb_portal.accounts.demo import load_organisations
    from opb_portal.accounts.models import Organisation, Role, User

    organisations = load_organisations()
    submitter = User.objects.create_user(
        username="bench-finance",
        role="finance_submitter",
        organisation=organisations[Organisation.Kind.TRUST],
    )
    reviewer = User.objects.create_user(
        username="bench-reviewer",
        role=Role.REVIEWER,
        organisation=organisations[Organisation.Kind.COUNCIL],
    )
    return organisations[Organisation.Kind.TRUST], submitter, reviewer


def build_year(start_year: int, trust, submitter, reviewer) -> None:
    """One year's plan, as the demonstration's, and 12 approved returns applied to it."""
    from finance import demo
    from finance.models import FinanceYear
    from finance.returns import spec
    from opb_portal.periods import FinancialYear
    from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion

    budgets = {line.code: line.budget for line in demo.PLAN_2024}
    year = demo.load_plan(
        start_year,
        contract_sum=demo.CONTRACT_SUM,
        opening=demo.OPENING_DEFICIT,
        budgets=budgets,
        driver_plans={code: plan for code, _measure, plan, _series in demo.DRIVERS_2024},
        notes="Benchmark",
    )
    assert isinstance(year, FinanceYear)
    months = list(demo.month_data().values())
    for period, data in zip(FinancialYear(start_year).months(), months, strict=True):
        ret = Return.objects.create(organisation=trust, domain="finance", period=period)
        version = ReturnVersion.objects.create(
            ret=ret, number=1, data=data, source="benchmark", created_by=submitter
        )
        ret.current_version = ret.approved_version = version
        ret.status = Return.Status.APPROVED
        ret.save()
        ReturnEvent.objects.bulk_create(
            ReturnEvent(
                ret=ret,
                version=version,
                action=action,
                user=user,
                from_status=from_status,
                to_status=to_status,
            )
            for action, user, from_status, to_status in (
                ("saved", submitter, "draft", "draft"),
                ("submitted", submitter, "draft", "submitted"),
                ("approved", reviewer, "submitted", "approved"),
            )
        )
        spec.apply(version=version)


def figure_rows() -> int:
    from finance.models import DriverFigure, FinanceFigure

    return FinanceFigure.objects.count() + DriverFigure.objects.count()


def main() -> int:
    args = parse_args()
    setup_django()
    from django.test import Client

    urls = {
        "dashboard": f"/finance/?period={REPORTING_MONTH}",
        "api": f"/api/v1/finance/?period={REPORTING_MONTH}",
    }
    results: dict[str, dict[str, dict]] = {}
    rows: dict[str, int] = {}
    with throwaway_database():
        trust, submitter, reviewer = people()
        client = Client()
        client.force_login(reviewer)

        def run(case: str) -> None:
            analyse()
            rows[case] = figure_rows()
            say(f"measuring {case} ({rows[case]:,} figure rows)")
            results[case] = {
                page: measure(client, url, args.runs, args.warmup, args.show_queries)
                for page, url in urls.items()
            }

        say("building 2024-25")
        build_year(LAST_YEAR, trust, submitter, reviewer)
        run("1y")
        say(f"building {YEARS - 1} earlier years")
        for start_year in range(LAST_YEAR - YEARS + 1, LAST_YEAR):
            build_year(start_year, trust, submitter, reviewer)
        run("10y")

    one, ten = results["1y"], results["10y"]
    print(
        f"Finance dashboard benchmark: reporting month {REPORTING_MONTH}, median of {args.runs} "
        f"renders after {args.warmup} warm-up(s), {os.cpu_count()} CPU(s)"
    )
    print(f"1y = 12 months ({rows['1y']:,} figure rows); 10y = 120 months ({rows['10y']:,})")
    print()
    print(table(results, case_heading="history", case_width=8))
    print()
    flat = all(one[page]["queries"] == ten[page]["queries"] for page in one)
    for page in one:
        print(
            f"  {page:<10} time x{ten[page]['ms'] / one[page]['ms']:.2f} at 10 years;"
            f" queries {one[page]['queries']} -> {ten[page]['queries']}"
            f" ({'equal' if one[page]['queries'] == ten[page]['queries'] else 'NOT equal'})"
        )
    meets = flat and ten["dashboard"]["ms"] < GOAL_DASHBOARD_MS
    print(
        f"Goal: constant query count ({'yes' if flat else 'no'}) and the dashboard under "
        f"{GOAL_DASHBOARD_MS} ms at 10 years ({ten['dashboard']['ms']} ms): "
        f"{'met' if meets else 'NOT met'}"
    )
    figures = {
        f"{page}_{key}_{case}": results[case][page][field]
        for case in results
        for page in urls
        for key, field in (("ms", "ms"), ("queries", "queries"))
    }
    figures |= {
        "months": YEARS * 12,
        "figure_rows_10y": rows["10y"],
        "runs": args.runs,
        "queries_constant": flat,
        "goal_dashboard_ms": GOAL_DASHBOARD_MS,
        "meets_goal": meets,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
