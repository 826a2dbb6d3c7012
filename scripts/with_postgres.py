#!/usr/bin/env python3
"""Run a command with DATABASE_URL pointing at a PostgreSQL server.

Usage: scripts/with_postgres.py [--force-throwaway] -- COMMAND [ARG ...]

The test suite runs on PostgreSQL only, so this script never falls back to
SQLite. It picks the server in this order:

1. DATABASE_URL from the environment, used as is (it must be PostgreSQL).
2. A server answering on 127.0.0.1:5432 that lets user postgres in.
3. The machine's Debian cluster, started with pg_ctlcluster if it is down.
4. A throwaway cluster in a temporary directory on a spare port, installing
   Debian's postgresql package first when the binaries are missing and we are
   root. It is stopped and deleted when the command ends, however it ends.

It exits with the command's exit code, or 2 when no PostgreSQL can be had.
Standard library only: it runs before the virtualenv may exist.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgres", "postgresql")
DATABASE_NAME = "opb_portal"
LOCAL_HOST = "127.0.0.1"
LOCAL_PORT = 5432
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
EXIT_NO_POSTGRES = 2
PREFIX = "with_postgres:"


class NoPostgres(Exception):
    """No PostgreSQL server could be found, started or installed."""


def say(message: str) -> None:
    # Messages go to stderr so the command's own stdout stays clean for pipes.
    print(f"{PREFIX} {message}", file=sys.stderr, flush=True)


# Pure helpers (tested in tests/test_with_postgres.py) ----------------------


def is_postgres_url(url: str) -> bool:
    """True when the URL's scheme names PostgreSQL (postgres:// or postgresql://)."""
    return urlsplit(url).scheme.lower() in POSTGRES_SCHEMES


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostinfo}"))


def local_url(port: int) -> str:
    """DATABASE_URL for user postgres on this machine (trust authentication)."""
    return f"postgres://postgres@{LOCAL_HOST}:{port}/{DATABASE_NAME}"


def version_key(text: str) -> tuple[int, ...]:
    """Numeric sort key for a version such as '15' or '9.6'; non-numbers sort first."""
    numbers = re.findall(r"\d+", text)
    return tuple(int(n) for n in numbers) if numbers else (-1,)


def highest_version_bindir(bindirs: Iterable[str]) -> str | None:
    """Among /usr/lib/postgresql/<version>/bin directories, the newest version's."""
    candidates = sorted(bindirs, key=lambda path: version_key(Path(path).parent.name))
    return candidates[-1] if candidates else None


def server_version(pg_ctl_version_output: str) -> str:
    """'15.20' from pg_ctl --version output such as 'pg_ctl (PostgreSQL) 15.20 (Debian ...)'."""
    match = re.search(r"\(PostgreSQL\)\s+(\S+)", pg_ctl_version_output)
    return match.group(1) if match else "(unknown version)"


