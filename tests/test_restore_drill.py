"""
The restore drill (`manage.py restore_drill`, docs/operations.md) on PostgreSQL, for real:
pg_dump of the test database, pg_restore into a scratch database as the roles of
docs/database-roles.md, then every stored document's file and every approved version's
figures checked. A restore that fails, a file that changed or went, a figure that differs:
each fails the drill, named. The data is committed (`transactional_db`) so pg_dump sees it.
"""

import io
import os
import re
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from opb_portal.accounts.models import User
from opb_portal.core.restore_drill import (
    SCRATCH_ALIAS,
    SCRATCH_PREFIX,
    DrillError,
    RestoreDrill,
)
from opb_portal.periods import Period
from opb_portal.reports.models import Report
from opb_portal.reports.services import report_make_final
from opb_portal.submissions.demo import approved_return
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion, UploadedFile

from .conftest import history_tables


@pytest.fixture
def issued(transactional_db, demo, demo_issue):
    """The demonstration, committed, with issue 1 of its March pack on disk."""
    return demo_issue


def workbook(name: str) -> UploadedFile:
    """An upload kept as the portal keeps one (the bytes need not be a workbook here)."""
    return UploadedFile.store(
        data=b"PK not really a workbook", name=name, user=User.objects.get(username="kpi.submitter")
    )


def drill(db_roles, **options) -> tuple[int, str]:
    """Run the command as an operator would; its exit code and what it printed."""
    owner, app = db_roles
    out = io.StringIO()
    arguments = ["--pack-root", str(settings.PACK_ROOT), "--owner-role", owner, "--app-role", app]
    try:
        call_command("restore_drill", *arguments, stdout=out, **options)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def scratch_databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [SCRATCH_PREFIX + "%"]
        )
        return {name for (name,) in cursor.fetchall()}


def approved_versions() -> int:
    events = ReturnEvent.objects.filter(action=ReturnEvent.Action.APPROVED)
    return len(
        set(events.values_list("version_id", flat=True))
        | set(Return.objects.values_list("approved_version_id", flat=True)) - {None}
    )


