"""A pack is not issued while a red KPI (or an amber one that asks) has no exception report."""

from __future__ import annotations

import datetime

import pytest

from governance.exception_reports import services as reports
from opb_portal.accounts.models import Organisation, User
from opb_portal.boardpack import sections, services
from opb_portal.boardpack.services import PackError

from .conftest import MARCH, approve, submitted_return

PI1 = "kpi:2024/PI1"


@pytest.fixture
def pi1_red(meeting):
    """March's KPI return corrected to make PI1 red (60%) and approved again."""
    approve(submitted_return(MARCH, changes={"PI1": "60"}))


def test_the_demonstrations_march_pack_lacks_nothing(meeting):
    # PI11 is amber in March and its KPI asks for a report: the Trust wrote it, the council
    # accepted it.
    assert sections.missing_before_issue(MARCH) == []


def test_a_red_kpi_without_a_report_stops_the_issue_and_is_named(meeting, chair, pi1_red):
    with pytest.raises(PackError) as refused:
        services.pack_issue(meeting=meeting, user=chair)

    assert refused.value.message == (
        "The pack cannot be issued while the board lacks what it needs: PI1 Out of the total "
        "number of Single Assessments, the percentage completed within 45 working days is red "
        "in March 2025 and has no exception report."
    )
    assert not meeting.issues.exists()


def test_the_chair_sees_what_is_missing_with_a_link_and_no_issue_button(client, chair, pi1_red):
    client.force_login(chair)
    html = client.get("/meetings/2025-04-17/").content.decode()

    assert '<a href="/governance/exceptions/2025-03/kpi:2024/PI1/">PI1 Out of' in html
    assert "has no exception report</a>" in html
    assert "Issue pack</button>" not in html


def test_once_the_report_is_written_the_pack_is_issued(meeting, chair, pi1_red, monkeypatch):
    from .conftest import pdfs_not_rendered

    pdfs_not_rendered(monkeypatch)
    reports.exception_report_write(
        user=User.objects.get(username="kpi.submitter"),
        subject=PI1,
        period=MARCH,
        cause="Vacancies in two teams.",
        action_taken="Agency cover.",
        owner_name="Head of Service, Assessment",
        owner_organisation=Organisation.objects.get(kind=Organisation.Kind.TRUST),
        back_on_target=datetime.date(2025, 6, 30),
    )
    # Written is enough: the pack shows it with the council's review (awaiting review here).
    assert sections.missing_before_issue(MARCH) == []
    assert services.pack_issue(meeting=meeting, user=chair).number == 1
