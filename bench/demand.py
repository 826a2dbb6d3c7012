"""
Benchmark: the demand dashboard and a benchmark page, cold and warm, on the demonstration
data and on ten years of monthly figures with every English authority as a comparator.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/demand.py

Loads the demonstration's demand measures, published figures, authorities and
neighbour groups (with the finance plan the dashboard sets against them) into a
throwaway PostgreSQL database (created and dropped by bench/_harness.py), fetches
each page through the test client as a signed-in reviewer and prints, for each
page and case, the first render (cold), the median of 20 renders after 2 warm-ups
(warm) and the number of SQL queries. The last line is one JSON object.

The cases:

1. "demo": the demonstration data as `manage.py load_demo` loads it.
2. "10y": 120 months of monthly figures (April 2015 to March 2025) added for every
   measure, and 150 more local authorities with a figure for every measure and
   every year 2015 to 2024, to show the query counts do not grow with either.

"Cold" is the first render of the page in the case: in the first case also the
first in the process (its templates compiled, its code imported), after one
request to /healthz has warmed the middleware. It reports figures and never
asserts a time: it exits non-zero only when it cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal

from _harness import (
    analyse,
    get,
    measure,
    page_parser,
    say,
    setup_django,
    table,
    throwaway_database,
)

BENCHMARK = "children_in_care"
MONTHS = 120
EXTRA_AUTHORITIES = 150
YEARS = range(2015, 2025)


def parse_args() -> argparse.Namespace:
    return page_parser(__doc__).parse_args()


# --- data --------------------------------------------------------------------------


def load_demonstration():
    """The demonstration's people, finance plan and demand figures; the reviewer."""
    from demand.demo import load_demo_demand
    from finance.demo import load_demo_finance
    from opb_portal.accounts.demo import load_demo_users
    from opb_portal.accounts.models import User

    load_demo_users()
    load_demo_finance()
    load_demo_demand()
    return User.objects.get(username="reviewer")


def grow(rng: random.Random) -> int:
    """Case 10y: monthly figures for every measure, every authority of England; rows added."""
    from demand.models import Measure, MeasureValue
    from opb_portal.comparators.models import Authority, ComparatorValue
    from opb_portal.periods import Period

    months = [Period(2015, 4).shift(n) for n in range(MONTHS)]
    taken = set(
        MeasureValue.objects.filter(span=MeasureValue.Span.MONTH).values_list(
            "measure_id", "period"
        )
    )
    measures = list(Measure.objects.all())
    values = MeasureValue.objects.bulk_create(
        MeasureValue(
            measure=measure,
            period=month,
            span=MeasureValue.Span.MONTH,
            value=Decimal(rng.randint(50, 900)),
            source="bench/demand.py",
        )
        for measure in measures
        for month in months
        if (measure.pk, month) not in taken
    )
    authorities = Authority.objects.bulk_create(
        Authority(
            name=f"Bench authority {n}",
            kind=Authority.Kind.LOCAL_AUTHORITY,
            region="Benchmark region",
        )
        for n in range(1, EXTRA_AUTHORITIES + 1)
    )
    comparators = ComparatorValue.objects.bulk_create(
        ComparatorValue(
            code=measure.code,
            authority=authority,
            year=year,
            value=Decimal(rng.randint(300, 1500)) / 10,
            source="bench/demand.py",
        )
        for measure in measures
        for authority in authorities
        for year in YEARS
    )
    return len(values) + len(authorities) + len(comparators)


def demand_rows() -> int:
    from demand.models import MeasureValue
    from opb_portal.comparators.models import ComparatorValue

    return MeasureValue.objects.count() + ComparatorValue.objects.count()


# --- measuring ---------------------------------------------------------------------


def cold_and_warm(client, url: str, args) -> dict:
    """The first render's time, then `measure`'s warm figures."""
    start = time.perf_counter()
    get(client, url)
    first_ms = round((time.perf_counter() - start) * 1000, 1)
    return {"cold_ms": first_ms, **measure(client, url, args.runs, args.warmup, args.show_queries)}


def main() -> int:
    args = parse_args()
    setup_django()
    from django.test import Client

    urls = {"dashboard": "/demand/", "benchmark": f"/benchmarks/{BENCHMARK}/"}
    results: dict[str, dict[str, dict]] = {}
    rows: dict[str, int] = {}
    with throwaway_database():
        say("loading the demonstration's demand data")
        reviewer = load_demonstration()
        client = Client()
        client.force_login(reviewer)
        get(client, "/healthz")

        def run(case: str) -> None:
            analyse()
            rows[case] = demand_rows()
            say(f"measuring {case} ({rows[case]:,} figure and comparator rows)")
            results[case] = {page: cold_and_warm(client, url, args) for page, url in urls.items()}

        run("demo")
        say(f"adding {MONTHS} months for every measure and {EXTRA_AUTHORITIES} authorities")
        grow(random.Random(20250331))
        run("10y")

    demo, ten = results["demo"], results["10y"]
    print(
        f"Demand benchmark: the dashboard (latest month) and /benchmarks/{BENCHMARK}/ "
        f"(default year); median of {args.runs} renders after {args.warmup} warm-up(s), "
        f"{os.cpu_count()} CPU(s)"
    )
    print(
        f"demo = the demonstration ({rows['demo']:,} rows); 10y = {MONTHS} months for every "
        f"measure and {EXTRA_AUTHORITIES} more authorities ({rows['10y']:,} rows)"
    )
    print()
    print(table(results, case_heading="data", case_width=6))
    print()
    print("Cold (first render in the case) against warm (median):")
    for case, by_page in results.items():
        for page, r in by_page.items():
            print(f"  {page:<10} {case:<5} cold {r['cold_ms']:>7.1f} ms, warm {r['ms']:>6.1f} ms")
    flat = all(demo[page]["queries"] == ten[page]["queries"] for page in demo)
    for page in demo:
        print(
            f"  {page:<10} time x{ten[page]['ms'] / demo[page]['ms']:.2f} at 10y;"
            f" queries {demo[page]['queries']} -> {ten[page]['queries']}"
            f" ({'equal' if demo[page]['queries'] == ten[page]['queries'] else 'NOT equal'})"
        )
    figures = {
        f"{page}_{key}_{case}": results[case][page][key]
        for case in results
        for page in urls
        for key in ("cold_ms", "ms", "queries")
    }
    figures |= {
        "rows_demo": rows["demo"],
        "rows_10y": rows["10y"],
        "runs": args.runs,
        "queries_constant": flat,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
