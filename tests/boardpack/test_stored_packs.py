"""
An issued pack's file and rows go together, and a meeting needs a chair who may chair.

Branch coverage showed no test reaching these: a download of an issue whose file has gone
or been changed, an issue whose rows cannot be written (its file must not stay), and an
administrator arranging a meeting without a chair, or with one who may not chair.
"""

import datetime
import logging

import pytest

from opb_portal.accounts.models import Role, User
from opb_portal.boardpack import services
from opb_portal.boardpack.models import Meeting, PackIssue, PackSource
from opb_portal.boardpack.services import PackError

from ..factories import UserFactory


def _lose(issue) -> None:
    issue.path.unlink()


def _change(issue) -> None:
    issue.path.chmod(0o640)
    issue.path.write_bytes(issue.path.read_bytes() + b"%changed")


@pytest.mark.parametrize(
    ("damage", "status", "says", "logged"),
    [
        pytest.param(_lose, 404, "", False, id="file-gone"),
        pytest.param(
            _change,
            500,
            "no longer matches what was issued: tell an administrator",
            True,
            id="file-changed",
        ),
    ],
)
def test_a_damaged_issue_is_never_served_and_says_so(
    client, demo_issue, caplog, damage, status, says, logged
):
    client.force_login(User.objects.get(username="reviewer"))
    url = f"/packs/{demo_issue.pk}.pdf"
    assert client.get(url).status_code == 200
    damage(demo_issue)

    with caplog.at_level(logging.ERROR, logger="opb_portal.boardpack.views"):
        response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] != "application/pdf"
    assert says in response.content.decode()
    assert any("no longer matches its SHA-256" in r.getMessage() for r in caplog.records) is logged


def test_an_issue_whose_rows_cannot_be_written_leaves_no_file(
    meeting, issues_render_once, monkeypatch, settings
):
    def refuse(*args, **kwargs):
        raise RuntimeError("the database refused the rows")

    monkeypatch.setattr(PackSource.objects, "bulk_create", refuse)
    with pytest.raises(RuntimeError, match="refused the rows"):
        services.pack_issue(meeting=meeting, user=meeting.chair)

    assert not PackIssue.objects.exists()
    assert not any(path.is_file() for path in settings.PACK_ROOT.rglob("*"))


@pytest.mark.parametrize(
    ("chair", "message"),
    [
        pytest.param(None, "Name the board member who chairs the meeting", id="no-chair"),
        pytest.param(Role.REVIEWER, "cannot chair a meeting", id="a-reviewer-as-chair"),
        pytest.param("kpi_submitter", "cannot chair a meeting", id="a-submitter-as-chair"),
    ],
)
def test_an_administrator_must_name_a_chair_who_may_chair(demo, chair, message):
    admin = User.objects.get(username="admin")
    named = UserFactory(role=chair) if chair else None
    with pytest.raises(PackError, match=message):
        services.meeting_create(user=admin, date=datetime.date(2025, 5, 15), chair=named)
    assert not Meeting.objects.filter(date="2025-05-15").exists()
