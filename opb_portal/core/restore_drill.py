"""
The restore drill: a backup is only as good as the last time it was restored.

`manage.py restore_drill` (docs/operations.md, "Restore drill") dumps the live database with
`pg_dump -Fc`, restores the dump into a scratch database the way docs/database-roles.md says
a production restore is done (the roles set up by scripts/db_roles.sql, `pg_restore
--no-owner --no-acl --role=<owner>`, the script run again), then reads the restored copy as
the application role and checks what a backup exists to keep:

- every stored document (issued packs, circulated and frozen annual reviews, final reports)
  still has its file under the pack root, with the SHA-256 recorded when it was made;
- every approved version of a return has the same figures in the restored copy as in the
  live database.

Each step is timed; any failure is named (the document and its file, the version and its
line) and makes the drill fail. The scratch database is dropped at the end unless kept.
PostgreSQL only: an SQLite file is backed up by copying it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone
from psycopg import sql

from opb_portal.boardpack.models import StoredPdf
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion, UploadedFile

ROLES_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "db_roles.sql"
SCRATCH_PREFIX = "opb_restore_drill_"
# The Django alias the restored copy is read through, as the application role.
SCRATCH_ALIAS = "restore_drill"
# At most this many differing figures are named for one version: the rest are counted.
DIFFERENCES_NAMED = 3


class DrillError(Exception):
    """A step could not be done (the dump, the restore): nothing after it can be checked."""


class NotPostgres(DrillError):
    """The database is not PostgreSQL, so there is no dump to restore."""


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    said: str = ""


@dataclass
class DrillReport:
    """What the drill did, how long each step took, what it counted and what it found wrong."""

    live: str
    scratch: str
    steps: list[Step] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    def lines(self) -> list[str]:
        out = [f"Restore drill of {self.live} into {self.scratch}:"]
        out += [f"  {step.name:<14}{step.seconds:8.2f} s  {step.said}" for step in self.steps]
        out.append(f"  {'total':<14}{self.seconds:8.2f} s")
        if self.ok:
            out.append("PASSED: the restored copy matches its files and the live figures.")
        else:
            out.append(f"FAILED: {len(self.problems)} problem(s):")
            out += [f"  - {problem}" for problem in self.problems]
        return out


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise DrillError(f"{name} is missing: install PostgreSQL's client (postgresql-client).")
    return str(found)


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _differences(restored: dict, live: dict) -> list[str]:
    """The figures of a version that differ, line by line and field by field."""
    found = []
    for line in sorted(set(restored) | set(live)):
        ours, theirs = restored.get(line), live.get(line)
        if ours == theirs:
            continue
        if not isinstance(ours, dict) or not isinstance(theirs, dict):
            found.append(f"line {line}: {ours!r} restored, {theirs!r} live")
            continue
        for name in sorted(set(ours) | set(theirs)):
            if ours.get(name) != theirs.get(name):
                found.append(
                    f"{line} {name}: {ours.get(name)!r} restored, {theirs.get(name)!r} live"
                )
    return found


class RestoreDrill:
    """
    One drill against the database behind `alias`. `run()` does every step; the steps are
    methods of their own so that a test can damage the restored copy between them.

    `admin` is the role that makes the scratch database and the roles: by default the one in
    DATABASE_URL. It must be allowed to create databases and roles and to act as the owner
    and the application role (a superuser on the drill's server).
    """

    def __init__(
        self,
        *,
        pack_root: Path,
        upload_root: Path | None = None,
        owner_role: str = "opb_owner",
        app_role: str = "opb_app",
        alias: str = "default",
        scratch: str | None = None,
        dump: Path | None = None,
    ):
        self.live = connections[alias]
        if self.live.vendor != "postgresql":
            raise NotPostgres(
                f"The restore drill needs PostgreSQL; this database is {self.live.vendor}. "
                "Back up an SQLite file by copying it while the portal is stopped."
            )
        self.alias = alias
        self.pack_root = Path(pack_root)
        self.upload_root = Path(upload_root or settings.UPLOAD_ROOT)
        self.owner_role, self.app_role = owner_role, app_role
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        self.scratch = scratch or f"{SCRATCH_PREFIX}{stamp}_{uuid.uuid4().hex[:6]}"
        self.report = DrillReport(live=self.live.settings_dict["NAME"], scratch=self.scratch)
        self.dumped_at: datetime.datetime | None = None
        # Only a database this drill made is ever dropped by it.
        self.created = False
        self._workdir = Path(tempfile.mkdtemp(prefix="opb-restore-drill-"))
        # A dump given (last night's) is restored as it is; otherwise one is taken now.
        self.given_dump = Path(dump) if dump else None
        self.dump_file = self.given_dump or self._workdir / "live.dump"

    # --- the steps ------------------------------------------------------------------------

    def run(self, *, keep: bool = False) -> DrillReport:
        """Every step in order; the scratch database is dropped at the end unless `keep`."""
        try:
            self.dump()
            self.restore()
            self.check_files()
            self.check_uploads()
            self.check_figures()
        except DrillError as error:
            self.report.problems.append(str(error))
        finally:
            if not keep:
                self.drop()
            else:
                self.forget()
                shutil.rmtree(self._workdir, ignore_errors=True)
                self.report.steps.append(Step("kept", said=f"{self.scratch} was not dropped"))
        return self.report

    def dump(self) -> None:
        if self.given_dump:
            with self._step("dump") as step:
                self.dumped_at = self._archive_created()
                made = f"made {self.dumped_at:%Y-%m-%d %H:%M} UTC" if self.dumped_at else "undated"
                size = self.dump_file.stat().st_size
                step.said = f"given {self.dump_file}, {size:,} bytes, {made}"
            return
        with self._step("dump") as step:
            self.dumped_at = timezone.now()
            self._run(
                _tool("pg_dump"), "--format=custom", f"--file={self.dump_file}",
                database=self.report.live, what="pg_dump",
            )  # fmt: skip
            size = self.dump_file.stat().st_size
            step.said = f"pg_dump -Fc of {self.report.live}, {size:,} bytes"

    def restore(self) -> None:
        """Into a new scratch database, as docs/database-roles.md restores production."""
        with self._step("create") as step:
            try:
                with self._admin() as admin:
                    admin.execute(
                        sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
                            sql.Identifier(self.scratch)
                        )
                    )
            except psycopg.Error as error:
                raise DrillError(f"Could not create {self.scratch}: {error}") from error
            self.created = True
            step.said = self.scratch
        with self._step("roles") as step:
            self._roles()
            step.said = f"scripts/db_roles.sql: owner {self.owner_role}, app {self.app_role}"
        with self._step("restore") as step:
            self._run(
                _tool("pg_restore"), "--no-owner", "--no-acl", f"--role={self.owner_role}",
                "--exit-on-error", f"--dbname={self.scratch}", str(self.dump_file),
                database=self.scratch, what="pg_restore",
            )  # fmt: skip
            tables, strays = self._owned()
            if strays:
                raise DrillError(
                    f"The restore left {strays} table(s) not owned by {self.owner_role}."
                )
            step.said = f"pg_restore as {self.owner_role}: {tables} tables, all owned by it"
        self._open_scratch()
        with self._step("roles again") as step:
            history = self._roles()
            step.said = (
                f"scripts/db_roles.sql again: {history} history tables read-and-add only "
                f"for {self.app_role}"
            )
        self.report.counts["tables"] = tables

    def check_files(self) -> None:
        """Every stored document's files, read from the restored copy, against their hashes."""
        with self._step("stored files") as step:
            documents = files = 0
            for model in apps.get_models():
                if not issubclass(model, StoredPdf):
                    continue
                for document in model.objects.using(SCRATCH_ALIAS).order_by("pk"):
                    documents += 1
                    for name, sha256 in document.stored_files():
                        files += 1
                        self._check_file(document, name, sha256)
            step.said = (
                f"{documents} documents' {files} files under {self.pack_root} "
                "checked against their SHA-256"
            )
        self.report.counts["documents"], self.report.counts["files"] = documents, files

    def check_uploads(self) -> None:
        """
        Every uploaded workbook still kept (not purged past its retention) against its SHA-256
        under the upload root. One purged since the dump was taken is counted, not failed.
        """
        with self._step("uploads") as step:
            checked = purged = 0
            kept = UploadedFile.objects.using(SCRATCH_ALIAS).filter(purged_at__isnull=True)
            purged_live = set(
                UploadedFile.objects.using(self.alias)
                .filter(purged_at__isnull=False)
                .values_list("pk", flat=True)
            )
            for upload in kept.order_by("pk"):
                path = self.upload_root / upload.stored_name
                where = (
                    f"The uploaded file {upload.original_name!r} "
                    f"(submissions_uploadedfile id {upload.pk})"
                )
                if upload.pk in purged_live and not path.is_file():
                    purged += 1
                    continue
                checked += 1
                if not path.is_file():
                    self.report.problems.append(f"{where}: its file {path} is missing.")
                elif _sha256(path) != upload.sha256:
                    self.report.problems.append(
                        f"{where}: its file {path} does not match the SHA-256 recorded when it "
                        "was uploaded."
                    )
            step.said = f"{checked} uploaded workbooks under {self.upload_root} checked" + (
                f" ({purged} purged since the dump left out)" if purged else ""
            )
        self.report.counts["uploads"] = checked

    def check_figures(self) -> None:
        """Every approved version's figures in the restored copy against the live database."""
        with self._step("figures") as step:
            restored_ids, live_ids = self._approved(SCRATCH_ALIAS), self._approved(self.alias)
            ids = restored_ids | live_ids
            restored = self._versions(SCRATCH_ALIAS, ids)
            live = self._versions(self.alias, ids)
            newer = 0
            for pk in sorted(ids):
                ours, theirs = restored.get(pk), live.get(pk)
                if theirs is None:
                    self.report.problems.append(
                        f"{ours} (submissions_returnversion id {pk}) is approved in the restored "
                        "copy but missing from the live database."
                    )
                elif ours is None:
                    # Approved since the dump was taken: not the backup's to hold.
                    if self.dumped_at and theirs.created_at >= self.dumped_at:
                        newer += 1
                        continue
                    self.report.problems.append(
                        f"{theirs} (submissions_returnversion id {pk}) is approved in the live "
                        "database but missing from the restored copy."
                    )
                elif ours.data != theirs.data:
                    differences = _differences(ours.data, theirs.data)
                    named = "; ".join(differences[:DIFFERENCES_NAMED])
                    more = len(differences) - DIFFERENCES_NAMED
                    self.report.problems.append(
                        f"The figures of {theirs} (submissions_returnversion id {pk}) differ: "
                        f"{named}" + (f" and {more} more" if more > 0 else "") + "."
                    )
            checked = len(ids) - newer
            step.said = f"{checked} approved versions' figures compared with the live database" + (
                f" ({newer} approved since the dump left out)" if newer else ""
            )
        self.report.counts["approved_versions"] = checked

    def drop(self) -> None:
        """Drop the scratch database this drill made, and the dump it took."""
        self.forget()
        shutil.rmtree(self._workdir, ignore_errors=True)
        if not self.created:
            return
        with self._step("drop") as step:
            with self._admin() as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.scratch)
                    )
                )
            self.created = False
            step.said = f"{self.scratch} dropped"

    def forget(self) -> None:
        """Close the connection to the restored copy and remove its alias."""
        scratch = getattr(connections._connections, SCRATCH_ALIAS, None)
        if scratch is not None:
            scratch.close()
            del connections[SCRATCH_ALIAS]

    # --- helpers --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _step(self, name: str) -> Iterator[Step]:
        step = Step(name)
        started = time.perf_counter()
        try:
            yield step
        finally:
            step.seconds = time.perf_counter() - started
            self.report.steps.append(step)

    def _libpq(self, database: str) -> dict[str, str]:
        """The environment libpq's tools read: the live connection's server and role."""
        db = self.live.settings_dict
        env = {"PATH": "/usr/bin:/bin", "PGDATABASE": database, "PGCONNECT_TIMEOUT": "10"}
        for variable, key in (
            ("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
        ):  # fmt: skip
            if db.get(key):
                env[variable] = str(db[key])
        if db["OPTIONS"].get("sslmode"):
            env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
        return env

    def _run(self, *command: str, database: str, what: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            command, capture_output=True, text=True, env=self._libpq(database), check=False
        )
        if done.returncode != 0:
            raise DrillError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}")
        return done

    @contextlib.contextmanager
    def _admin(self, database: str | None = None) -> Iterator[psycopg.Connection]:
        """A connection of the drill's own, outside any transaction (CREATE DATABASE needs it)."""
        db = self.live.settings_dict
        params = {
            "dbname": database or db["NAME"],
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            yield conn

    def _roles(self) -> int:
        """Run scripts/db_roles.sql on the scratch database; how many history tables it narrowed."""
        done = self._run(
            _tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-v", f"owner_role={self.owner_role}", "-v", f"app_role={self.app_role}",
            "-f", str(ROLES_SCRIPT),
            database=self.scratch, what="scripts/db_roles.sql",
        )  # fmt: skip
        # The script's last query: one row a history table, "name|select|insert|update|delete".
        rows = [line.split("|") for line in done.stdout.splitlines() if line.count("|") == 4]
        if any(row[1:] != ["t", "t", "f", "f"] for row in rows):
            raise DrillError(f"{self.app_role} may change a history table: {done.stdout}")
        return len(rows)

    def _archive_created(self) -> datetime.datetime | None:
        """When a given dump was taken, from its table of contents; None if it does not say."""
        if not self.dump_file.is_file():
            raise DrillError(f"There is no dump at {self.dump_file}.")
        listed = self._run(
            _tool("pg_restore"), "--list", str(self.dump_file),
            database=self.report.live, what="pg_restore --list",
        )  # fmt: skip
        found = re.search(r"^; Archive created at (.+) UTC$", listed.stdout, re.M)
        if not found:
            return None
        made = datetime.datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S")
        return made.replace(tzinfo=datetime.UTC)

    def _owned(self) -> tuple[int, int]:
        """How many tables the restore made, and how many of them the owner does not own."""
        with self._admin(self.scratch) as admin:
            tables, strays = admin.execute(
                "SELECT count(*), count(*) FILTER (WHERE tableowner <> %s) "
                "FROM pg_tables WHERE schemaname = 'public'",
                [self.owner_role],
            ).fetchone()
        return tables, strays

    def _open_scratch(self) -> None:
        """The restored copy as a Django database, signed in as the application role."""
        self.forget()
        # A connection of the drill's own, not one of the settings' databases: made from the
        # live one's settings, then the settings entry is removed again, so nothing else (a
        # router, a health check, Django's test machinery) takes it for a configured database.
        connections.settings[SCRATCH_ALIAS] = {
            **self.live.settings_dict,
            "NAME": self.scratch,
            "OPTIONS": {**self.live.settings_dict["OPTIONS"], "assume_role": self.app_role},
            "ATOMIC_REQUESTS": False,
            "CONN_MAX_AGE": 0,
        }
        try:
            connections[SCRATCH_ALIAS] = connections.create_connection(SCRATCH_ALIAS)
        finally:
            del connections.settings[SCRATCH_ALIAS]

    def _check_file(self, document: StoredPdf, name: str, sha256: str) -> None:
        path = self.pack_root / name
        where = f"{document} ({document._meta.db_table} id {document.pk})"
        if not path.is_file():
            self.report.problems.append(f"{where}: its file {path} is missing.")
        elif _sha256(path) != sha256:
            self.report.problems.append(
                f"{where}: its file {path} does not match the SHA-256 recorded when it was "
                f"{document.made}."
            )

    @staticmethod
    def _approved(using: str) -> set[int]:
        """The versions ever approved: each approval's version, and each return's current one."""
        approvals = ReturnEvent.objects.using(using).filter(
            action=ReturnEvent.Action.APPROVED, version__isnull=False
        )
        current = Return.objects.using(using).filter(approved_version__isnull=False)
        return set(approvals.values_list("version_id", flat=True)) | set(
            current.values_list("approved_version_id", flat=True)
        )

    @staticmethod
    def _versions(using: str, ids: set[int]) -> dict[int, ReturnVersion]:
        found = ReturnVersion.objects.using(using).filter(pk__in=ids).select_related("ret")
        return {version.pk: version for version in found}
