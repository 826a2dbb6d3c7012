"""
Benchmark: building the March 2025 board pack and the 2024-25 annual review draft, and
downloading an issued pack.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/board_pack.py

Loads the whole demonstration (`manage.py load_demo`: frameworks, 2024-25 as approved
KPI, workforce and finance returns, demand figures, the demo users and the demo OPB
meeting, so that the March pack is issuable) into a throwaway PostgreSQL database (created and
dropped with Django's test-database machinery), then times, each as the median of
`--runs` (5) after one warm-up:

1. `pack`: assembling the March 2025 pack from every registered section and rendering
   it to PDF with WeasyPrint (what Preview and Issue do), outside the web stack;
2. `annual_review`: the same for the 2024-25 annual review draft;
3. `download`: `GET /packs/<id>.pdf` of an issued pack through the test client, as a
   board member (the stored bytes, checked against their SHA-256).

It prints pages, seconds per page, peak Python memory (tracemalloc, during one build)
and the process's peak resident size, and never asserts a time: it exits non-zero only
when it cannot run. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import tracemalloc

from _harness import setup_django, throwaway_database, timed

GOAL_PACK_S = 3.0
GOAL_DOWNLOAD_MS = 50.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--runs", type=int, default=5, help="timed builds per case (5)")
    parser.add_argument("--downloads", type=int, default=20, help="timed downloads (20)")
    return parser.parse_args()


def peak_python_memory(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    args = parse_args()
    setup_django()

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from opb_portal.accounts.models import User
    from opb_portal.boardpack import render, selectors, services
    from opb_portal.boardpack.demo import DEMO_MEETING
    from opb_portal.boardpack.models import Meeting
    from opb_portal.periods import FinancialYear, Period

    with throwaway_database():
        # What `make demo` loads; its report of what it loaded is not a figure.
        call_command("load_demo", stdout=io.StringIO())
        meeting = Meeting.objects.get(date=DEMO_MEETING)
        period, year = Period(2025, 3), FinancialYear(2024)

        def build_pack():
            return render.render_pack(selectors.pack_contents(period, meeting=meeting))

        def build_review():
            review = selectors.annual_review(year)
            return render.render_annual_review(review, timezone.now())

        pack_times, pack_cpu, pack = timed(build_pack, args.runs)
        review_times, review_cpu, review = timed(build_review, args.runs)
        pack_memory = peak_python_memory(build_pack)
        review_memory = peak_python_memory(build_review)

        issue = services.pack_issue(meeting=meeting, user=meeting.chair)
        client = Client()
        client.force_login(User.objects.get(username="board"))
        url = f"/packs/{issue.pk}.pdf"

        def download():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            return response

        download_times, _, response = timed(download, args.downloads)
        if response.content != issue.read():
            raise SystemExit("the download differs from the stored issue")

    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pack_s, review_s = statistics.median(pack_times), statistics.median(review_times)
    download_ms = statistics.median(download_times) * 1000
    figures = {
        "pack_s": round(pack_s, 3),
        "pack_min_s": round(min(pack_times), 3),
        "pack_max_s": round(max(pack_times), 3),
        "pack_cpu_s": round(statistics.median(pack_cpu), 3),
        "pack_pages": pack.pages,
        "pack_s_per_page": round(pack_s / pack.pages, 3),
        "pack_kb": round(len(pack.pdf) / 1024, 1),
        "pack_peak_python_mb": round(pack_memory / 2**20, 1),
        "annual_review_s": round(review_s, 3),
        "annual_review_cpu_s": round(statistics.median(review_cpu), 3),
        "annual_review_pages": review.pages,
        "annual_review_s_per_page": round(review_s / review.pages, 3),
        "annual_review_peak_python_mb": round(review_memory / 2**20, 1),
        "download_ms": round(download_ms, 2),
        "download_max_ms": round(max(download_times) * 1000, 2),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "runs": args.runs,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "goal_pack_s": GOAL_PACK_S,
        "goal_download_ms": GOAL_DOWNLOAD_MS,
        "meets_goal": pack_s < GOAL_PACK_S and download_ms < GOAL_DOWNLOAD_MS,
    }
    heading = ("case", "median", "min", "max", "cpu", "pages", "s/page", "peak MB")
    print("{:<15}{:>10}{:>10}{:>10}{:>10}{:>7}{:>9}{:>9}".format(*heading))
    print("-" * 80)
    for name, times, cpu, pages, memory in (
        ("pack", pack_times, pack_cpu, pack.pages, pack_memory),
        ("annual review", review_times, review_cpu, review.pages, review_memory),
    ):
        median = statistics.median(times)
        print(
            f"{name:<15}{median:>9.3f}s{min(times):>9.3f}s{max(times):>9.3f}s"
            f"{statistics.median(cpu):>9.3f}s{pages:>7}{median / pages:>9.3f}{memory / 2**20:>9.1f}"
        )
    print(
        f"{'download':<15}{download_ms:>8.2f}ms{min(download_times) * 1000:>8.2f}ms"
        f"{max(download_times) * 1000:>8.2f}ms"
    )
    print(f"Load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"Peak resident size of the process: {rss_kb / 1024:.1f} MB")
    print(
        f"Goal: the pack under {GOAL_PACK_S:.0f} s ({pack_s:.2f} s) and a download under "
        f"{GOAL_DOWNLOAD_MS:.0f} ms ({download_ms:.1f} ms): "
        + ("met" if figures["meets_goal"] else "NOT met")
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