def exit_code(returncode: int) -> int:
    """The shell's convention for a child killed by a signal: 128 + signal number."""
    return 128 - returncode if returncode < 0 else returncode


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="with_postgres.py",
        description="Run COMMAND with DATABASE_URL set to a PostgreSQL server "
        "(the environment's, the local one on 127.0.0.1:5432, or a throwaway cluster).",
        usage="%(prog)s [--force-throwaway] -- COMMAND [ARG ...]",
    )
    parser.add_argument(
        "--force-throwaway",
        action="store_true",
        help="ignore DATABASE_URL and any local server; always use a throwaway cluster "
        "(for testing this script)",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("give the command to run after --")
    return args


# Finding a running server --------------------------------------------------


def tcp_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def local_login_works() -> bool:
    """User postgres gets in to the server on 127.0.0.1:5432 (checked with psql, if here)."""
    psql = shutil.which("psql")
    if psql is None:
        return True
    env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
    env.pop("PGPASSWORD", None)
    result = subprocess.run(
        [
            psql,
            "-h",
            LOCAL_HOST,
            "-p",
            str(LOCAL_PORT),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-w",
            "-Atqc",
            "select 1",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        say(
            f"a server answers on {LOCAL_HOST}:{LOCAL_PORT} but user postgres cannot log in "
            f"without a password ({result.stderr.strip() or 'psql failed'}); "
            "set DATABASE_URL to use it"
        )
        return False
    return True


def start_debian_cluster() -> bool:
    """Start the machine's installed-but-stopped Debian cluster; True if it then answers."""
    pg_ctlcluster = shutil.which("pg_ctlcluster")
    conf = Path("/etc/postgresql")
    if pg_ctlcluster is None or not conf.is_dir():
        return False
    versions = sorted((p.name for p in conf.iterdir() if (p / "main").is_dir()), key=version_key)
    if not versions:
        return False
    version = versions[-1]
    command = [pg_ctlcluster, "--skip-systemctl-redirect", version, "main", "start"]
    say(f"starting the installed cluster: {shlex.join(command)}")
    result = subprocess.run(command, stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        say(f"pg_ctlcluster failed with exit code {result.returncode}")
    for _ in range(10):
        if tcp_answers(LOCAL_HOST, LOCAL_PORT):
            return local_login_works()
        time.sleep(0.5)
    return False


# Throwaway cluster ---------------------------------------------------------


def find_bindir() -> str | None:
    """Directory holding initdb and pg_ctl: Debian's newest, else whatever is on PATH."""
    debian = [
        d
        for d in glob.glob(DEBIAN_BIN_GLOB)
        if os.access(Path(d, "initdb"), os.X_OK) and os.access(Path(d, "pg_ctl"), os.X_OK)
    ]
    bindir = highest_version_bindir(debian)
    if bindir:
        return bindir
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).resolve().parent == Path(pg_ctl).resolve().parent:
        # Resolved, so that createdb is looked for beside the real binaries.
        return str(Path(initdb).resolve().parent)
    return None


def install_postgresql() -> None:
    say("PostgreSQL binaries not found; running: apt-get update && apt-get install -y postgresql")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        result = subprocess.run(command, stdin=subprocess.DEVNULL, env=env, check=False)
        if result.returncode != 0:
            raise NoPostgres(f"`{shlex.join(command)}` failed with exit code {result.returncode}")


HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM/SIGHUP until the block ends, then deliver the first one.

    Used around `pg_ctl start`: interrupted half-way, it could leave a server
    running that we would not know to stop.
    """
    received: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda signum, _: received.append(signum))
        for signum in HANDLED_SIGNALS
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM/SIGHUP so that they cannot cut a cleanup short."""
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in HANDLED_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def spare_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary directory, deleted on exit."""

    def __init__(self, bindir: str) -> None:
        self.bindir = Path(bindir)
        self.owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root.
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                raise NoPostgres(
                    "running as root, initdb refuses root and there is no 'postgres' user"
                ) from None
        self.root = Path(tempfile.mkdtemp(prefix="opb-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.started = False
        if self.owner is not None:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)

    def as_owner(self, command: list[str]) -> list[str]:
        if self.owner is None:
            return command
        if shutil.which("runuser"):
            return ["runuser", "-u", self.owner.pw_name, "--", *command]
        return ["su", self.owner.pw_name, "-s", "/bin/sh", "-c", shlex.join(command)]

    def run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        # cwd is the temp dir so the postgres user can always read its working directory.
        return subprocess.run(
            self.as_owner(command), cwd=self.root, stdin=subprocess.DEVNULL, check=False, **kwargs
        )

    def start(self) -> str:
        # C.UTF-8 matches Debian's default clusters; plain C is for systems without it.
        for locale in ("C.UTF-8", "C"):
            initdb = [
                str(self.bindir / "initdb"),
                f"--pgdata={self.data}",
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                f"--locale={locale}",
                "--no-sync",
            ]
            result = self.run(initdb, capture_output=True, text=True)
            if result.returncode == 0:
                break
            shutil.rmtree(self.data, ignore_errors=True)
        else:
            raise NoPostgres(f"initdb failed:\n{result.stdout}{result.stderr}")
        for _ in range(3):  # another process may grab the spare port before we bind it
            self.port = spare_port()
            # Durability is pointless for a cluster deleted after the run; skip the fsyncs.
            options = (
                f"-p {self.port} -k {shlex.quote(str(self.root))} "
                f"-c listen_addresses={LOCAL_HOST} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            pg_ctl = [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ]
            # A new session keeps the terminal's Ctrl-C away from the server, so the
            # command can still clean up its test database before we stop it.
            with signals_deferred():
                result = self.run(pg_ctl, stdout=subprocess.DEVNULL, start_new_session=True)
                self.started = result.returncode == 0
            if self.started:
                break
        else:
            raise NoPostgres(f"pg_ctl could not start the throwaway cluster:\n{self.log_tail()}")
        createdb = [
            str(self.bindir / "createdb"),
            "-h",
            LOCAL_HOST,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            DATABASE_NAME,
        ]
        result = subprocess.run(
            createdb, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise NoPostgres(f"createdb failed: {result.stderr.strip()}")
        return local_url(self.port)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def destroy(self) -> None:
        if self.started:
            pg_ctl = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w"]
            stopped = self.run([*pg_ctl, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
            if stopped.returncode != 0:
                self.run([*pg_ctl, "-m", "immediate", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)
        say(f"throwaway cluster {'stopped and ' if self.started else ''}{self.root} removed")


# Running the command -------------------------------------------------------


def run_command(command: Sequence[str], database_url: str) -> int:
    """Run the command with DATABASE_URL set; SIGTERM/SIGHUP are passed on to it."""
    env = {**os.environ, "DATABASE_URL": database_url}
    try:
        process = subprocess.Popen(list(command), env=env)
    except OSError as error:
        say(f"cannot run {command[0]!r}: {error}")
        return 127

    def forward(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    # Ctrl-C already reaches the command through the terminal's process group;
    # here we only wait for it to finish and then clean up.
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, lambda *_: None),
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
        signal.SIGHUP: signal.signal(signal.SIGHUP, forward),
    }
    try:
        return exit_code(process.wait())
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def with_throwaway(command: Sequence[str]) -> int:
    tried = ["looked for initdb and pg_ctl in /usr/lib/postgresql/*/bin and on PATH"]
    bindir = find_bindir()
    if bindir is None and os.geteuid() == 0 and shutil.which("apt-get"):
        tried.append("apt-get install -y postgresql")
        install_postgresql()
        bindir = find_bindir()
    if bindir is None:
        if os.geteuid() != 0:
            tried.append("could not install PostgreSQL: not root")
        raise NoPostgres("; ".join(tried))

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    # Make SIGTERM/SIGHUP unwind through `finally` like Ctrl-C does.
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    cluster = ThrowawayCluster(bindir)
    try:
        url = cluster.start()
        version = server_version(
            subprocess.run(
                [str(Path(bindir, "pg_ctl")), "--version"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        )
        say(f"using a throwaway PostgreSQL {version} cluster at {url} (data in {cluster.root})")
        return run_command(command, url)
    finally:
        with signals_ignored():
            cluster.destroy()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.force_throwaway:
            if os.environ.get("DATABASE_URL"):
                say("--force-throwaway: ignoring DATABASE_URL from the environment")
            return with_throwaway(args.command)

        url = os.environ.get("DATABASE_URL", "")
        if url:
            if not is_postgres_url(url):
                say(f"DATABASE_URL is {redact_url(url)!r}, which is not PostgreSQL.")
                say(
                    "The test suite runs on PostgreSQL only: set DATABASE_URL to "
                    "postgres://USER:PASSWORD@HOST:PORT/NAME, or unset it to let this "
                    "script find or start one."
                )
                return EXIT_NO_POSTGRES
            say(f"using PostgreSQL from DATABASE_URL: {redact_url(url)}")
            return run_command(args.command, url)

        if tcp_answers(LOCAL_HOST, LOCAL_PORT):
            usable = local_login_works()
        else:
            usable = start_debian_cluster()
        if usable:
            url = local_url(LOCAL_PORT)
            say(f"using the local PostgreSQL server at {url}")
            return run_command(args.command, url)

        return with_throwaway(args.command)
    except NoPostgres as error:
        say("no PostgreSQL server could be found, started or installed.")
        if not args.force_throwaway:
            say(
                f"Tried: DATABASE_URL (unset), a server on {LOCAL_HOST}:{LOCAL_PORT}, "
                "starting the installed cluster with pg_ctlcluster."
            )
        say(f"Throwaway cluster: {error}")
        say(
            "Install PostgreSQL (Debian: apt-get install postgresql) or point DATABASE_URL "
            "at a server, e.g. DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/opb_portal. "
            "The suite never falls back to SQLite."
        )
        return EXIT_NO_POSTGRES
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
