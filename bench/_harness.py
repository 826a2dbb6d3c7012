"""
What every database benchmark in bench/ shares: Django on the test settings, a
throwaway PostgreSQL database that is dropped however the script ends, and the
timing and query counting of a page through the test client.

One place, so that the scripts' figures are measured the same way and compare.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.argv[0]).stem
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/opb_portal"


def page_parser(doc: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes; a script adds its own before parsing."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0].strip())
    parser.add_argument("--runs", type=int, default=20, help="timed renders per case (20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed renders first (2)")
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of each counted render"
    )
    return parser


def say(message: str) -> None:
    """Progress goes to stderr: stdout is the figures, ending with the JSON line."""
    print(f"bench/{SCRIPT}: {message}", file=sys.stderr, flush=True)


def setup_django() -> None:
    """
    The test settings: PostgreSQL only, a fixed key, the fast password hasher.
    Never debug mode, which records every query and slows every page down.
    """
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    os.environ["DJANGO_SETTINGS_MODULE"] = "opb_portal.test_settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        import django

        django.setup()
    except ImportError as error:
        say(f"cannot import Django ({error}): run it with the project's .venv/bin/python")
        raise SystemExit(2) from error


def database_name() -> str:
    """`BENCH_DATABASE` if set (a naming scheme on a shared server), else one per process."""
    return os.environ.get("BENCH_DATABASE") or f"opb_bench_{os.getpid()}"


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """
    Create the benchmark's database beside the one in DATABASE_URL, which is never
    written to, migrations included; drop it on the way out, after Ctrl-C or SIGTERM too.
    """
    from django.db import OperationalError, connection

    # Ctrl-C already unwinds through `finally`; make SIGTERM and SIGHUP do the same.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _: sys.exit(128 + signum))
    old_name = connection.settings_dict["NAME"]
    name = database_name()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    except OperationalError as error:
        say(f"cannot create the throwaway database: {error}")
        say("set DATABASE_URL, or run it under scripts/with_postgres.py")
        raise SystemExit(2) from error
    try:
        yield name
    finally:
        say("dropping the throwaway database")
        connection.creation.destroy_test_db(old_name, verbosity=0)


def analyse() -> None:
    """Fresh planner statistics after bulk loading, as autovacuum would give a real database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring a page ----------------------------------------------------------------


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench/{SCRIPT}: GET {url} answered {response.status_code}")
    return response


def measure(client, url: str, runs: int, warmup: int, show_queries: bool = False) -> dict:
    """
    The median (min, max) of `runs` timed renders after `warmup` untimed ones, the median
    CPU time of the process in those renders, the SQL
    queries of one render and the size of the response.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        get(client, url)
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url)
    # Read now: the next request clears the connection's query log.
    queries = [query["sql"] for query in captured.captured_queries]
    if show_queries:
        print(f"-- {url}: {len(queries)} queries")
        for sql in queries:
            print(f"   {sql[:160]}")
    gc.collect()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        get(client, url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "ms": round(statistics.median(times), 1),
        # CPU of this process (the page's Python work, not PostgreSQL's): on a shared
        # machine other work moves it far less than the wall time.
        "cpu_ms": round(statistics.median(cpu), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "kb": round(len(response.content) / 1024, 1),
    }


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float], object]:
    """
    Wall-clock and CPU seconds of each of `runs` calls after one warm-up (imports,
    font discovery, template compilation): on a shared machine the CPU time is the steadier.
    """
    function()
    wall, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu, result


def table(results: dict[str, dict[str, dict]], *, case_heading: str, case_width: int) -> str:
    """`measure`'s figures, one line per case and page."""
    head = f"{'page':<10} {case_heading:<{case_width}} {'median ms':>10} {'min ms':>8}"
    head += f" {'max ms':>8} {'cpu ms':>8} {'queries':>8} {'KB':>7}"
    lines = [head, "-" * len(head)]
    for case, by_page in results.items():
        for page, r in by_page.items():
            lines.append(
                f"{page:<10} {case:<{case_width}} {r['ms']:>10.1f} {r['min_ms']:>8.1f}"
                f" {r['max_ms']:>8.1f} {r['cpu_ms']:>8.1f} {r['queries']:>8} {r['kb']:>7.1f}"
            )
    return "\n".join(lines)
