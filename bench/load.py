"""
Load and soak: simulated people against gunicorn on PostgreSQL, with locust.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 10 --duration 1m       # a quick look
    .venv/bin/python bench/load.py --soak 30m                     # memory and connections

Creates a throwaway database beside the one in DATABASE_URL (bench/_harness.py),
loads the demonstration into it with `manage.py load_demo`, and serves it with
gunicorn (2 sync workers, as docs/operations.md runs it) under the production
settings: DJANGO_DEBUG=0, a fresh secret key, collected static files, and
DJANGO_BEHIND_PROXY=1 with every request saying `X-Forwarded-Proto: https`, as
the reverse proxy would, so that no security setting is relaxed for the test.

Then locust (bench/_locustfile.py, headless) runs 50 people for 5 minutes: board
members reading the scorecard, KPI pages, the finance, workforce and demand
dashboards and a benchmark page and downloading the issued pack; KPI submitters
(each with an account of their own, made here like the demonstration's
kpi.submitter) uploading the month's workbook, reading the preview and
cancelling it; analysts reading the
JSON API with a token. Every 30 seconds it samples the resident memory of the
gunicorn workers (/proc) and the database's connections (pg_stat_activity).

It prints, per page, requests, requests per second, p50/p95/p99 and errors, the
samples, and as the last line one JSON object. The goal, reported and never
asserted: no errors, p95 under 500 ms for pages and under 3 s for the upload.
It exits non-zero only when it cannot run (no database, a server that does not start).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _harness import REPO, say, setup_django, throwaway_database

PERIOD = "2025-03"
UPLOAD_MONTH = "2025-04"
FRAMEWORK = "2024"
MEETING = "2025-04-17"
BENCHMARK = "children_in_care"
PASSWORD = "opb-demo-password"
GOAL_PAGE_P95_MS = 500
GOAL_UPLOAD_P95_MS = 3000
UPLOAD_PAGES = {"upload and preview"}
BIN = Path(sys.executable).parent


def duration(text: str) -> int:
    """Seconds from 300, 300s, 5m, 1h or 1h30m."""
    found = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text.strip())
    if not text.strip() or not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 300, 5m or 1h30m")
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        return float(low), float(high or low)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a range of seconds like 3-10") from error


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--users", type=int, help="simulated people (50; 200 with --scale-out)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="people started per second (5)")
    parser.add_argument(
        "--duration",
        type=duration,
        help="how long to run: 300, 5m, 1h30m (5m; 2m for each of --scale-out's runs)",
    )
    parser.add_argument(
        "--soak",
        type=duration,
        metavar="DURATION",
        help="a soak: run this long instead (e.g. 30m), sampling memory and connections",
    )
    parser.add_argument(
        "--sample-every", type=duration, default=30, help="seconds between samples (30)"
    )
    parser.add_argument(
        "--think", type=think, default=(3.0, 10.0), help="seconds between a person's pages (3-10)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--scale-out",
        action="store_true",
        help="nginx before two gunicorn instances, PostgreSQL with a streaming replica: "
        "a steady run, one with an app server killed, one with the replica lagging "
        "(bench/_scale_out.py; --users 200 --duration 2m per run unless given)",
    )
    args = parser.parse_args()
    args.users = args.users or (200 if args.scale_out else 50)
    args.duration = args.duration or (120 if args.scale_out else 300)
    if args.soak:
        args.duration = args.soak
    return args


# --- the server --------------------------------------------------------------------


def server_environment(database: str, folder: Path, **more: str) -> dict[str, str]:
    """The production settings, on the throwaway database, files in a temporary folder
    (every instance of a scale-out run shares it, as they would a mounted volume)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opb_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{database}")),
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_UPLOAD_ROOT": str(folder / "uploads"),
        "DJANGO_PACK_ROOT": str(folder / "packs"),
        "DJANGO_JOB_ROOT": str(folder / "jobs"),
        **more,
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=REPO, capture_output=True, text=True
    )
    if done.returncode != 0:
        say(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        raise SystemExit(2)
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(
    base: str, server: subprocess.Popen, log: Path, who: str = "gunicorn"
) -> None:
    request = urllib.request.Request(base + "/healthz", headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=2) as answer:
            if answer.status == 200:
                return
        time.sleep(0.5)
    say(f"{who} did not answer /healthz; its log:\n{log.read_text()[-3000:]}")
    raise SystemExit(2)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log: Path):
    """
    gunicorn as docs/operations.md runs it; stopped (SIGTERM, then SIGKILL) on the way out.
    In a session of its own, so that a scale-out run can kill it with its workers at once.
    """
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "opb_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=120",
            ],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server, log)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- sampling memory and connections -------------------------------------------------


