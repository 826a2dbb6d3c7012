"""
Benchmark: how big one partnership's database and files are after one year and after ten.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/database_size.py

Feeds docs/scaling.md's capacity model with measured sizes instead of guesses. In a
throwaway PostgreSQL database (bench/_harness.py):

1. "1y": the whole demonstration (`manage.py load_demo`: 2024-25 approved KPI,
   finance and workforce returns, demand, governance, the annual review, the demo
   meeting), then the March 2025 pack issued once. It reads `pg_database_size`, the
   biggest tables' `pg_total_relation_size` and row counts, and the bytes of the stored
   files (issued packs, uploads, job results), and renders the pack and the annual
   review once more to time them and weigh their PDFs; it fetches each domain's
   monthly workbook template (what a submitter uploads) to weigh an upload.
2. "10y": the same database with nine earlier years added by the other benchmarks'
   builders: 60 KPIs x 120 months (bench/scorecard.py), nine more finance plans and
   their 108 approved returns (bench/finance_dashboard.py), 108 more approved workforce
   returns (bench/workforce_dashboard.py), 120 months of every demand measure and 150
   more authorities' published figures for ten years (bench/demand.py).

The builders do not make meetings, actions, risks, the audit log or the outbox's mail,
so for the tables that did not grow from 1y to 10y the script also prints an
extrapolation: their 1y size ten times over (a year of governance, like the demo's,
each year). Measured and extrapolated figures are printed apart. It asserts nothing;
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

from _harness import analyse, say, setup_django, throwaway_database

TOP_TABLES = 15
MONTHS_A_YEAR = 12
YEARS = 10
# Templates a submitter fills in each month, one per domain with a monthly return.
TEMPLATES = {
    "kpis": "kpi.submitter",
    "finance": "finance.submitter",
    "workforce": "workforce.submitter",
}


def parse_args() -> argparse.Namespace:
    return argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip()).parse_args()


def directory_bytes(root: Path) -> tuple[int, int]:
    """(files, bytes) under `root`."""
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def database_figures() -> dict:
    """The database's size and its biggest tables (with indexes and TOAST) and their rows."""
    from django.db import connection

    analyse()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
        # reltuples after ANALYZE: exact enough for sizing, and one query for every table.
        cursor.execute(
            """
            SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid),
                   GREATEST(c.reltuples, 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public'
            ORDER BY 2 DESC
            """
        )
        tables = {
            name: {"bytes": total, "heap_bytes": heap, "rows": rows}
            for name, total, heap, rows in cursor.fetchall()
        }
    return {"database_bytes": size, "tables": tables}


def file_figures() -> dict:
    from django.conf import settings

    figures = {}
    for name, root in (
        ("packs", settings.PACK_ROOT),
        ("uploads", settings.UPLOAD_ROOT),
        ("jobs", settings.JOB_ROOT),
    ):
        count, size = directory_bytes(Path(root))
        figures[name] = {"files": count, "bytes": size}
    return figures


def documents() -> dict:
    """The March pack and the annual review rendered once more: seconds, CPU, pages, bytes."""
    from django.utils import timezone

    from opb_portal.boardpack import render, selectors
    from opb_portal.boardpack.demo import DEMO_MEETING
    from opb_portal.boardpack.models import Meeting
    from opb_portal.periods import FinancialYear, Period

    meeting = Meeting.objects.get(date=DEMO_MEETING)
    figures = {}
    for name, build in (
        (
            "pack",
            lambda: render.render_pack(selectors.pack_contents(Period(2025, 3), meeting=meeting)),
        ),
        (
            "annual_review",
            lambda: render.render_annual_review(
                selectors.annual_review(FinancialYear(2024)), timezone.now()
            ),
        ),
    ):
        build()  # warm: fonts, templates, imports
        start, start_cpu = time.perf_counter(), time.process_time()
        rendered = build()
        figures[name] = {
            "s": round(time.perf_counter() - start, 2),
            "cpu_s": round(time.process_time() - start_cpu, 2),
            "pages": rendered.pages,
            "bytes": len(rendered.pdf),
        }
    return figures


