"""Issuing a pack: frozen, numbered, refused for drafts, and identical on every download."""

from __future__ import annotations

import datetime
import hashlib
import io
import stat

import pytest
from django.conf import settings
from pypdf import PdfReader

from opb_portal.accounts.models import Role, User
from opb_portal.boardpack import render, selectors, services
from opb_portal.boardpack.models import PackIssue
from opb_portal.boardpack.services import PackError
from opb_portal.submissions.models import Return

from ..conftest import DEMO_WRITTEN
from ..factories import UserFactory
from .conftest import MARCH, approve, pdf_pages, submitted_return


def test_issuing_freezes_the_pdf_with_its_hash_and_the_versions_it_used(meeting, chair):
    issue = services.pack_issue(meeting=meeting, user=chair)

    data = issue.path.read_bytes()
    assert issue.number == 1
    assert issue.sha256 == hashlib.sha256(data).hexdigest()
    assert issue.size == len(data)
    assert issue.path.parent == settings.PACK_ROOT
    assert issue.stored_name.endswith(".pdf")
    assert len(issue.stored_name) == 36
    # Read-only on disk: an issued file is never rewritten.
    assert not issue.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    # Every month's approved return that the sections and charts draw on, domain by domain.
    used = {
        (source.version.ret.domain, source.version.ret.period.first_day.isoformat())
        for source in issue.sources.select_related("version__ret")
    }
    year = {f"{d:%Y-%m}-01" for d in (datetime.date(2024, m, 1) for m in range(4, 13))} | {
        "2025-01-01",
        "2025-02-01",
        "2025-03-01",
    }
    assert {month for domain, month in used if domain == "kpis"} == year
    assert {month for domain, month in used if domain == "finance"} == year
    # The workforce charts reach back to March 2024, the first published month.
    assert {month for domain, month in used if domain == "workforce"} == year | {"2024-03-01"}


def test_the_issued_pdf_says_its_issue_number_and_is_not_a_draft(meeting, chair):
    issue = services.pack_issue(meeting=meeting, user=chair)
    pages = pdf_pages(issue.read())
    assert "Issue 1" in pages[0]
    assert "OPB board pack · March 2025 · Issue 1" in pages[1]
    assert not any("DRAFT" in page for page in pages)
    assert issue.pages == len(pages)


def test_rendering_an_issue_again_gives_the_same_bytes(meeting, demo_march_issue):
    # The first rendering is the run's demo issue 1, made at DEMO_WRITTEN; this is the second.
    first = demo_march_issue.rendered
    second = render.render_pack(
        selectors.pack_contents(MARCH, meeting=meeting, number=1, generated_at=DEMO_WRITTEN)
    )
    assert first.pdf == second.pdf
    reader = PdfReader(io.BytesIO(first.pdf))
    assert reader.metadata["/CreationDate"] == "D:20250601090000Z"
    assert reader.trailer["/ID"][0] == "opb-pack-2025-03-2025-04-17-1"


def test_a_pack_with_unapproved_figures_cannot_be_issued(meeting, chair):
    submitted_return(MARCH, changes={"PI1": "84.2"})
    with pytest.raises(PackError, match="includes unapproved figures: KPI return for March 2025"):
        services.pack_issue(meeting=meeting, user=chair)
    assert not PackIssue.objects.exists()


def test_issuing_again_with_nothing_changed_is_refused(meeting, chair, issues_render_once):
    services.pack_issue(meeting=meeting, user=chair)
    with pytest.raises(PackError, match="Nothing has changed since issue 1"):
        services.pack_issue(meeting=meeting, user=chair)


def test_an_approved_correction_makes_issue_2_and_issue_1_stays_as_it_was(
    meeting, chair, issues_render_once
):
    first = services.pack_issue(meeting=meeting, user=chair)
    first_bytes = first.read()
    approve(submitted_return(MARCH, changes={"PI1": "84.2"}))

    second = services.pack_issue(meeting=meeting, user=chair)

    assert (first.number, second.number) == (1, 2)
    assert first.read() == first_bytes
    assert second.sha256 != first.sha256
    march = Return.objects.get(domain="kpis", period=MARCH.first_day)
    assert set(second.sources.values_list("version__number", flat=True)) >= {2}
    assert march.approved_version.pk in set(second.sources.values_list("version_id", flat=True))
    assert march.approved_version.pk not in set(first.sources.values_list("version_id", flat=True))
    assert "84.2%" in "".join(pdf_pages(second.read()))
    assert "84.2%" not in "".join(pdf_pages(first_bytes))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        pytest.param("chair", True, id="the-chair"),
        pytest.param("admin", True, id="an-administrator"),
        pytest.param("other-board-member", False, id="a-board-member-who-does-not-chair"),
        pytest.param("reviewer", False, id="a-reviewer"),
    ],
)
def test_only_the_chair_or_an_administrator_issues(meeting, who, allowed, issues_render_once):
    user = {
        "chair": meeting.chair,
        "admin": User.objects.get(username="admin"),
        "other-board-member": UserFactory(role=Role.BOARD_MEMBER),
        "reviewer": User.objects.get(username="reviewer"),
    }[who]
    if allowed:
        assert services.pack_issue(meeting=meeting, user=user).number == 1
    else:
        with pytest.raises(PackError, match="chair or an administrator"):
            services.pack_issue(meeting=meeting, user=user)


def test_an_issue_refuses_any_change_once_saved(demo_issue):
    issue = demo_issue
    issue.sha256 = "0" * 64
    with pytest.raises(ValueError, match="frozen; refused a change to sha256"):
        issue.save()
    issue.refresh_from_db()
    issue.save()  # saving it unchanged is harmless


def test_a_tampered_file_is_not_served_as_the_issue(demo_issue):
    from opb_portal.boardpack.models import PackTampered

    issue = demo_issue
    issue.path.chmod(0o640)
    issue.path.write_bytes(issue.path.read_bytes() + b"%tampered")
    with pytest.raises(PackTampered):
        issue.read()


def test_a_board_member_who_arranges_a_meeting_chairs_it(demo):
    board = User.objects.get(username="board")
    other = UserFactory(role=Role.BOARD_MEMBER)
    meeting = services.meeting_create(
        user=board, date=datetime.date(2025, 5, 15), chair=other, members=[other]
    )
    assert meeting.chair == board
    assert meeting.period.iso == "2025-04"
    assert set(meeting.members.all()) == {board, other}


def test_an_administrator_names_the_chair_and_submitters_are_never_members(demo):
    admin = User.objects.get(username="admin")
    board = User.objects.get(username="board")
    submitter = User.objects.get(username="kpi.submitter")
    meeting = services.meeting_create(
        user=admin, date=datetime.date(2025, 5, 15), chair=board, members=[submitter]
    )
    assert meeting.chair == board
    assert set(meeting.members.all()) == {board}


@pytest.mark.parametrize(
    ("username", "message"),
    [
        pytest.param("reviewer", "does not allow arranging", id="a-reviewer-cannot-arrange"),
        pytest.param("kpi.submitter", "does not allow arranging", id="a-submitter-cannot-arrange"),
    ],
)
def test_people_who_may_not_arrange_meetings_are_refused(demo, username, message):
    with pytest.raises(PackError, match=message):
        services.meeting_create(
            user=User.objects.get(username=username), date=datetime.date(2025, 5, 15)
        )


def test_two_meetings_cannot_share_a_date(meeting):
    with pytest.raises(PackError, match="already a meeting on 17 April 2025"):
        services.meeting_create(user=meeting.chair, date=meeting.date)