def workers_of(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    with contextlib.suppress(OSError):
        return sorted(int(pid) for pid in path.read_text().split())
    return []


def rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def connections(database: str) -> tuple[int, int]:
    """The database's connections (and how many are running a query), not counting ours."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cursor.fetchone()


class Sampler(threading.Thread):
    """Every `every` seconds: the workers' RSS and the database's connections."""

    def __init__(self, master: int, database: str, every: int):
        super().__init__(daemon=True)
        self.master, self.database, self.every = master, database, every
        self.samples: list[dict] = []
        self.started = time.monotonic()
        self.stopping = threading.Event()

    def sample(self) -> dict:
        workers = workers_of(self.master)
        total, active = connections(self.database)
        found = {
            "t_s": round(time.monotonic() - self.started),
            "workers": {str(pid): rss_mb(pid) for pid in workers},
            "master_mb": rss_mb(self.master),
            "connections": total,
            "active": active,
            "load": round(os.getloadavg()[0], 2),
        }
        self.samples.append(found)
        rss = ", ".join(f"{pid}: {mb} MB" for pid, mb in found["workers"].items())
        say(
            f"t={found['t_s']:>5}s workers {rss}; database connections {total} "
            f"({active} active); load {found['load']}"
        )
        return found

    def run(self) -> None:
        from django.db import connection

        try:
            due = self.started
            while True:
                self.sample()
                due += self.every  # on the clock, not after each sample: no drift
                if self.stopping.wait(max(0.0, due - time.monotonic())):
                    break
            self.sample()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


# --- locust --------------------------------------------------------------------------


def run_locust(args, base: str, config: Path, folder: Path, prefix: str = "load") -> Path:
    """Headless locust; its CSV of figures (`prefix`_stats.csv) is read afterwards."""
    log = folder / f"{prefix}-locust.log"
    command = [
        str(BIN / "locust"),
        f"--locustfile={REPO / 'bench' / '_locustfile.py'}",
        "--headless",
        "--only-summary",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.duration}s",
        f"--host={base}",
        f"--csv={folder / prefix}",
        "--stop-timeout=30",
        "--exit-code-on-error=0",
        "--loglevel=WARNING",
    ]
    with log.open("w") as output:
        done = subprocess.run(
            command,
            env={**os.environ, "OPB_LOAD_CONFIG": str(config)},
            stdout=output,
            stderr=output,
        )
    stats = folder / f"{prefix}_stats.csv"
    if done.returncode != 0 or not stats.exists():
        say(f"locust failed ({done.returncode}); its log:\n{log.read_text()[-4000:]}")
        raise SystemExit(2)
    return folder


def read_stats(folder: Path, prefix: str = "load") -> tuple[dict[str, dict], dict, list[dict]]:
    def figures(row: dict) -> dict:
        return {
            "requests": int(row["Request Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50_ms": int(float(row["50%"])),
            "p95_ms": int(float(row["95%"])),
            "p99_ms": int(float(row["99%"])),
            "errors": int(row["Failure Count"]),
        }

    pages, total = {}, {}
    with (folder / f"{prefix}_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                total = figures(row)
            else:
                pages[row["Name"]] = figures(row)
    with (folder / f"{prefix}_failures.csv").open() as failures:
        errors = list(csv.DictReader(failures))
    # An exception in a simulated person's code is no request, but still an error.
    with (folder / f"{prefix}_exceptions.csv").open() as exceptions:
        for row in csv.DictReader(exceptions):
            count = int(row["Count"])
            total["errors"] += count
            errors.append(
                {"Method": "", "Name": "(exception)", "Error": row["Message"], "Occurrences": count}
            )
    return pages, total, errors


def prepared(database: str) -> dict:
    """What the simulated people need from the database: KPI codes, March's figures."""
    from kpis.models import KpiDefinition
    from opb_portal.submissions.models import Return

    codes = list(
        KpiDefinition.objects.filter(framework__code=FRAMEWORK).values_list("code", flat=True)
    )
    march = Return.objects.get(domain="kpis", period=f"{PERIOD}-01")
    return {"kpi_codes": codes, "figures": march.approved_version.data}


def submitter_accounts(count: int, model: str = "kpi.submitter") -> list[str]:
    """
    `count` accounts like the demonstration's `model` (its organisation, role and password),
    one for each simulated submitter: a person keeps only their last few staged uploads, so
    simulated people sharing one account would discard each other's previews.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    like = User.objects.get(username=model)
    names = [f"{model}.{n}" for n in range(1, count + 1)]
    User.objects.bulk_create(
        User(
            username=name,
            first_name=like.first_name,
            last_name=f"{like.last_name} {n}".strip(),
            email=f"{name}@example.org",
            organisation=like.organisation,
            role=like.role,
            password=like.password,  # the same hash: no key stretching 200 times over
        )
        for n, name in enumerate(names, start=1)
    )
    return names


# --- reporting -----------------------------------------------------------------------


def meets_goal(pages: dict[str, dict], total: dict) -> bool:
    return total["errors"] == 0 and all(
        figures["p95_ms"] < (GOAL_UPLOAD_P95_MS if name in UPLOAD_PAGES else GOAL_PAGE_P95_MS)
        for name, figures in pages.items()
    )


def page_table(pages: dict[str, dict], total: dict) -> str:
    head = f"{'page':<22} {'requests':>9} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    head += f" {'errors':>7}"
    lines = [head, "-" * len(head)]
    for name, r in [*sorted(pages.items()), ("all", total)]:
        if name == "all":
            lines.append("-" * len(head))
        lines.append(
            f"{name:<22} {r['requests']:>9} {r['rps']:>7.2f} {r['p50_ms']:>7} {r['p95_ms']:>7}"
            f" {r['p99_ms']:>7} {r['errors']:>7}"
        )
    return "\n".join(lines)


def sample_summary(samples: list[dict]) -> dict:
    """First, last and largest of the workers' total RSS and of the connections."""
    totals = [round(sum(mb or 0 for mb in s["workers"].values()), 1) for s in samples]
    links = [s["connections"] for s in samples]
    return {
        "samples": len(samples),
        "workers_rss_mb_first": totals[0],
        "workers_rss_mb_last": totals[-1],
        "workers_rss_mb_max": max(totals),
        "connections_first": links[0],
        "connections_last": links[-1],
        "connections_max": max(links),
        "worker_pids_changed": len({tuple(s["workers"]) for s in samples}) > 1,
    }


def sample_table(samples: list[dict]) -> str:
    lines = [f"{'t s':>6}  {'workers RSS MB':<28} {'connections':>11} {'active':>6} {'load':>5}"]
    for s in samples:
        rss = " + ".join(f"{mb}" for mb in s["workers"].values())
        lines.append(
            f"{s['t_s']:>6}  {rss:<28} {s['connections']:>11} {s['active']:>6} {s['load']:>5}"
        )
    return "\n".join(lines)


def server_errors(log: Path) -> int:
    """Tracebacks and ERROR lines the server wrote while under load."""
    text = log.read_text(errors="replace")
    return text.count("Traceback") + text.count('"level": "ERROR"')


def main() -> int:
    args = parse_args()
    if args.scale_out:
        from _scale_out import scale_out

        return scale_out(args)
    setup_django()
    load_before, started = os.getloadavg(), time.strftime("%Y-%m-%d %H:%M %Z")
    with tempfile.TemporaryDirectory(prefix="opb-load-") as scratch, throwaway_database() as name:
        folder = Path(scratch)
        env = server_environment(name, folder)
        say(f"loading the demonstration into {name} (manage.py load_demo)")
        manage(env, "load_demo")
        say("collecting static files (manage.py collectstatic)")
        manage(env, "collectstatic", "--noinput")
        token = manage(env, "api_token", "board").strip()
        config = folder / "config.json"
        config.write_text(
            json.dumps(
                {
                    **prepared(name),
                    "submitters": submitter_accounts(args.users),
                    "period": PERIOD,
                    "upload_month": UPLOAD_MONTH,
                    "framework": FRAMEWORK,
                    "meeting": MEETING,
                    "benchmark": BENCHMARK,
                    "password": PASSWORD,
                    "api_token": token,
                    "think": args.think,
                }
            )
        )
        from django.db import connection

        connection.close()  # ours would count among the database's connections
        port, server_log = free_port(), folder / "gunicorn.log"
        base = f"http://127.0.0.1:{port}"
        with gunicorn(env, port, args.workers, server_log) as server:
            sampler = Sampler(server.pid, name, args.sample_every)
            sampler.start()
            say(
                f"{'soaking' if args.soak else 'running'}: {args.users} people for "
                f"{args.duration} s against {base}, {args.workers} gunicorn workers"
            )
            try:
                run_locust(args, base, config, folder)
            finally:
                sampler.stop()
        pages, total, failures = read_stats(folder)
        logged_errors = server_errors(server_log)
    load_after = os.getloadavg()

    print(
        f"Load: {args.users} simulated people for {args.duration} s "
        f"({'soak' if args.soak else 'run'}), think time {args.think[0]:g}-{args.think[1]:g} s, "
        f"gunicorn {args.workers} sync workers, PostgreSQL on loopback; started {started}"
    )
    print(
        f"{os.cpu_count()} CPUs; load average before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    print()
    print(page_table(pages, total))
    for failure in failures:
        print(
            f"  error: {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"x{failure['Occurrences']}"
        )
    print(f"Server log: {logged_errors} tracebacks or ERROR lines")
    print()
    print(
        f"Samples every {args.sample_every} s (gunicorn workers' RSS; the database's connections):"
    )
    print(sample_table(sampler.samples))
    summary = sample_summary(sampler.samples)
    print(
        f"Workers' RSS {summary['workers_rss_mb_first']} -> {summary['workers_rss_mb_last']} MB "
        f"(max {summary['workers_rss_mb_max']}); connections {summary['connections_first']} -> "
        f"{summary['connections_last']} (max {summary['connections_max']})"
    )
    meets = meets_goal(pages, total) and logged_errors == 0
    print(
        f"Goal: no errors ({total['errors']}), p95 under {GOAL_PAGE_P95_MS} ms for pages and "
        f"under {GOAL_UPLOAD_P95_MS} ms for the upload: {'met' if meets else 'NOT met'}"
    )
    figures = {
        "users": args.users,
        "duration_s": args.duration,
        "soak": bool(args.soak),
        "rps": total["rps"],
        "requests": total["requests"],
        "errors": total["errors"],
        "server_errors_logged": logged_errors,
        "p50_ms": total["p50_ms"],
        "p95_ms": total["p95_ms"],
        "p99_ms": total["p99_ms"],
        "pages": pages,
        "memory_and_connections": summary,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "goal_page_p95_ms": GOAL_PAGE_P95_MS,
        "goal_upload_p95_ms": GOAL_UPLOAD_P95_MS,
        "meets_goal": meets,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