def scratch(name: str) -> psycopg.Connection:
    """A superuser's connection to the restored copy: someone who could rewrite it."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=name, host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], autocommit=True
    )


def test_the_drill_restores_an_issued_pack_a_final_report_and_approved_returns_and_passes(
    issued, db_roles
):
    report_make_final(
        report=Report.objects.get(title__startswith="Sandwell Children's Trust performance"),
        user=User.objects.get(username="reviewer"),
    )
    workbook("April.xlsx")
    before = scratch_databases()

    code, said = drill(db_roles)

    assert code == 0, said
    assert "PASSED" in said
    assert "2 documents' 2 files" in said
    assert f"{approved_versions()} approved versions' figures compared" in said
    assert approved_versions() > 30
    assert f"1 uploaded workbooks under {settings.UPLOAD_ROOT} checked" in said
    for step in ("dump", "create", "roles", "restore", "roles again", "stored files", "figures"):
        assert re.search(rf"^  {step} +\d+\.\d\d s  ", said, re.M), step
    assert re.search(r"^  total +\d+\.\d\d s$", said, re.M)
    assert f"pg_restore as {db_roles[0]}" in said
    assert f"{len(history_tables())} history tables read-and-add only" in said
    assert scratch_databases() == before, "the scratch database was not dropped"


def _change(path) -> None:
    path.chmod(0o640)
    path.write_bytes(path.read_bytes() + b"%changed after issue")


def _lose(path) -> None:
    path.unlink()


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        pytest.param(
            _change, "does not match the SHA-256 recorded when it was issued", id="file-changed"
        ),
        pytest.param(_lose, "is missing", id="file-gone"),
    ],
)
def test_a_pack_file_changed_or_gone_after_issue_fails_the_drill_naming_the_issue_and_file(
    issued, db_roles, damage, says
):
    damage(issued.path)

    code, said = drill(db_roles)

    assert code == 1
    assert "FAILED: 1 problem(s)" in said
    assert (
        f"Issue 1 of the pack for the OPB meeting of 17 April 2025 "
        f"(boardpack_packissue id {issued.pk}): its file {issued.path} {says}"
    ) in said


def test_an_uploaded_workbook_changed_after_upload_fails_the_drill_naming_it(issued, db_roles):
    upload = workbook("April.xlsx")
    _change(upload.path)

    code, said = drill(db_roles)

    assert code == 1
    assert (
        f"The uploaded file 'April.xlsx' (submissions_uploadedfile id {upload.pk}): its file "
        f"{upload.path} does not match the SHA-256 recorded when it was uploaded."
    ) in said


def _in_the_restored_copy(drill_: RestoreDrill, version: ReturnVersion, value: str) -> None:
    with scratch(drill_.scratch) as conn:
        conn.execute(
            "UPDATE submissions_returnversion "
            "SET data = jsonb_set(data, '{PI1,value}', to_jsonb(%s::text)) WHERE id = %s",
            [value, version.pk],
        )


def _in_the_live_database(drill_: RestoreDrill, version: ReturnVersion, value: str) -> None:
    # A history table: only a superuser (the test's role) can do this, as an attacker might.
    ReturnVersion.objects.filter(pk=version.pk).update(
        data={**version.data, "PI1": {**version.data["PI1"], "value": value}}
    )


@pytest.mark.parametrize(
    ("change", "restored", "live"),
    [
        pytest.param(_in_the_restored_copy, "'99.9'", "'86.4'", id="restored-copy"),
        pytest.param(_in_the_live_database, "'86.4'", "'99.9'", id="live-database"),
    ],
)
def test_a_figure_that_differs_between_the_restore_and_the_live_database_fails_naming_it(
    issued, db_roles, change, restored, live
):
    owner, app = db_roles
    version = Return.objects.get(domain="kpis", period="2025-03-01").approved_version
    drill_ = RestoreDrill(pack_root=settings.PACK_ROOT, owner_role=owner, app_role=app)
    try:
        drill_.dump()
        drill_.restore()
        change(drill_, version, "99.9")
        drill_.check_files()
        drill_.check_figures()
    finally:
        drill_.drop()

    assert drill_.report.problems == [
        f"The figures of version {version.number} of the kpis return for March 2025 "
        f"(submissions_returnversion id {version.pk}) differ: "
        f"PI1 value: {restored} restored, {live} live."
    ]


def test_the_restore_is_owned_by_the_owner_role_and_read_as_the_application_role(issued, db_roles):
    owner, app = db_roles
    drill_ = RestoreDrill(pack_root=settings.PACK_ROOT, owner_role=owner, app_role=app)
    try:
        drill_.dump()
        drill_.restore()
        with connections[SCRATCH_ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT current_user, has_table_privilege('boardpack_packissue', 'UPDATE'), "
                "has_table_privilege('boardpack_packissue', 'SELECT'), "
                "(SELECT count(*) FROM boardpack_packissue)"
            )
            reads_as = cursor.fetchone()
        with scratch(drill_.scratch) as conn:
            owners = conn.execute(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
    finally:
        drill_.drop()

    assert reads_as == (app, False, True, 1)
    assert owners == [(owner,)]
    assert drill_.scratch not in scratch_databases()


def test_a_restore_that_fails_fails_the_drill(issued, db_roles):
    owner, app = db_roles
    drill_ = RestoreDrill(pack_root=settings.PACK_ROOT, owner_role=owner, app_role=app)
    try:
        drill_.dump()
        # A dump cut short on its way to the backup host.
        data = drill_.dump_file.read_bytes()
        drill_.dump_file.write_bytes(data[: len(data) // 2])
        with pytest.raises(DrillError, match="pg_restore failed"):
            drill_.restore()
    finally:
        drill_.drop()

    assert drill_.scratch not in scratch_databases()


def test_a_failed_step_makes_the_command_exit_1_and_say_why(db, db_roles, monkeypatch):
    settings.PACK_ROOT.mkdir(parents=True)

    def refuse(self):
        raise DrillError("pg_dump failed (exit 1): connection refused")

    monkeypatch.setattr(RestoreDrill, "dump", refuse)

    code, said = drill(db_roles)

    assert code == 1
    assert "FAILED: 1 problem(s)" in said
    assert "- pg_dump failed (exit 1): connection refused" in said


def test_on_sqlite_the_drill_says_it_needs_postgresql_and_exits_2(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'opb.sqlite3'}",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DJANGO_SETTINGS_MODULE": "opb_portal.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "restore_drill", "--pack-root", str(tmp_path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2, done.stderr
    assert "The restore drill needs PostgreSQL; this database is sqlite" in done.stderr


def test_last_nights_dump_is_restored_as_given_and_a_later_approval_is_left_out(
    issued, db_roles, tmp_path
):
    db = connection.settings_dict
    last_night = tmp_path / "opb-2025-06-01.dump"
    nightly = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={last_night}", db["NAME"]],
        env={"PATH": "/usr/bin:/bin", "PGHOST": db["HOST"], "PGUSER": db["USER"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert nightly.returncode == 0, nightly.stderr
    march = Return.objects.get(domain="kpis", period="2025-03-01")
    data = march.approved_version.data
    approved_return(
        domain="kpis",
        period=Period(2025, 3),
        data={**data, "PI1": {**data["PI1"], "value": "86.5"}},
        submitter=User.objects.get(username="kpi.submitter"),
        reviewer=User.objects.get(username="reviewer"),
    )

    code, said = drill(db_roles, dump=last_night)

    assert code == 0, said
    assert f"given {last_night}" in said
    assert f"{approved_versions() - 1} approved versions' figures compared" in said
    assert "(1 approved since the dump left out)" in said
    assert last_night.is_file(), "the given dump is the backup's: it is never removed"
