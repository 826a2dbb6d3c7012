"""The decisions log: the chair records, a later decision supersedes, nothing is edited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.actions import services as action_services
from governance.decisions import services
from governance.models import Decision
from governance.refusals import Refused
from opb_portal.accounts.models import Role

from .conftest import council_person, make_meeting, signed_in, trust_person


def test_the_chair_records_a_decision_about_figures_and_actions(april, chair):
    action = action_services.action_raise(
        user=chair, title="Agency plan", owner=trust_person("workforce_submitter"),
        due=datetime.date(2025, 5, 15), meeting=april,
    )  # fmt: skip
    decision = services.decision_record(
        meeting=april,
        user=chair,
        text="To ask for an agency recovery plan.",
        subjects=["workforce:agency_share", "workforce:agency_share"],
        actions=[action],
    )
    assert (decision.recorded_by, decision.subjects) == (chair, ["workforce:agency_share"])
    assert list(decision.actions.all()) == [action]
    assert decision.reference == f"D{decision.pk}"


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda: trust_person(Role.BOARD_MEMBER), id="a-board-member-not-chairing"),
        pytest.param(lambda: council_person(Role.REVIEWER), id="a-reviewer"),
        pytest.param(lambda: trust_person("finance_submitter"), id="a-trust-submitter"),
    ],
)
def test_only_the_chair_or_an_administrator_records_decisions(april, who):
    with pytest.raises(Refused, match="chair or an administrator"):
        services.decision_record(meeting=april, user=who(), text="Anything")
    assert services.decision_record(
        meeting=april, user=council_person(Role.ADMINISTRATOR), text="Recorded by the admin"
    )


def test_a_subject_nobody_registers_is_refused(april, chair):
    with pytest.raises(ValidationError, match="not a kind of subject"):
        services.decision_record(meeting=april, user=chair, text="X", subjects=["risk:R1"])


def test_a_later_decision_supersedes_an_earlier_one_which_stays(april, may, chair):
    first = services.decision_record(meeting=april, user=chair, text="Quarterly reports.")
    second = services.decision_record(
        meeting=may, user=chair, text="Monthly reports instead.", supersedes=first
    )
    assert Decision.objects.get(pk=first.pk).superseded_by == second
    with pytest.raises(Refused, match="already superseded"):
        services.decision_record(meeting=may, user=chair, text="Again", supersedes=first)
    with pytest.raises(Refused, match="made before it"):
        services.decision_record(meeting=april, user=chair, text="Back", supersedes=second)
    html = signed_in(trust_person("kpi_submitter")).get("/governance/decisions/").content.decode()
    assert f"Superseded by {second.reference} at the OPB meeting of 22 May 2025" in html


def test_the_decision_form_records_and_returns_to_the_meeting(april, chair):
    client = signed_in(chair)
    assert client.get("/governance/meetings/2025-04-17/decisions/new/").status_code == 200
    response = client.post(
        "/governance/meetings/2025-04-17/decisions/new/",
        {"text": "To note the outturn.", "subjects": ["finance:PL-RES"]},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        # No 2024-25 finance plan in this test: the line is not offered, so not accepted.
        assert "Select a valid choice" in response.content.decode()
    response = client.post(
        "/governance/meetings/2025-04-17/decisions/new/", {"text": "To note the outturn."}
    )
    assert response["Location"] == "/governance/meetings/2025-04-17/"
    other = make_meeting(datetime.date(2025, 4, 24), council_person(Role.BOARD_MEMBER), board="spb")
    refused = client.get(f"/governance/meetings/{other.date}/decisions/new/")
    assert refused["Location"] == f"/governance/meetings/{other.date}/"
