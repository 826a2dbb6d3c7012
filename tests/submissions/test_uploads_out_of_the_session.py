"""
Staged uploads and problem lists live in the database, looked up only with their owner.

Issue 11, section 3: problem lists lived in the session (up to five), so after two big
refused uploads every page that person opened read and wrote an 885 KB session row.
"""

import hashlib

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from opb_portal.accounts.models import User
from opb_portal.submissions.models import ProblemList, ReturnVersion, StagedUpload

from ..factories import UserFactory
from ..spreadsheets.builders import xlsx
from .test_views_edit import figures
from .test_views_upload import filled_template, numbers, refused, upload

# A few KB: a signed-in person's session holds who they are, not what they uploaded.
SESSION_BYTES = 4 * 1024


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="kpi.submitter"))
    return client


def _session_bytes(client) -> int:
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def _unknown_codes(rows: int) -> bytes:
    """A long table whose every code is unknown: one problem per row."""
    return xlsx(
        {"Figures": [["KPI", "Period", "Value"], *[[f"X{n}", "Apr-25", n] for n in range(rows)]]}
    )


def test_the_session_stays_small_after_several_big_refused_uploads(officer):
    signed_in = _session_bytes(officer)
    for number in range(3):
        response = refused(officer, _unknown_codes(400), f"big-{number}.xlsx")
        assert "could not be used" in response.content.decode()

    kept = list(ProblemList.objects.order_by("created_at"))
    assert [k.filename for k in kept] == ["big-0.xlsx", "big-1.xlsx", "big-2.xlsx"]
    assert all(len(k.problems) >= 100 for k in kept)  # each list is big...
    # ...and none of it is in the session (before: 6,234 bytes here, compressed; 885 KB
    # in the issue, before problems were capped per file)
    assert _session_bytes(officer) == signed_in < SESSION_BYTES


def test_a_staged_upload_is_kept_in_the_database_not_the_session(officer):
    data = filled_template(officer, "2025-04", numbers(figures()))
    upload(officer, data)

    staged = StagedUpload.objects.get()
    assert (staged.owner.username, staged.purpose, staged.filename) == (
        "kpi.submitter",
        "kpis",
        "kpi-return.xlsx",
    )
    # The copy of the sheet read is staged (issue 12); the file's own hash is kept beside it.
    assert hashlib.sha256(staged.path.read_bytes()).hexdigest() == staged.sha256
    assert staged.original_sha256 == hashlib.sha256(data).hexdigest()
    assert staged.expires_at > staged.created_at
    assert _session_bytes(officer) < SESSION_BYTES


def test_another_submitter_cannot_preview_or_confirm_someone_elses_staged_upload(officer):
    preview = upload(officer, filled_template(officer, "2025-04", numbers(figures())))["Location"]
    colleague = Client()
    trust = User.objects.get(username="kpi.submitter").organisation
    colleague.force_login(UserFactory(role="kpi_submitter", organisation=trust))

    seen = colleague.get(preview, follow=True).content.decode()
    confirmed = colleague.post(preview, {"decision": "confirm"}, follow=True).content.decode()

    assert "That upload is no longer waiting" in seen
    assert "That upload is no longer waiting" in confirmed
    assert not ReturnVersion.objects.filter(ret__period="2025-04-01").exists()
    assert officer.get(preview).status_code == 200  # still there for its owner


def test_only_the_last_few_problem_lists_of_a_person_are_kept(officer):
    for number in range(7):
        upload(officer, _unknown_codes(3), f"bad-{number}.xlsx")

    assert list(ProblemList.objects.order_by("created_at").values_list("filename", flat=True)) == [
        f"bad-{number}.xlsx" for number in range(2, 7)
    ]
