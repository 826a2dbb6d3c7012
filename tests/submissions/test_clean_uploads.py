"""
What uploads leave on disk and in the database, and `manage.py clean_uploads`, which removes it.

Issue 11, section 5: a kill -9 between writing an uploaded file and the commit left the file
with no row (2 in 11 trials). `UploadedFile.store` now writes a `.part` file that takes its
final name only when the row commits; here a real process is killed inside the transaction,
after the write, and what it leaves is checked and cleaned.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from opb_portal.spreadsheets import ERROR, Problem
from opb_portal.submissions import uploads
from opb_portal.submissions.models import PART, ProblemList, StagedUpload, UploadedFile

from ..factories import UserFactory
from ..processes import BASE_DIR

TWO_HOURS_AGO = time.time() - 2 * 60 * 60

# Stores an upload inside a transaction, says its name, then waits for the test to kill it.
STORE_AND_WAIT = """
import sys
from pathlib import Path

import django

django.setup()
from django.conf import settings
from django.db import transaction

settings.UPLOAD_ROOT = Path(sys.argv[1])
from opb_portal.accounts.models import User
from opb_portal.submissions.models import UploadedFile

user = User.objects.get(pk=int(sys.argv[2]))
with transaction.atomic():
    upload = UploadedFile.store(data=b"the bytes of april.xlsx", name="april.xlsx", user=user)
    print(upload.stored_name, flush=True)
    sys.stdin.readline()  # killed here: after the write, before the commit
"""


def _clean(*args) -> str:
    out = StringIO()
    call_command("clean_uploads", *args, stdout=out)
    return out.getvalue()


def _aged(path: Path) -> Path:
    os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    return path


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def person(db):
    return UserFactory(role="kpi_submitter")


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_before_the_commit_leaves_only_a_part_file_which_is_cleaned(
    upload_root,
):
    person = UserFactory(role="kpi_submitter")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opb_portal.test_settings",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DATABASE_URL": _database_url(),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", STORE_AND_WAIT, str(upload_root), str(person.pk)],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        stored_name = process.stdout.readline().strip()
        assert stored_name, "the process did not store the upload"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()

    assert process.returncode == -signal.SIGKILL
    assert not UploadedFile.objects.exists()  # the row died with the transaction
    left = sorted(path.name for path in upload_root.iterdir() if path.is_file())
    assert left == [stored_name + PART]  # and no final-named file without a row

    assert "Nothing to clean." in _clean()  # its transaction might still be running
    _aged(upload_root / (stored_name + PART))
    said = _clean()

    assert f"Removed file of an upload that never committed: {upload_root / left[0]}" in said
    assert not any(path.is_file() for path in upload_root.iterdir())


def test_a_stored_file_takes_its_final_name_only_when_its_row_commits(
    person, upload_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload = UploadedFile.store(data=b"bytes", name="april.xlsx", user=person)
        assert upload.part_path.read_bytes() == b"bytes"
        assert not upload.path.exists()

    assert len(callbacks) == 1
    assert upload.path.read_bytes() == b"bytes"
    assert not upload.part_path.exists()


def test_a_part_file_whose_row_committed_is_finished_not_removed(person, upload_root):
    upload = UploadedFile.store(data=b"bytes", name="april.xlsx", user=person)
    _aged(upload.part_path)  # the process died between the commit and the rename

    said = _clean()

    assert f"Finished committed file {upload.stored_name}." in said
    assert upload.path.read_bytes() == b"bytes"


def test_a_final_named_file_no_row_names_is_removed_and_a_named_one_kept(
    person, upload_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = UploadedFile.store(data=b"kept", name="kept.xlsx", user=person)
    orphan = upload_root / ("0" * 32 + ".xlsx")
    orphan.write_bytes(b"left by a kill -9 before the fix")
    not_ours = upload_root / "README.txt"
    not_ours.write_text("not an upload")

    said = _clean()

    assert f"Removed file no stored upload names: {orphan}." in said
    assert not orphan.exists()
    assert kept.path.exists()
    assert not_ours.exists()


def test_expired_staged_uploads_and_problem_lists_are_removed_with_their_files(person, upload_root):
    live = uploads.stage(owner=person, purpose="kpis", filename="live.xlsx", data=b"1", base={})
    old = uploads.stage(owner=person, purpose="kpis", filename="old.xlsx", data=b"2", base={})
    StagedUpload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    problem = Problem(severity=ERROR, message="Not a number", file="bad.xlsx")
    uploads.keep_problems(owner=person, purpose="kpis", filename="bad.xlsx", problems=[problem])
    ProblemList.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    stray = live.path.parent / ("f" * 32 + ".xlsx")
    stray.write_bytes(b"a staged file whose row never committed")
    _aged(stray)

    said = _clean()

    assert f"Removed expired staged upload old.xlsx ({person})." in said
    assert f"Removed expired problem list of bad.xlsx ({person})." in said
    assert f"Removed staged file no upload names: {stray}." in said
    assert list(StagedUpload.objects.values_list("filename", flat=True)) == ["live.xlsx"]
    assert not ProblemList.objects.exists()
    assert (live.path.exists(), old.path.exists(), stray.exists()) == (True, False, False)


def test_a_dry_run_says_what_it_would_remove_and_removes_nothing(person, upload_root):
    old = uploads.stage(owner=person, purpose="kpis", filename="old.xlsx", data=b"2", base={})
    StagedUpload.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    part = _aged(UploadedFile.store(data=b"x", name="a.xlsx", user=person).part_path)
    UploadedFile.objects.all().delete()  # as if its transaction had rolled back

    said = _clean("--dry-run")

    assert f"Would remove expired staged upload old.xlsx ({person})." in said
    assert f"Would remove file of an upload that never committed: {part}." in said
    assert "2 item(s) would be removed." in said
    assert StagedUpload.objects.exists()
    assert old.path.exists()
    assert part.exists()