def templates() -> dict[str, int]:
    """Bytes of each domain's monthly workbook as the portal hands it out (an upload's size)."""
    from django.test import Client

    from opb_portal.accounts.models import User

    sizes = {}
    for domain, username in TEMPLATES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(f"/returns/{domain}/template/2025-04.xlsx")
        if response.status_code != 200:
            raise SystemExit(
                f"bench/database_size: the {domain} template answered {response.status_code}"
            )
        sizes[domain] = len(response.content)
    return sizes


def bench_module(name: str):
    """Another benchmark's builders, by file (`import demand` would find the app)."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", Path(__file__).parent / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_nine_years() -> None:
    """The other benchmarks' builders, run against the demonstration's people and plans."""
    from opb_portal.accounts.models import User
    from workforce.models import CaseloadFigure, WorkforceMonth

    finance_dashboard, scorecard, workforce_dashboard, demand_module = (
        bench_module(name)
        for name in ("finance_dashboard", "scorecard", "workforce_dashboard", "demand")
    )

    submitters = {name: User.objects.get(username=name) for name in TEMPLATES.values()}
    reviewer = User.objects.get(username="reviewer")
    trust = submitters["finance.submitter"].organisation

    say("KPIs: 60 KPIs x 120 months (bench/scorecard.py)")
    framework, kpis, series, _ = scorecard.build_one_year()
    scorecard.extend_to_ten_years(framework, kpis, series)
    say("finance: nine earlier plans and their 108 returns (bench/finance_dashboard.py)")
    for start_year in range(2015, 2024):
        finance_dashboard.build_year(start_year, trust, submitters["finance.submitter"], reviewer)
    say("workforce: the 108 earlier months' returns (bench/workforce_dashboard.py)")
    # The demonstration already holds 2024-25 and the 2019-20 caseloads of seed 004.
    taken = set(WorkforceMonth.objects.values_list("period", flat=True))
    taken |= set(CaseloadFigure.objects.values_list("period", flat=True))
    months = [m for m in workforce_dashboard.periods((2015, 4), (2024, 3)) if m not in taken]
    workforce_dashboard.build_months(
        months, trust, submitters["workforce.submitter"], reviewer, random.Random(2015)
    )
    say("demand: 120 months of every measure, 150 more authorities (bench/demand.py)")
    demand_module.grow(random.Random(2016))


def extrapolated(empty: dict, one: dict, ten: dict) -> tuple[int, dict[str, int]]:
    """
    Tables the builders left alone (meetings, actions, audit log, outbox...) grow by a year
    like the demo's each year: nine more years of what the demo year added to each (its
    size less the empty schema's, so the pages every table has when empty count once).
    Returns the bytes added, and by table.
    """
    added = {}
    for name, figures in one["tables"].items():
        grown = figures["bytes"] - empty["tables"].get(name, {"bytes": 0})["bytes"]
        if ten["tables"].get(name, figures)["bytes"] == figures["bytes"] and grown > 0:
            added[name] = grown * (YEARS - 1)
    return sum(added.values()), added


def print_tables(title: str, figures: dict) -> None:
    print(f"{title}: database {figures['database_bytes'] / 2**20:,.1f} MB")
    print(f"  {'table':<45}{'MB':>9}{'rows':>12}{'bytes/row':>11}")
    for name, t in list(figures["tables"].items())[:TOP_TABLES]:
        per_row = t["bytes"] / t["rows"] if t["rows"] else 0
        print(f"  {name:<45}{t['bytes'] / 2**20:>9.2f}{t['rows']:>12,}{per_row:>11,.0f}")


def main() -> int:
    parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from opb_portal.accounts.models import User
    from opb_portal.boardpack import services
    from opb_portal.boardpack.demo import DEMO_MEETING
    from opb_portal.boardpack.models import Meeting

    with throwaway_database():
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), current_setting('max_connections')::int")
            version, max_connections = cursor.fetchone()
        empty = database_figures()
        say("loading the demonstration (one year, 2024-25)")
        call_command("load_demo", stdout=io.StringIO())
        meeting = Meeting.objects.get(date=DEMO_MEETING)
        services.pack_issue(meeting=meeting, user=meeting.chair)
        say("measuring the demo year")
        one = database_figures()
        one_files = file_figures()
        say("rendering the pack and the annual review")
        docs = documents()
        workbook = templates()
        say("adding nine earlier years")
        add_nine_years()
        ten = database_figures()
        users = User.objects.count()

    extra, extra_by_table = extrapolated(empty, one, ten)
    pack = docs["pack"]
    upload_mean = sum(workbook.values()) / len(workbook)
    # Files over ten years: a pack per monthly OPB plus a quarterly SPB pack, each issued
    # once or twice (a reissue); an annual review frozen a year; every monthly return
    # uploaded as a workbook once or twice (a correction is a new version).
    packs_10y = YEARS * (MONTHS_A_YEAR + 4) * 1.5 * pack["bytes"]
    reviews_10y = YEARS * 2 * docs["annual_review"]["bytes"]
    uploads_10y = YEARS * MONTHS_A_YEAR * len(workbook) * 1.5 * upload_mean
    figures = {
        "postgres": version.split(",")[0],
        "max_connections": max_connections,
        "db_empty_mb": round(empty["database_bytes"] / 2**20, 1),
        "db_1y_mb": round(one["database_bytes"] / 2**20, 1),
        "db_10y_measured_mb": round(ten["database_bytes"] / 2**20, 1),
        "db_10y_with_extrapolation_mb": round((ten["database_bytes"] + extra) / 2**20, 1),
        "extrapolated_tables_mb": round(extra / 2**20, 1),
        "files_1y": one_files,
        "pack": pack,
        "annual_review": docs["annual_review"],
        "workbook_bytes": workbook,
        "files_10y_mb": {
            "packs": round(packs_10y / 2**20, 1),
            "annual_reviews": round(reviews_10y / 2**20, 1),
            "uploads": round(uploads_10y / 2**20, 1),
        },
        "users": users,
        "top_tables_10y": dict(list(ten["tables"].items())[:TOP_TABLES]),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"{figures['postgres']}, max_connections {max_connections}; {os.cpu_count()} CPUs")
    print(f"The empty schema (migrated, no data): {figures['db_empty_mb']} MB")
    print_tables("1y (the demonstration, the March pack issued)", one)
    print_tables("10y (measured: the builders' nine earlier years added)", ten)
    print(
        f"10y with the governance tables extrapolated (x{YEARS} of the demo year, "
        f"{len(extra_by_table)} tables, +{extra / 2**20:.1f} MB): "
        f"{figures['db_10y_with_extrapolation_mb']} MB"
    )
    for name, size in sorted(extra_by_table.items(), key=lambda item: -item[1])[:8]:
        print(f"  +{size / 2**20:7.2f} MB {name}")
    print(
        "Files after 1y: "
        + ", ".join(f"{k} {v['files']} ({v['bytes'] / 1024:,.0f} KB)" for k, v in one_files.items())
    )
    for name, d in docs.items():
        print(
            f"{name}: {d['pages']} pages, {d['bytes'] / 1024:,.0f} KB,"
            f" {d['s']} s ({d['cpu_s']} s CPU)"
        )
    print(
        "Monthly workbook templates: "
        + ", ".join(f"{k} {v / 1024:,.0f} KB" for k, v in workbook.items())
    )
    print(f"Files over 10 years (modelled): {figures['files_10y_mb']}")
    print(f"Load average while measuring: {figures['load_average']}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
