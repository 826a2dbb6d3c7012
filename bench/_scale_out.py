"""
`bench/load.py --scale-out`: the portal as it runs past one machine, on loopback.

    .venv/bin/python bench/load.py --scale-out                  # 200 people, 3 runs of 2 min
    .venv/bin/python bench/load.py --scale-out --users 50 --duration 1m

- PostgreSQL: a primary and a streaming replica from Debian's binaries
  (scripts/replica_cluster.py: initdb, pg_basebackup -R, pg_ctl), thrown away afterwards.
- Two gunicorn instances (production settings, DJANGO_BEHIND_PROXY=1, DATABASE_REPLICA_URL
  set), sharing one folder for uploads, packs and job results as they would a mounted volume.
- nginx (Debian's nginx-light, installed when missing and root) on a free loopback port,
  balancing the two with `proxy_next_upstream error timeout http_502` and max_fails.
- The same simulated people as the one-machine run (bench/_locustfile.py), through nginx.

Three runs, each on fresh figures:

1. steady: both app servers and the replica up;
2. stopped: half-way through, one app server is killed (SIGKILL to gunicorn and its workers,
   as a machine that dies). Requests it was serving at that moment are "in flight" (counted
   from nginx's log: started before the kill, ended after it, on that server); the goal is
   no failed request beyond those;
3. lag: from a third of the way through, replay on the replica is paused for a third of the
   run, and a KPI's title is changed on the primary. A reader who has written nothing lately
   reads the scorecard every 2 s: the replica's older page, stale by how much; a writer signs
   in (a write) after the change and reads it at once: with their read-your-writes cookie
   they see the change (primary), and the replica's page again once the cookie has expired.

Figures and a last JSON line; nothing asserted on wall time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import load
from _harness import REPO, say, setup_django

sys.path.insert(0, str(REPO / "scripts"))
from replica_cluster import replicated_cluster  # noqa: E402

NGINX = "/usr/sbin/nginx"
LAG_MARKER = " [changed while the replica lagged]"


def ensure_nginx() -> None:
    """Debian's nginx-light, installed as the other system tools are when missing and root."""
    if os.access(NGINX, os.X_OK):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("nginx is missing: apt-get install nginx-light (or make system-tools)")
        raise SystemExit(2)
    say("installing nginx-light (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "nginx-light"]):
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


NGINX_CONF = """
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
daemon off;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    client_max_body_size 20m;
    # When it ended, how long it took, what it answered, which app server(s) answered.
    log_format timed '$msec $request_time $status "$upstream_addr" "$upstream_status" '
                     '$request_method';
    upstream portal {{
        server 127.0.0.1:{first} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{second} max_fails=1 fail_timeout=30s;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {folder}/nginx-access.log timed;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The port too: Django's CSRF check compares the Origin with the Host.
            proxy_set_header Host $http_host;
            # Here nginx plays the TLS-terminating proxy of docs/operations.md.
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A server that refuses or drops the connection: try the other one. nginx never
            # retries a POST it has already sent (it may have been acted on).
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(folder: Path, port: int, first: int, second: int):
    """nginx before the two app servers; stopped (QUIT, then KILL) on the way out."""
    conf = folder / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        NGINX_CONF.format(folder=folder, port=port, first=first, second=second, user=user)
    )
    log = folder / "nginx-error.log"
    log.touch()
    server = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        load.wait_until_healthy(f"http://127.0.0.1:{port}", server, log, who="nginx")
        yield server
    finally:
        server.send_signal(signal.SIGQUIT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def access_log(folder: Path) -> list[dict]:
    entries = []
    for line in (folder / "nginx-access.log").read_text().splitlines():
        ended, took, status, upstream, upstream_status, method = line.split(" ", 5)
        entries.append(
            {
                "ended": float(ended),
                "took": float(took),
                "status": int(status),
                "upstream": upstream.strip('"'),
                "upstream_status": upstream_status.strip('"'),
                "method": method,
            }
        )
    return entries


def stopped_instance_figures(entries: list[dict], killed_at: float, killed_port: int) -> dict:
    """What the kill cost: requests in flight on that server, retried ones, failed ones."""
    on_killed = [e for e in entries if f":{killed_port}" in e["upstream"]]
    in_flight = [e for e in on_killed if e["ended"] - e["took"] <= killed_at <= e["ended"]]
    # nginx lists every server it tried: "127.0.0.1:a, 127.0.0.1:b" is a retried request.
    retried = [e for e in entries if "," in e["upstream"]]
    failed = [e for e in entries if e["status"] >= 500]
    after = [e for e in entries if e["ended"] - e["took"] > killed_at + 1]
    return {
        "in_flight_at_kill": len(in_flight),
        "in_flight_failed": sum(1 for e in in_flight if e["status"] >= 500),
        "retried_on_the_other": len(retried),
        "answered_5xx": len(failed),
        "answered_5xx_after_the_kill_not_in_flight": sum(
            1 for e in failed if e not in in_flight and e["ended"] >= killed_at
        ),
        "requests_after_the_kill": len(after),
        "after_the_kill_served_by_the_killed": sum(
            1 for e in after if e["upstream"].endswith(f":{killed_port}")
        ),
    }


# --- the probe people of the lag run ---------------------------------------------------


class Browser:
    """
    One person's browser behind the proxy, as bench/_locustfile.py's people are: it says
    `X-Forwarded-Proto: https` and sends its Secure cookies back over loopback HTTP.

    urllib, not requests: a requests Session copies its cookies into a fresh jar with the
    default policy for every request, so Secure cookies (the CSRF and session cookies of the
    production settings) never went back over http, and the sign-in was refused with a 403.
    urllib's cookie processor asks this jar, with its policy, on every request and redirect.
    """

    def __init__(self, base: str):
        self.base = base
        self.origin = "https://" + base.split("://", 1)[1]
        self.cookies = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "http")))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("X-Forwarded-Proto", "https")]

    def _open(self, request) -> tuple[int, str, str]:
        """Status, final address and text; an error status is an answer, not an exception."""
        try:
            with self.opener.open(request, timeout=180) as answer:
                return answer.status, answer.url, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as refused:
            return refused.code, refused.url, refused.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str]:
        """A form post as a browser sends it: the CSRF token, Origin and Referer."""
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        return self._open(urllib.request.Request(self.base + path, data=body, headers=headers))

    def sign_in(self, username: str) -> int:
        """Through the login form; the status of the page landed on (200), else raises."""
        self.get("/accounts/login/")
        status, landed, text = self.post_form(
            "/accounts/login/", {"username": username, "password": load.PASSWORD}
        )
        if status != 200 or "/accounts/login/" in landed:
            raise RuntimeError(f"the probe {username} could not sign in ({status}): {text[:300]}")
        return status

    def wrote_recently(self) -> bool:
        from opb_portal.core.db_router import WROTE_COOKIE

        return any(c.name == WROTE_COOKIE for c in self.cookies)

    def forget_the_write(self) -> None:
        from opb_portal.core.db_router import WROTE_COOKIE

        for cookie in [c for c in self.cookies if c.name == WROTE_COOKIE]:
            self.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def sees_marker(self) -> bool:
        status, _, text = self.get(f"/kpis/scorecard/?period={load.PERIOD}")
        if status != 200 or "KPI scorecard:" not in text:
            raise RuntimeError(f"the probe's scorecard answered {status}")
        return LAG_MARKER.strip() in text


def lag_probe(cluster, base: str, pause_for: float) -> dict:
    """
    Pause replay, change a KPI's title on the primary, and see who sees it.

    The reader signed in before the pause and has written nothing since (its sign-in's
    read-your-writes cookie dropped): every few seconds it reads the scorecard, as a
    board member reading a dashboard does. The writer signs in (a POST through nginx that
    succeeds: the write that sets its cookie) after the change, and reads the scorecard at
    once and then every few seconds: on the primary while its cookie lasts
    (DJANGO_READ_YOUR_WRITES_SECONDS), on the lagging replica after.
    """
    from django.db import connection
    from django.db.models import Value
    from django.db.models.functions import Concat

    from kpis.models import KpiDefinition

    found: dict = {}
    reader = Browser(base)
    reader.sign_in("board")
    reader.forget_the_write()
    cluster.pause_replay()
    paused_at = time.monotonic()
    try:
        kpi = KpiDefinition.objects.filter(framework__code=load.FRAMEWORK).order_by("order")[:1]
        KpiDefinition.objects.filter(pk__in=list(kpi.values_list("pk", flat=True))).update(
            title=Concat("title", Value(LAG_MARKER))
        )
        changed_at = time.monotonic()
        writer = Browser(base)
        found["writer_signed_in"] = writer.sign_in("board")
        wrote_at = time.monotonic()
        found["writer_cookie_set"] = writer.wrote_recently()
        found["writer_sees_the_change_right_after_writing"] = writer.sees_marker()
        reads = {"reader": [], "writer": []}
        delays, lags = [], []
        while time.monotonic() - paused_at < pause_for:
            reads["reader"].append(reader.sees_marker())
            reads["writer"].append((round(time.monotonic() - wrote_at, 1), writer.sees_marker()))
            delays.append(cluster.replay_delay_s())
            lags.append(cluster.lag_bytes())
            time.sleep(2)
        found["reader_reads_while_paused"] = len(reads["reader"])
        found["reader_saw_the_change_while_paused"] = sum(reads["reader"])
        found["reader_stale_by_s_max"] = round(max(delays, default=0), 1)
        found["change_unseen_by_reader_for_s"] = round(time.monotonic() - changed_at, 1)
        found["lag_bytes_max"] = max(lags, default=0)
        on_primary = [t for t, saw in reads["writer"] if saw]
        found["writer_saw_own_change_until_s_after_writing"] = max(on_primary, default=0)
        found["writer_back_on_the_replica_after_s"] = next(
            (t for t, saw in reads["writer"] if not saw), None
        )
    finally:
        cluster.resume_replay()
        resumed = time.monotonic()
        cluster.wait_for_replay(seconds=120)
        found["caught_up_in_s"] = round(time.monotonic() - resumed, 2)
        found["paused_s"] = round(resumed - paused_at, 1)
        found["reader_sees_it_once_replayed"] = reader.sees_marker()
        for kpi in KpiDefinition.objects.filter(title__endswith=LAG_MARKER):
            kpi.title = kpi.title.removesuffix(LAG_MARKER)
            kpi.save(update_fields=["title"])
        connection.close()
    return found


# --- the runs ---------------------------------------------------------------------------


def one_run(args, base, config, folder, name, during=None) -> dict:
    """One locust run through nginx; `during(started_at)` runs beside it in a thread."""
    (folder / "nginx-access.log").write_text("")  # nginx appends: each run's lines alone
    result: dict = {}
    side = None
    if during:
        side = threading.Thread(target=lambda: result.update(during()), daemon=True)
        side.start()
    say(f"{name}: {args.users} people for {args.duration} s through nginx at {base}")
    load.run_locust(args, base, config, folder, prefix=name)
    if side:
        side.join(timeout=300)
    pages, total, failures = load.read_stats(folder, prefix=name)
    time.sleep(1)  # nginx writes its log lines as requests end
    return {
        "pages": pages,
        "total": total,
        "failures": failures,
        "log": access_log(folder),
        **result,
    }


def summary(run: dict) -> dict:
    total = run["total"]
    return {k: total[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors")}


def scale_out(args) -> int:
    ensure_nginx()
    load_before, started = os.getloadavg(), time.strftime("%Y-%m-%d %H:%M %Z")
    with (
        tempfile.TemporaryDirectory(prefix="opb-scale-out-") as scratch,
        replicated_cluster() as cluster,
    ):
        folder = Path(scratch)
        os.chmod(folder, 0o755)
        os.environ["DATABASE_URL"] = cluster.primary_url
        setup_django()
        name = cluster.primary_url.rsplit("/", 1)[1]
        env = load.server_environment(
            name,
            folder,
            DATABASE_REPLICA_URL=cluster.replica_url,
            DJANGO_READ_YOUR_WRITES_SECONDS="10",
        )
        say("migrating and loading the demonstration on the primary (manage.py load_demo)")
        load.manage({**env, "DATABASE_REPLICA_URL": ""}, "migrate", "--no-input")
        load.manage({**env, "DATABASE_REPLICA_URL": ""}, "load_demo")
        load.manage(env, "collectstatic", "--noinput")
        token = load.manage(env, "api_token", "board").strip()
        config = folder / "config.json"
        config.write_text(
            json.dumps(
                {
                    **load.prepared(name),
                    "submitters": load.submitter_accounts(args.users),
                    "period": load.PERIOD,
                    "upload_month": load.UPLOAD_MONTH,
                    "framework": load.FRAMEWORK,
                    "meeting": load.MEETING,
                    "benchmark": load.BENCHMARK,
                    "password": load.PASSWORD,
                    "api_token": token,
                    "think": args.think,
                }
            )
        )
        cluster.wait_for_replay(seconds=120)
        from django.db import connection

        connection.close()
        ports = [load.free_port(), load.free_port()]
        proxy_port = load.free_port()
        base = f"http://127.0.0.1:{proxy_port}"
        runs = {}
        with (
            load.gunicorn(env, ports[0], args.workers, folder / "gunicorn-1.log"),
            load.gunicorn(env, ports[1], args.workers, folder / "gunicorn-2.log") as second,
            nginx(folder, proxy_port, *ports),
        ):
            runs["steady"] = one_run(args, base, config, folder, "steady")

            def stop_one() -> dict:
                time.sleep(args.duration / 2)
                killed_at = time.time()
                os.killpg(second.pid, signal.SIGKILL)
                say(f"stopped: killed app server 2 (port {ports[1]}) and its workers")
                return {"killed_at": killed_at}

            runs["stopped"] = one_run(args, base, config, folder, "stopped", during=stop_one)
            runs["stopped"]["instance"] = stopped_instance_figures(
                runs["stopped"]["log"], runs["stopped"]["killed_at"], ports[1]
            )

        # The lag run needs both app servers again.
        with (
            load.gunicorn(env, ports[0], args.workers, folder / "gunicorn-1b.log"),
            load.gunicorn(env, ports[1], args.workers, folder / "gunicorn-2b.log"),
            nginx(folder, proxy_port, *ports),
        ):

            def lag() -> dict:
                time.sleep(args.duration / 3)
                say("lag: replay paused on the replica")
                return {"probe": lag_probe(cluster, base, pause_for=args.duration / 3)}

            runs["lag"] = one_run(args, base, config, folder, "lag", during=lag)
        server_errors = sum(load.server_errors(log) for log in folder.glob("gunicorn-*.log"))
        for log in sorted(folder.glob("gunicorn-*.log")):
            for line in log.read_text(errors="replace").splitlines():
                # The last line of each traceback says what went wrong.
                if line.startswith(("django.", "psycopg.", "OSError", "FileNotFound")):
                    say(f"{log.name}: {line[:300]}")
    load_after = os.getloadavg()
    report(args, runs, started, load_before, load_after, server_errors)
    return 0


def report(args, runs, started, load_before, load_after, server_errors) -> None:
    print(
        f"Scale-out: nginx before 2 gunicorn instances ({args.workers} sync workers each), "
        f"PostgreSQL primary + streaming replica on loopback; {args.users} simulated people, "
        f"{args.duration} s per run, think {args.think[0]:g}-{args.think[1]:g} s; "
        f"started {started}"
    )
    print(
        f"{os.cpu_count()} CPUs; load average before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    for name, run in runs.items():
        print(f"\n== {name} ==")
        print(load.page_table(run["pages"], run["total"]))
        for failure in run["failures"]:
            print(
                f"  error: {failure['Method']} {failure['Name']}: {failure['Error']} "
                f"x{failure['Occurrences']}"
            )
        served = {}
        for entry in run["log"]:
            served[entry["upstream"]] = served.get(entry["upstream"], 0) + 1
        print("  nginx: requests by app server:", json.dumps(served))
        if "instance" in run:
            print("  one app server killed half-way:", json.dumps(run["instance"]))
        if "probe" in run:
            print("  replica paused a third of the way:", json.dumps(run["probe"]))
    print(f"\nServer logs: {server_errors} tracebacks or ERROR lines")
    figures = {
        "mode": "scale-out",
        "users": args.users,
        "duration_s_per_run": args.duration,
        "workers_per_instance": args.workers,
        "runs": {name: summary(run) for name, run in runs.items()},
        "stopped_instance": runs["stopped"]["instance"],
        "stopped_errors": runs["stopped"]["total"]["errors"],
        "lag_probe": runs["lag"].get("probe", {}),
        "server_errors_logged": server_errors,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))
