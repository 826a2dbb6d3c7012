#!/usr/bin/env python3
"""
A PostgreSQL primary with a streaming replica, on loopback, from Debian's binaries.

    scripts/replica_cluster.py          # start both, print their URLs, wait for Ctrl-C

The primary is with_postgres.py's throwaway cluster (initdb with trust on loopback, which
also lets replication connections in; PostgreSQL 15's wal_level is `replica` already).
The replica is `pg_basebackup -R` of it (the -R writes `standby.signal` and
`primary_conninfo`) started on another port: a hot standby that answers read-only queries.
As root both run as the `postgres` system user (runuser), as initdb requires.

One place for the test fixture (tests/core/test_scale_out_replica.py) and the scale-out
load run (bench/load.py --scale-out). Standard library only.
"""

from __future__ import annotations

import contextlib
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from with_postgres import (  # noqa: E402
    DATABASE_NAME,
    LOCAL_HOST,
    NoPostgres,
    ThrowawayCluster,
    find_bindir,
    local_url,
    signals_deferred,
    spare_port,
)


class ReplicatedCluster:
    """A throwaway primary and its streaming replica; `stop()` removes both."""

    def __init__(self, bindir: str | None = None) -> None:
        bindir = bindir or find_bindir()
        if bindir is None:
            raise NoPostgres("no initdb/pg_ctl: install Debian's postgresql package")
        self.primary = ThrowawayCluster(bindir)
        self.bindir = Path(bindir)
        self.replica_data = self.primary.root / "replica"
        self.replica_log = self.primary.root / "replica.log"
        self.replica_port = 0
        self.replica_started = False

    @property
    def primary_url(self) -> str:
        return local_url(self.primary.port)

    @property
    def replica_url(self) -> str:
        return local_url(self.replica_port)

    def start(self) -> ReplicatedCluster:
        self.primary.start()
        basebackup = [
            str(self.bindir / "pg_basebackup"),
            f"--host={LOCAL_HOST}",
            f"--port={self.primary.port}",
            "--username=postgres",
            f"--pgdata={self.replica_data}",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        ]
        done = self.primary.run(basebackup, capture_output=True, text=True)
        if done.returncode != 0:
            raise NoPostgres(f"pg_basebackup failed: {done.stderr.strip()}")
        self.replica_port = spare_port()
        options = (
            f"-p {self.replica_port} -k {shlex.quote(str(self.primary.root))} "
            f"-c listen_addresses={LOCAL_HOST} -c fsync=off -c hot_standby=on "
            # The primary keeps rows the replica's queries still read, rather than replay
            # cancelling those queries ("conflict with recovery"): docs/operations.md.
            "-c hot_standby_feedback=on"
        )
        start = [
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.replica_data),
            "-l",
            str(self.replica_log),
            "-o",
            options,
            "-w",
            "start",
        ]
        with signals_deferred():
            done = self.primary.run(start, stdout=subprocess.DEVNULL, start_new_session=True)
            self.replica_started = done.returncode == 0
        if not self.replica_started:
            raise NoPostgres(f"the replica did not start:\n{self.replica_log.read_text()[-2000:]}")
        self.wait_for_replay()
        return self

    def psql(self, port: int, sql: str, database: str = DATABASE_NAME) -> str:
        command = [
            str(self.bindir / "psql"),
            f"--host={LOCAL_HOST}",
            f"--port={port}",
            "--username=postgres",
            f"--dbname={database}",
            "-Atqc",
            sql,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"psql on port {port}: {done.stderr.strip()}")
        return done.stdout.strip()

    def replica_psql(self, sql: str, tries: int = 5) -> str:
        """A statement on the replica, tried again if replay cancels it (a recovery conflict)."""
        for attempt in range(tries):
            try:
                return self.psql(self.replica_port, sql)
            except RuntimeError as error:
                if "conflict with recovery" not in str(error) or attempt == tries - 1:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def pause_replay(self) -> None:
        """The replica keeps receiving WAL but stops applying it: a lag we control."""
        self.replica_psql("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica_psql("SELECT pg_wal_replay_resume()")

    def flushed_lsn(self) -> str:
        """The primary's WAL position after everything written so far, made sure to be on disk.

        The throwaway primary runs with synchronous_commit off, and a later synchronous commit
        was seen not to move the flush position past earlier writes; so take the insert
        position, then CHECKPOINT, which flushes the WAL up to and beyond it.
        """
        target = self.psql(self.primary.port, "SELECT pg_current_wal_insert_lsn()")
        self.psql(self.primary.port, "CHECKPOINT")
        return target

    def lag_bytes(self, target: str | None = None) -> int:
        """How far the replica's applied WAL is behind the primary's (or `target`)."""
        target = target or self.psql(self.primary.port, "SELECT pg_current_wal_flush_lsn()")
        replayed = f"pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())"
        return int(self.psql(self.replica_port, f"SELECT {replayed}"))

    def replay_delay_s(self) -> float:
        """How old the replica's newest applied commit is: how stale a page read there can be."""
        age = "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
        return float(self.replica_psql(f"SELECT COALESCE({age}, 0)"))

    def wait_for_replay(self, seconds: float = 30) -> None:
        """Return once the replica has applied everything committed on the primary by now."""
        target = self.flushed_lsn()
        deadline = time.monotonic() + seconds
        while self.lag_bytes(target) > 0:
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.replica_started:
            pg_ctl = [str(self.bindir / "pg_ctl"), "-D", str(self.replica_data), "-w"]
            done = self.primary.run([*pg_ctl, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
            if done.returncode != 0:
                self.primary.run([*pg_ctl, "-m", "immediate", "stop"], stdout=subprocess.DEVNULL)
            self.replica_started = False
        self.primary.destroy()


@contextlib.contextmanager
def replicated_cluster() -> Iterator[ReplicatedCluster]:
    """A primary and its replica for the block; both stopped and removed however it ends."""
    cluster = ReplicatedCluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))
    with replicated_cluster() as cluster:
        print(f"DATABASE_URL={cluster.primary_url}")
        print(f"DATABASE_REPLICA_URL={cluster.replica_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
